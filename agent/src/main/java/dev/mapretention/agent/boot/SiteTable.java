package dev.mapretention.agent.boot;

import java.util.Arrays;
import java.util.Set;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Captures the site of a map event from the current stack and shares identical sites.
 *
 * <p>Two halves, on two threads. {@link #capture}, inside the application's map operation, walks
 * the stack only as deep as needed: the tracker's own frames and the java.util collection frames
 * on top are skipped (they say nothing about the application), then at most {@code siteDepth}
 * frames are kept, as the frame objects the walk filled. {@link #intern}, on the agent's side
 * (see {@link PendingSites}), compares those frames by method and bytecode index with the known
 * sites, and formats them (file names, line numbers) only the first time a site is seen. The
 * method is told by {@link FrameMethods}' number where this JDK allows it, which costs no call
 * into the JVM, and otherwise by class and method name.
 */
final class SiteTable {

    /** The tracker's classes that are on the stack above the map's frames. */
    private static final String OWN_PREFIX = "dev.mapretention.agent.boot.";

    /**
     * The frames beyond the kept ones that the walk's first batch makes room for: the
     * collection's above them (3 for a HashMap's {@code put}, 4 for a HashSet's {@code add} or a
     * ConcurrentHashMap's {@code put}, 5 through a Properties); one reflective call among them (4
     * frames of {@code Method.invoke} on Java 17, which the JVM fills and the walker then drops:
     * a JMH benchmark, a Spring controller); and 2 that Java 17's walker keeps for itself in the
     * batch. The JVM fills a frame object for every slot of the batch, used or not (about 90
     * bytes and a method look-up each on Java 17), and a stack that does not fit takes a second
     * batch of 32 (measured in GrowPastMinCapacity: 4.7 KB more per tracked map instead of 1.9
     * KB), so the first is as small as the common stacks allow. The tracker's own frames (the
     * hook, {@code MapTracker.slowPath}, {@code TrackingState.onEvent} and {@code track}, which
     * walks) take no slot: they are {@code Hidden}, and the JVM skips them unless
     * {@code -XX:+ShowHiddenFrames} (then {@link #isTrackerFrame} skips them here).
     */
    private static final int FRAMES_ABOVE = 5 + 4 + 2;

    /**
     * How deep a stack is searched for application code when the kept frames are all the JDK's:
     * a map that only the JDK's own code grew (JFR's string pool, say) is not the application's.
     */
    private static final int JDK_SEARCH_DEPTH = 256;

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final StackWalker walker;
    /**
     * Null when this JDK does not let the tracker number methods: methods are then named. Decided
     * once, by {@link #prepare} (on the agent's thread, after the agent opened {@code java.lang}
     * to the tracker) or by the first {@link #intern}, whichever comes first, so that every site
     * key is made the same way.
     */
    private volatile FrameMethods methods;
    private volatile boolean methodsDecided;
    private final int siteDepth;
    private final int maxSites;
    private final SiteIndex sites = new SiteIndex();
    private final Site overflow;

    SiteTable(int siteDepth, int maxSites) {
        this.walker = StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE),
                siteDepth + FRAMES_ABOVE);
        this.siteDepth = siteDepth;
        this.maxSites = maxSites;
        this.overflow = new Site(Site.GROWTH, new String[] {
            "<site not recorded: more than " + maxSites + " distinct sites>"});
    }

    /**
     * Inside the map's operation, what the caller walks the stack with:
     * {@code walker().walk(newCapture(kind))}, in its own frame, so that the walk has one frame
     * fewer to pass. The capture keeps the frames, nothing more; it says whether any frame is the
     * application's, and {@link #intern} makes it a site.
     */
    Capture newCapture(int kind) {
        return new Capture(kind, siteDepth);
    }

    StackWalker walker() {
        return walker;
    }

    /**
     * On the agent's side: the shared site for a capture, created on first sight while under the
     * cap.
     *
     * @param scratch a key from {@link #newKey} that only the calling thread uses, filled in for
     *                the look-up so that a known site costs no allocation; or null
     */
    Site intern(Capture capture, SiteKey scratch) {
        prepare();
        SiteKey key = (scratch != null ? scratch : new SiteKey(capture.count)).of(capture, methods);
        Site site = sites.get(key);
        if (site != null) {
            return site;
        }
        if (sites.size() >= maxSites) {
            return overflow;
        }
        Site created = new Site(capture.kind, capture.format());
        Site raced = sites.putIfAbsent(scratch != null ? key.copy() : key, created);
        return raced != null ? raced : created;
    }

    /** A key to pass to {@link #intern}, as long as a site can be. */
    SiteKey newKey() {
        return new SiteKey(siteDepth);
    }

    int size() {
        return sites.size();
    }

    /** True when frames are told apart by method number rather than by name (see {@link FrameMethods}). */
    boolean numbersMethods() {
        prepare();
        return methods != null;
    }

    /**
     * Decides how frames' methods are told apart, once: {@link FrameMethods}' self-check walks
     * the stack and reads JDK fields reflectively, a few milliseconds the agent's start no longer
     * spends before the application's {@code main}.
     */
    void prepare() {
        if (!methodsDecided) {
            decideMethods();
        }
    }

    private synchronized void decideMethods() {
        if (!methodsDecided) {
            methods = FrameMethods.create(walker);
            methodsDecided = true;
        }
    }

    static boolean isTrackerFrame(String className) {
        if (!className.startsWith(OWN_PREFIX)) {
            return false;
        }
        String simple = className.substring(OWN_PREFIX.length());
        return simple.equals("MapTracker") || simple.equals("TrackingState") || simple.startsWith("SiteTable")
                || simple.endsWith("Hooks");
    }

    /**
     * The collection classes whose frames (theirs and their nested classes') are skipped at the
     * top of a site, by name after {@code java.util.}.
     */
    private static final String[] COLLECTIONS = {
        "HashMap", "LinkedHashMap", "HashSet", "LinkedHashSet", "AbstractMap", "AbstractCollection",
        "AbstractSet", "Collection", "Map", "Set", "Dictionary", "Hashtable", "Properties", "IdentityHashMap",
        "WeakHashMap", "concurrent.ConcurrentHashMap", "concurrent.ConcurrentMap"};

    private static final String JAVA_UTIL = "java.util.";

    /** Compares in place: called inside the map's operation, for each collection frame, it allocates nothing. */
    static boolean isCollectionFrame(String className) {
        if (!className.startsWith(JAVA_UTIL)) {
            return false;
        }
        int start = JAVA_UTIL.length();
        for (String collection : COLLECTIONS) {
            int end = start + collection.length();
            if (className.startsWith(collection, start)
                    && (className.length() == end || className.charAt(end) == '$')) {
                return true;
            }
        }
        return false;
    }

    /**
     * The walk itself: a named class, since lambdas are banned in this package. It keeps the
     * frames and reads only their classes, to skip the tracker's and the collection's and to see
     * whether the application's code is on the stack; what identifies a frame (method, bytecode
     * index) is read on the agent's side, in {@link #key}, and file names and line numbers, which
     * cost far more, once per new site, in {@link #format}.
     */
    static final class Capture implements Function<Stream<StackWalker.StackFrame>, Object>,
            Consumer<StackWalker.StackFrame> {

        final int kind;
        /** The record whose site this is, while it waits in {@link PendingSites}. */
        TrackedMap record;
        /** The next capture waiting in {@link PendingSites}, and how many wait from this one on. */
        Capture next;
        int queued;
        private final StackWalker.StackFrame[] frames;
        private int count;
        /** Frames looked at past the kept ones, for application code. */
        private int searched;
        private boolean sawSet;
        private boolean sawKeySetView;
        private boolean sawProperties;
        private boolean sawApplicationCode;
        private Class<?> firstApplicationClass;

        Capture(int kind, int depth) {
            this.kind = kind;
            this.frames = new StackWalker.StackFrame[depth];
        }

        /** Takes frames one at a time from the walk's own spliterator (an iterator would be one more object). */
        @Override
        public Object apply(Stream<StackWalker.StackFrame> stream) {
            Spliterator<StackWalker.StackFrame> walk = stream.spliterator();
            while (wantsMore() && walk.tryAdvance(this)) {
                // accept does the work
            }
            return null;
        }

        private boolean wantsMore() {
            return count < frames.length || (!sawApplicationCode && count + searched < JDK_SEARCH_DEPTH);
        }

        /** One frame, innermost first: skipped (the tracker's, the collection's), kept, or only looked at. */
        @Override
        public void accept(StackWalker.StackFrame frame) {
            if (count == frames.length) {
                searched++;
                sawApplicationCode = !isJdkCode(frame.getDeclaringClass());
                return;
            }
            if (count == 0) {
                String className = frame.getClassName();
                if (isTrackerFrame(className)) {
                    return;
                }
                if (isCollectionFrame(className)) {
                    sawSet |= className.equals("java.util.HashSet") || className.equals("java.util.LinkedHashSet");
                    sawKeySetView |= className.equals("java.util.concurrent.ConcurrentHashMap$KeySetView");
                    sawProperties |= className.startsWith("java.util.Properties");
                    return;
                }
                firstApplicationClass = frame.getDeclaringClass();
            }
            frames[count++] = frame;
            sawApplicationCode |= !isJdkCode(frame.getDeclaringClass());
        }

        /** True when no frame of the stack is the application's: only the JDK's own code grew the map. */
        boolean jdkOnly() {
            return !sawApplicationCode;
        }

        private static boolean isJdkCode(Class<?> type) {
            ClassLoader loader = type.getClassLoader();
            return loader == null || loader == PLATFORM;
        }

        /**
         * On the agent's side: what the application holds. A set, a ConcurrentHashMap's key-set
         * view and a Properties are recognised by their frames above the map's; a subclass of one
         * of them is named only when its own code is on the stack (an inherited {@code add} shows
         * as HashSet's).
         */
        String container(Object map, int kind) {
            Class<?> type = map.getClass();
            String mapType = type.getName();
            switch (kind) {
                case MapKinds.HASH_MAP:
                    boolean linked = mapType.equals("java.util.LinkedHashMap");
                    if (sawSet) {
                        String subclass = applicationSubclassOf("java.util.HashSet");
                        return subclass != null ? subclass : linked ? "LinkedHashSet" : "HashSet";
                    }
                    return linked ? "LinkedHashMap" : mapType.equals("java.util.HashMap") ? "HashMap" : simpleName(type);
                case MapKinds.CONCURRENT_HASH_MAP:
                    if (sawProperties) {
                        String subclass = applicationSubclassOf("java.util.Properties");
                        return subclass != null ? subclass : "Properties";
                    }
                    if (sawKeySetView) {
                        return "ConcurrentHashMap.KeySetView";
                    }
                    return jdkOrSubclass(type, "java.util.concurrent.ConcurrentHashMap", "ConcurrentHashMap");
                case MapKinds.HASHTABLE:
                    return jdkOrSubclass(type, "java.util.Hashtable", "Hashtable");
                case MapKinds.IDENTITY_HASH_MAP:
                    return jdkOrSubclass(type, "java.util.IdentityHashMap", "IdentityHashMap");
                default:
                    return jdkOrSubclass(type, "java.util.WeakHashMap", "WeakHashMap");
            }
        }

        private static String jdkOrSubclass(Class<?> type, String jdkName, String container) {
            return type.getName().equals(jdkName) ? container : simpleName(type);
        }

        /** The first application frame's class, when it is the application's own subclass of {@code jdkClass}. */
        private String applicationSubclassOf(String jdkClass) {
            Class<?> holder = firstApplicationClass;
            if (holder == null || holder.getName().startsWith("java.")) {
                return null;
            }
            for (Class<?> c = holder.getSuperclass(); c != null; c = c.getSuperclass()) {
                if (c.getName().equals(jdkClass)) {
                    return simpleName(holder);
                }
            }
            return null;
        }

        private static String simpleName(Class<?> type) {
            String simple = type.getSimpleName();
            if (!simple.isEmpty()) {
                return simple;
            }
            String name = type.getName();
            return name.substring(name.lastIndexOf('.') + 1);
        }

        String[] format() {
            if (count == 0) {
                return new String[] {"<no application frame on the stack>"};
            }
            String[] formatted = new String[count];
            for (int i = 0; i < count; i++) {
                StackTraceElement element = frames[i].toStackTraceElement();
                formatted[i] = formatFrame(element.getClassName(), element.getMethodName(), element.getFileName(),
                        element.isNativeMethod() ? -2 : element.getLineNumber());
            }
            return formatted;
        }
    }

    /** As {@code StackTraceElement.toString()}, without the class loader and module prefix. */
    static String formatFrame(String className, String methodName, String fileName, int line) {
        String location;
        if (line == -2) {
            location = "Native Method";
        } else if (fileName == null) {
            location = "Unknown Source";
        } else if (line >= 0) {
            location = fileName + ":" + line;
        } else {
            location = fileName;
        }
        return className + "." + methodName + "(" + location + ")";
    }

    /**
     * Identity of a site for sharing: kind and each frame's method (by number, or by class and
     * method name where it has none) and bytecode index. A key is filled in from a capture
     * ({@link #of}); the ones in the table are exact copies, never filled in again.
     */
    static final class SiteKey {
        private int kind;
        private final long[] methodIds;
        private final int[] bytecodeIndexes;
        /** Null when every frame has a method number. */
        private String[] names;
        private int length;
        private int hash;

        SiteKey(int capacity) {
            this.methodIds = new long[capacity];
            this.bytecodeIndexes = new int[capacity];
        }

        /**
         * This key, filled in with the capture's frames: per frame, the method's number and the
         * bytecode index; where a method has no number (or {@code methods} is null), its class
         * and name stand in.
         */
        SiteKey of(Capture capture, FrameMethods methods) {
            kind = capture.kind;
            length = capture.count;
            names = null;
            int h = kind;
            for (int i = 0; i < length; i++) {
                StackWalker.StackFrame frame = capture.frames[i];
                bytecodeIndexes[i] = frame.getByteCodeIndex();
                long id = methods == null ? 0 : methods.idOf(frame, frame.getDeclaringClass());
                if (id == 0) {
                    if (names == null) {
                        names = new String[length];
                    }
                    names[i] = frame.getClassName() + "." + frame.getMethodName();
                }
                methodIds[i] = id;
                h = 31 * (31 * h + Long.hashCode(id)) + bytecodeIndexes[i];
            }
            hash = 31 * h + (names == null ? 0 : Arrays.hashCode(names));
            return this;
        }

        /** An exact-size copy, for the table. */
        SiteKey copy() {
            SiteKey copy = new SiteKey(length);
            System.arraycopy(methodIds, 0, copy.methodIds, 0, length);
            System.arraycopy(bytecodeIndexes, 0, copy.bytecodeIndexes, 0, length);
            copy.kind = kind;
            copy.names = names;
            copy.length = length;
            copy.hash = hash;
            return copy;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof SiteKey)) {
                return false;
            }
            SiteKey that = (SiteKey) other;
            return hash == that.hash && kind == that.kind && length == that.length
                    && Arrays.equals(bytecodeIndexes, 0, length, that.bytecodeIndexes, 0, length)
                    && Arrays.equals(methodIds, 0, length, that.methodIds, 0, length)
                    && Arrays.equals(names, that.names);
        }
    }
}
