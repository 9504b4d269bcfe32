package dev.mapretention.agent.instrument;

import dev.mapretention.agent.boot.HookWriter;
import dev.mapretention.agent.boot.Redefinitions;
import dev.mapretention.agent.kinds.Hook;
import dev.mapretention.agent.kinds.MapKind;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the tracker's hooks into the JDK's map classes, each kind's as its {@link MapKind#hooks()}
 * say: single {@code invokestatic} calls into the boot-side hooks classes, at a method's start
 * or before each of its returns.
 *
 * <p>These classes are loaded long before any agent, so this retransforms them in place: no new
 * fields, methods or locals, and no branches (the hooks do every test themselves), so stack map
 * frames stay valid and only the maximum stack grows. {@link Installed#reset} puts the original
 * bytecode back.
 *
 * <p>The transformer is registered only while it retransforms: a registered one would be called at
 * every class the application loads afterwards (some 45 ms more for the 7,000 classes of a Spring
 * Boot start). Another agent that retransforms a map class then takes its hooks out, since the JVM
 * starts again from the class's original bytes; the scanner notices from the class's redefinition
 * count and puts them back ({@link Installed#reinstate}). On a JVM where that count cannot be read,
 * the transformer stays registered instead.
 *
 * <p>Why not Byte Buddy's {@code AgentBuilder} with {@code Advice}: it did the same job but loaded
 * about a thousand classes and took 0.4 to 1.5 s of every application's start-up. This uses only
 * the ASM that Byte Buddy bundles (relocated with it): a few dozen classes and a few milliseconds.
 * The injected bytecode is what inlined advice would be, minus the exception handler: the hooks
 * cannot throw (they catch every {@code Throwable} on their slow path).
 */
public final class MapInstrumentation {

    private MapInstrumentation() {
    }

    /** The installed transformation, which can be taken out again. */
    public static final class Installed {
        private final Instrumentation instrumentation;
        private final List<MapKind> kinds;
        /**
         * Registered for good only on a JVM whose redefinition counts cannot be read: then it puts
         * the hooks back itself whenever another agent retransforms a map class. Else null.
         */
        private final ClassFileTransformer resident;
        /** Each class's redefinition count once its hooks went in, or null with a resident transformer. */
        private final int[] versions;
        private boolean reset;

        Installed(Instrumentation instrumentation, List<MapKind> kinds, ClassFileTransformer resident, int[] versions) {
            this.instrumentation = instrumentation;
            this.kinds = kinds;
            this.resident = resident;
            this.versions = versions;
        }

        /**
         * Retransforms every instrumented class back to its original bytecode.
         *
         * @return the classes that could not be restored (empty when all were)
         */
        public synchronized List<Class<?>> reset() {
            reset = true;
            if (resident != null) {
                instrumentation.removeTransformer(resident);
            }
            return restore(instrumentation, kinds);
        }

        /**
         * Puts the hooks back into every class that was redefined or retransformed since they went
         * in: another agent did it, and the JVM started the class again from its original bytes.
         * Nothing to do while the resident transformer is registered, and after a {@link #reset}.
         *
         * @return the classes whose hooks are back (empty when none had lost them)
         * @throws IllegalStateException when some could not be put back, with the reason; those
         *                               are not tried again until they are retransformed again
         */
        public synchronized List<Class<?>> reinstate() {
            if (versions == null || reset) {
                return List.of();
            }
            List<MapKind> lost = new ArrayList<>();
            for (int i = 0; i < kinds.size(); i++) {
                if (Redefinitions.count(kinds.get(i).mapClass()) != versions[i]) {
                    lost.add(kinds.get(i));
                }
            }
            if (lost.isEmpty()) {
                return List.of();
            }
            try {
                retransform(instrumentation, lost);
            } finally {
                for (int i = 0; i < kinds.size(); i++) {
                    versions[i] = Redefinitions.count(kinds.get(i).mapClass());
                }
            }
            List<Class<?>> back = new ArrayList<>();
            for (MapKind kind : lost) {
                back.add(kind.mapClass());
            }
            return back;
        }

        /** The instrumented classes. */
        public List<Class<?>> classes() {
            List<Class<?>> classes = new ArrayList<>();
            for (MapKind kind : kinds) {
                classes.add(kind.mapClass());
            }
            return classes;
        }
    }

    /**
     * Retransforms the classes of {@code kinds}, all at once.
     *
     * @throws IllegalStateException when any could not be retransformed, with the reason; those
     *                               that were are put back first
     */
    public static Installed install(Instrumentation instrumentation, List<MapKind> kinds) {
        Class<?>[] classes = new Class<?>[kinds.size()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = kinds.get(i).mapClass();
            if (!instrumentation.isModifiableClass(classes[i])) {
                throw new IllegalStateException("this JVM cannot retransform " + classes[i].getName());
            }
        }
        if (!instrumentation.isRetransformClassesSupported()) {
            throw new IllegalStateException("this JVM cannot retransform classes");
        }
        // Every hooks class is loaded and initialised before any map calls it: loaded lazily, the
        // first call could come from inside another agent's ClassFileTransformer, which uses maps
        // while the hooks class itself is being loaded (ClassCircularityError, seen with the
        // OpenTelemetry Java agent ahead of ours).
        for (MapKind kind : kinds) {
            for (Hook hook : kind.hooks()) {
                try {
                    Class.forName(hook.hookClass().replace('/', '.'), true, null);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("the boot class path has no " + hook.hookClass(), e);
                }
            }
        }
        int[] versions = new int[kinds.size()];
        boolean countsReadable = true;
        try {
            retransform(instrumentation, kinds);
            for (int i = 0; i < versions.length; i++) {
                versions[i] = Redefinitions.count(classes[i]);
                countsReadable &= versions[i] != Redefinitions.UNKNOWN;
            }
        } catch (IllegalStateException e) {
            restore(instrumentation, kinds);
            throw e;
        }
        if (countsReadable) {
            return new Installed(instrumentation, kinds, null, versions);
        }
        // Without the counts the agent could not tell that another agent took the hooks out:
        // a transformer stays registered, which puts them back at once, at the price of a call
        // into it at every class load.
        Transformer resident = new Transformer(kinds);
        instrumentation.addTransformer(resident, true);
        return new Installed(instrumentation, kinds, resident, null);
    }

    /**
     * Retransforms each kind's class with no transformer of this agent registered: back to its
     * original bytecode (or to what other agents make of it).
     *
     * @return the classes that could not be restored (empty when all were)
     */
    private static List<Class<?>> restore(Instrumentation instrumentation, List<MapKind> kinds) {
        List<Class<?>> failed = new ArrayList<>();
        for (MapKind kind : kinds) {
            try {
                instrumentation.retransformClasses(kind.mapClass());
            } catch (Throwable t) {
                failed.add(kind.mapClass());
            }
        }
        return failed;
    }

    /**
     * Retransforms the classes of {@code kinds} with their hooks, through a transformer that is
     * registered only meanwhile.
     *
     * @throws IllegalStateException when the JVM refused or a hook was not put in, with the reason
     */
    private static void retransform(Instrumentation instrumentation, List<MapKind> kinds) {
        Class<?>[] classes = new Class<?>[kinds.size()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = kinds.get(i).mapClass();
        }
        Transformer transformer = new Transformer(kinds);
        instrumentation.addTransformer(transformer, true);
        try {
            instrumentation.retransformClasses(classes);
        } catch (Throwable t) {
            throw new IllegalStateException("could not retransform the JDK's maps: " + t, t);
        } finally {
            instrumentation.removeTransformer(transformer);
        }
        String problem = transformer.problem();
        if (problem != null) {
            throw new IllegalStateException("could not instrument " + problem, transformer.failure);
        }
    }

    /**
     * The class file with the kind's hooks in; {@code patched[0]} says how many went in. With the
     * JDK's own ASM when {@code jdkAsm}, falling back to the relocated one if that fails: the JDK
     * stopped keeping its ASM current as it moved to the ClassFile API, so on the last JDKs that
     * carry it, it may refuse their own class files' version.
     */
    static byte[] patch(byte[] classFile, MapKind kind, boolean jdkAsm, int[] patched) {
        if (jdkAsm) {
            try {
                return HookWriter.patch(classFile, describe(kind.hooks()), patched);
            } catch (RuntimeException | LinkageError refused) {
                patched[0] = 0;
            }
        }
        return RelocatedAsm.patch(classFile, kind, patched);
    }

    /**
     * The patch with the relocated ASM, in a class of its own: verifying a class that passes ASM's
     * types to each other loads them, and on a JDK with its own ASM nothing else needs them. The
     * build relocates that ASM into the boot package ({@code dev.mapretention.agent.boot.asm}), so
     * the boot class loader loads it from the boot jar, natively and without verifying it: on
     * Java 25 the first patch (HashMap's) then takes 6-11 ms instead of 15-26, cold.
     */
    static final class RelocatedAsm {
        private RelocatedAsm() {
        }

        /** The class file with the kind's hooks in; {@code patched[0]} says how many went in. */
        static byte[] patch(byte[] classFile, MapKind kind, int[] patched) {
            ClassReader reader = new ClassReader(classFile);
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            HookVisitor visitor = new HookVisitor(writer, kind.hooks());
            reader.accept(visitor, 0);
            patched[0] = visitor.patched;
            return writer.toByteArray();
        }
    }

    /** The hooks as {@link HookWriter} takes them. */
    static String[][] describe(List<Hook> hooks) {
        String[][] described = new String[hooks.size()][];
        for (int h = 0; h < described.length; h++) {
            Hook hook = hooks.get(h);
            List<String> words = new ArrayList<>(List.of(hook.method(), hook.descriptor(),
                    hook.atEntry() ? "entry" : "return", hook.hookClass(), hook.hookMethod(), hook.hookDescriptor()));
            for (Hook.Argument argument : hook.arguments()) {
                switch (argument.source()) {
                    case RETURNED_TABLE:
                        words.add("table");
                        break;
                    case THIS:
                        words.add("this");
                        break;
                    default:
                        words.add("field:" + argument.fieldName() + ":" + argument.fieldType());
                        break;
                }
            }
            described[h] = words.toArray(new String[0]);
        }
        return described;
    }

    /** Rewrites a kind's class when, and only when, that class itself is retransformed. */
    private static final class Transformer implements ClassFileTransformer {
        private final List<MapKind> kinds;
        private final int[] patched;
        volatile Throwable failure;
        private volatile String failedClass;

        /** Whether the JDK's own ASM does the patching ({@link HookWriter}), else the relocated one. */
        private final boolean jdkAsm = HookWriter.available();

        Transformer(List<MapKind> kinds) {
            this.kinds = kinds;
            this.patched = new int[kinds.size()];
        }


        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classfileBuffer) {
            if (classBeingRedefined == null || loader != null) {
                return null;
            }
            for (int i = 0; i < kinds.size(); i++) {
                MapKind kind = kinds.get(i);
                if (classBeingRedefined == kind.mapClass()) {
                    try {
                        int[] count = new int[1];
                        byte[] result = patch(classfileBuffer, kind, jdkAsm, count);
                        patched[i] = count[0];
                        return patched[i] == kind.hooks().size() ? result : null;
                    } catch (Throwable t) {
                        failure = t;
                        failedClass = kind.mapClass().getName();
                        return null;
                    }
                }
            }
            return null;
        }

        /** What went wrong, naming the class, or null when every hook of every kind is in. */
        String problem() {
            if (failure != null) {
                return failedClass + ": " + failure;
            }
            for (int i = 0; i < kinds.size(); i++) {
                if (patched[i] != kinds.get(i).hooks().size()) {
                    List<String> wanted = new ArrayList<>();
                    for (Hook hook : kinds.get(i).hooks()) {
                        wanted.add(hook.method());
                    }
                    return kinds.get(i).mapClass().getName() + ": found " + patched[i] + " of the methods "
                            + String.join(", ", wanted);
                }
            }
            return null;
        }
    }

    /** Finds each hook's method by name and descriptor and patches it. */
    static final class HookVisitor extends ClassVisitor {
        private final List<Hook> hooks;
        int patched;

        HookVisitor(ClassVisitor next, List<Hook> hooks) {
            super(Opcodes.ASM9, next);
            this.hooks = hooks;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            for (Hook hook : hooks) {
                if (hook.method().equals(name) && hook.descriptor().equals(descriptor)) {
                    patched++;
                    return new HookCall(mv, hook, className);
                }
            }
            return mv;
        }

        private String className;

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            className = name;
            super.visit(version, access, name, signature, superName, interfaces);
        }
    }

    /** Emits one hook's call at the method's start or before each of its returns. */
    private static final class HookCall extends MethodVisitor {
        private final Hook hook;
        private final String owner;

        HookCall(MethodVisitor next, Hook hook, String owner) {
            super(Opcodes.ASM9, next);
            this.hook = hook;
            this.owner = owner;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (hook.atEntry()) {
                emit();
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (!hook.atEntry() && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                emit();
            }
            super.visitInsn(opcode);
        }

        private void emit() {
            for (Hook.Argument argument : hook.arguments()) {
                switch (argument.source()) {
                    case RETURNED_TABLE:
                        super.visitInsn(Opcodes.DUP);
                        break;
                    case THIS:
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        break;
                    default:
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        super.visitFieldInsn(Opcodes.GETFIELD, owner, argument.fieldName(), argument.fieldType());
                        break;
                }
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, hook.hookClass(), hook.hookMethod(), hook.hookDescriptor(),
                    false);
        }
    }
}
