package dev.mapretention.agent.boot;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Names the method of a stack frame by a number, without asking the JVM for its name.
 *
 * <p>{@code StackFrame.getMethodName()} costs a call into the JVM per frame (it resolves the
 * method's name and descriptor as interned strings), and a site has up to {@code siteDepth}
 * frames: for a map that grows past the minimum capacity inside a deep stack, those calls were
 * most of the tracker's work. But when the JVM fills in a frame it already stores the frame's
 * method as a {@code java.lang.invoke.ResolvedMethodName}, one object per method (the JVM keeps
 * them unique in its ResolvedMethodTable while they are referenced). This class reads that
 * object and gives each distinct one a number, kept per declaring class in a {@link ClassValue}
 * (which holds the objects for as long as the class lives, so they stay unique, without keeping
 * the class from being unloaded).
 *
 * <p>Reading it needs {@code java.lang} and {@code java.lang.invoke} open to this class's module
 * (the boot class loader's unnamed module, which holds only the tracker), which the agent does
 * through Instrumentation. The field names are those of JDK 17 to 25; {@link #create} checks what
 * it reads on a real walk, and returns null when anything differs, in which case sites are told
 * apart by method name as before.
 */
final class FrameMethods {

    private final Field frameMember;
    private final Class<?> memberNameClass;
    private final Field memberMethod;
    private final Class<?> resolvedMethodClass;
    private final AtomicLong lastId = new AtomicLong();
    private final ClassValue<MethodIds> perClass = new ClassValue<MethodIds>() {
        @Override
        protected MethodIds computeValue(Class<?> type) {
            return new MethodIds();
        }
    };

    private FrameMethods(Field frameMember, Class<?> memberNameClass, Field memberMethod,
                         Class<?> resolvedMethodClass) {
        this.frameMember = frameMember;
        this.memberNameClass = memberNameClass;
        this.memberMethod = memberMethod;
        this.resolvedMethodClass = resolvedMethodClass;
    }

    /** The reader when this JDK has the expected fields and they are open to the tracker; else null. */
    static FrameMethods create(StackWalker walker) {
        try {
            Class<?> frameInfo = Class.forName("java.lang.StackFrameInfo", false, null);
            Field frameMember = findField(frameInfo, "memberName", "classOrMemberName");
            Class<?> memberName = Class.forName("java.lang.invoke.MemberName", false, null);
            Field memberMethod = memberName.getDeclaredField("method");
            Class<?> resolvedMethod = Class.forName("java.lang.invoke.ResolvedMethodName", false, null);
            frameMember.setAccessible(true);
            memberMethod.setAccessible(true);
            FrameMethods methods = new FrameMethods(frameMember, memberName, memberMethod, resolvedMethod);
            return methods.worksOn(walker) ? methods : null;
        } catch (Throwable notAvailable) {
            return null;
        }
    }

    private static Field findField(Class<?> type, String name, String alternative) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getName().equals(name) || field.getName().equals(alternative)) {
                    return field;
                }
            }
        }
        throw new NoSuchFieldException(name);
    }

    /**
     * The method's number, never 0, the same for every frame of the same method while its class
     * is loaded; 0 when the frame does not hold what this class expects.
     */
    long idOf(StackWalker.StackFrame frame, Class<?> declaringClass) {
        Object method = resolvedMethod(frame);
        return method == null ? 0 : perClass.get(declaringClass).idOf(method, lastId);
    }

    private Object resolvedMethod(StackWalker.StackFrame frame) {
        try {
            Object member = frameMember.get(frame);
            if (member != null && member.getClass() == memberNameClass) {
                member = memberMethod.get(member);
            }
            return member != null && member.getClass() == resolvedMethodClass ? member : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Two walks of one stack must give each frame the same number, and frames of different
     * methods different numbers; anything else and this reader is not used.
     */
    private boolean worksOn(StackWalker walker) {
        long[] first = SelfCheck.walkTwice(walker, this);
        long[] second = SelfCheck.walkTwice(walker, this);
        return first != null && second != null && first[0] != 0 && first[1] != 0 && first[0] != first[1]
                && first[0] == second[0] && first[1] == second[1];
    }

    /** The numbers of one class's methods: a small array searched by identity, copied on change. */
    private static final class MethodIds {
        private volatile Entry[] entries = new Entry[0];

        long idOf(Object method, AtomicLong lastId) {
            long found = find(entries, method);
            return found != 0 ? found : add(method, lastId);
        }

        private static long find(Entry[] entries, Object method) {
            for (Entry entry : entries) {
                if (entry.method == method) {
                    return entry.id;
                }
            }
            return 0;
        }

        private synchronized long add(Object method, AtomicLong lastId) {
            Entry[] current = entries;
            long found = find(current, method);
            if (found != 0) {
                return found;
            }
            Entry[] grown = java.util.Arrays.copyOf(current, current.length + 1);
            grown[current.length] = new Entry(method, lastId.incrementAndGet());
            entries = grown;
            return grown[current.length].id;
        }
    }

    /** One method's object and its number. */
    private static final class Entry {
        final Object method;
        final long id;

        Entry(Object method, long id) {
            this.method = method;
            this.id = id;
        }
    }

    /** Walks its own two frames ({@link #outer} calling {@link #inner}) and numbers them. */
    private static final class SelfCheck implements Function<Stream<StackWalker.StackFrame>, long[]> {
        private final FrameMethods methods;

        private SelfCheck(FrameMethods methods) {
            this.methods = methods;
        }

        static long[] walkTwice(StackWalker walker, FrameMethods methods) {
            return outer(walker, methods);
        }

        private static long[] outer(StackWalker walker, FrameMethods methods) {
            return inner(walker, methods);
        }

        private static long[] inner(StackWalker walker, FrameMethods methods) {
            return walker.walk(new SelfCheck(methods));
        }

        @Override
        public long[] apply(Stream<StackWalker.StackFrame> frames) {
            long[] ids = new long[2];
            int found = 0;
            java.util.Iterator<StackWalker.StackFrame> it = frames.iterator();
            while (found < 2 && it.hasNext()) {
                StackWalker.StackFrame frame = it.next();
                if (frame.getDeclaringClass() == SelfCheck.class && !frame.getMethodName().equals("apply")
                        && !frame.getMethodName().equals("walkTwice")) {
                    ids[found++] = methods.idOf(frame, frame.getDeclaringClass());
                }
            }
            return found == 2 ? ids : null;
        }
    }
}
