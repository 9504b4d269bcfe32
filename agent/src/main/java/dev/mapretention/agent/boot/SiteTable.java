package dev.mapretention.agent.boot;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Captures the site of a map event from the current stack and shares identical sites.
 *
 * <p>The stack is walked lazily and only as deep as needed: the tracker's own frames and the
 * java.util collection frames on top are skipped (they say nothing about the application), then at
 * most {@code siteDepth} frames are kept. Frames are compared by class, method, file and line, and
 * formatted only the first time a site is seen.
 */
final class SiteTable {

    /** The tracker's classes that are on the stack above the map's frames. */
    private static final String OWN_PREFIX = "dev.mapretention.agent.boot.";

    private final StackWalker walker;
    private final int siteDepth;
    private final int maxSites;
    private final ConcurrentHashMap<SiteKey, Site> sites = new ConcurrentHashMap<>();
    private final Site overflow;

    SiteTable(int siteDepth, int maxSites) {
        this.walker = StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));
        this.siteDepth = siteDepth;
        this.maxSites = maxSites;
        this.overflow = new Site(Site.GROWTH, new String[] {
            "<site not recorded: more than " + maxSites + " distinct sites>"});
    }

    /** Walks the current stack; the result names the site and the container the map is in. */
    Capture capture(int kind) {
        Capture capture = new Capture(kind, siteDepth);
        walker.walk(capture);
        return capture;
    }

    /** The shared site for a capture, created on first sight while under the cap. */
    Site intern(Capture capture) {
        SiteKey key = capture.key();
        Site site = sites.get(key);
        if (site != null) {
            return site;
        }
        if (sites.size() >= maxSites) {
            return overflow;
        }
        Site created = new Site(capture.kind, capture.format());
        Site raced = sites.putIfAbsent(key, created);
        return raced != null ? raced : created;
    }

    int size() {
        return sites.size();
    }

    static boolean isTrackerFrame(String className) {
        if (!className.startsWith(OWN_PREFIX)) {
            return false;
        }
        String simple = className.substring(OWN_PREFIX.length());
        return simple.equals("MapTracker") || simple.equals("TrackingState") || simple.startsWith("SiteTable");
    }

    static boolean isCollectionFrame(String className) {
        if (!className.startsWith("java.util.")) {
            return false;
        }
        String simple = className.substring("java.util.".length());
        int nested = simple.indexOf('$');
        String outer = nested < 0 ? simple : simple.substring(0, nested);
        switch (outer) {
            case "HashMap":
            case "LinkedHashMap":
            case "HashSet":
            case "LinkedHashSet":
            case "AbstractMap":
            case "AbstractCollection":
            case "AbstractSet":
            case "Collection":
            case "Map":
            case "Set":
                return true;
            default:
                return false;
        }
    }

    /**
     * The walk itself: a named class, since lambdas are banned in this package. It keeps the
     * frames and reads only what identifies them (class, method, bytecode index); file names and
     * line numbers, which cost far more, are resolved once per new site, in {@link #format}.
     */
    static final class Capture implements Function<Stream<StackWalker.StackFrame>, Object> {

        final int kind;
        private final StackWalker.StackFrame[] frames;
        private int count;
        private boolean sawSet;
        private Class<?> firstApplicationClass;

        Capture(int kind, int depth) {
            this.kind = kind;
            this.frames = new StackWalker.StackFrame[depth];
        }

        @Override
        public Object apply(Stream<StackWalker.StackFrame> stream) {
            Iterator<StackWalker.StackFrame> it = stream.iterator();
            boolean skipping = true;
            while (count < frames.length && it.hasNext()) {
                StackWalker.StackFrame frame = it.next();
                if (skipping) {
                    String className = frame.getClassName();
                    if (isTrackerFrame(className)) {
                        continue;
                    }
                    if (isCollectionFrame(className)) {
                        sawSet |= className.equals("java.util.HashSet") || className.equals("java.util.LinkedHashSet");
                        continue;
                    }
                    skipping = false;
                    firstApplicationClass = frame.getDeclaringClass();
                }
                frames[count++] = frame;
            }
            return null;
        }

        /**
         * What the application holds. A set is recognised by HashSet's frames above the map's; a
         * subclass is named only when its own code is on the stack (an inherited {@code add}
         * shows as HashSet's).
         */
        String container(Object map) {
            String mapType = map.getClass().getName();
            boolean linked = mapType.equals("java.util.LinkedHashMap");
            if (sawSet) {
                Class<?> holder = firstApplicationClass;
                if (holder != null && !holder.getName().startsWith("java.")
                        && isSetSubclass(holder)) {
                    return simpleName(holder);
                }
                return linked ? "LinkedHashSet" : "HashSet";
            }
            if (linked) {
                return "LinkedHashMap";
            }
            if (mapType.equals("java.util.HashMap")) {
                return "HashMap";
            }
            return simpleName(map.getClass());
        }

        private static boolean isSetSubclass(Class<?> type) {
            for (Class<?> c = type.getSuperclass(); c != null; c = c.getSuperclass()) {
                if (c.getName().equals("java.util.HashSet")) {
                    return true;
                }
            }
            return false;
        }

        private static String simpleName(Class<?> type) {
            String simple = type.getSimpleName();
            if (!simple.isEmpty()) {
                return simple;
            }
            String name = type.getName();
            return name.substring(name.lastIndexOf('.') + 1);
        }

        SiteKey key() {
            String[] classNames = new String[count];
            String[] methodNames = new String[count];
            int[] bytecodeIndexes = new int[count];
            for (int i = 0; i < count; i++) {
                classNames[i] = frames[i].getClassName();
                methodNames[i] = frames[i].getMethodName();
                bytecodeIndexes[i] = frames[i].getByteCodeIndex();
            }
            return new SiteKey(kind, classNames, methodNames, bytecodeIndexes);
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

    /** Identity of a site for sharing: kind and each frame's class, method and bytecode index. */
    static final class SiteKey {
        private final int kind;
        private final String[] classNames;
        private final String[] methodNames;
        private final int[] bytecodeIndexes;
        private final int hash;

        SiteKey(int kind, String[] classNames, String[] methodNames, int[] bytecodeIndexes) {
            this.kind = kind;
            this.classNames = classNames;
            this.methodNames = methodNames;
            this.bytecodeIndexes = bytecodeIndexes;
            int h = kind;
            h = 31 * h + Arrays.hashCode(classNames);
            h = 31 * h + Arrays.hashCode(methodNames);
            h = 31 * h + Arrays.hashCode(bytecodeIndexes);
            this.hash = h;
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
            return hash == that.hash && kind == that.kind && Arrays.equals(bytecodeIndexes, that.bytecodeIndexes)
                    && Arrays.equals(classNames, that.classNames) && Arrays.equals(methodNames, that.methodNames);
        }
    }
}
