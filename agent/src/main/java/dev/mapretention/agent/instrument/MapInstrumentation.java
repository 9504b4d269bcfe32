package dev.mapretention.agent.instrument;

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
        private final ClassFileTransformer transformer;
        private final Instrumentation instrumentation;
        private final List<MapKind> kinds;

        Installed(ClassFileTransformer transformer, Instrumentation instrumentation, List<MapKind> kinds) {
            this.transformer = transformer;
            this.instrumentation = instrumentation;
            this.kinds = kinds;
        }

        /**
         * Retransforms every instrumented class back to its original bytecode.
         *
         * @return the classes that could not be restored (empty when all were)
         */
        public List<Class<?>> reset() {
            instrumentation.removeTransformer(transformer);
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
        Transformer transformer = new Transformer(kinds);
        instrumentation.addTransformer(transformer, true);
        Installed installed = new Installed(transformer, instrumentation, kinds);
        try {
            instrumentation.retransformClasses(classes);
        } catch (Throwable t) {
            installed.reset();
            throw new IllegalStateException("could not retransform the JDK's maps: " + t, t);
        }
        String problem = transformer.problem();
        if (problem != null) {
            installed.reset();
            throw new IllegalStateException("could not instrument " + problem, transformer.failure);
        }
        return installed;
    }

    /** Rewrites a kind's class when, and only when, that class itself is retransformed. */
    private static final class Transformer implements ClassFileTransformer {
        private final List<MapKind> kinds;
        private final int[] patched;
        volatile Throwable failure;
        private volatile String failedClass;

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
                        ClassReader reader = new ClassReader(classfileBuffer);
                        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
                        HookVisitor visitor = new HookVisitor(writer, kind.hooks());
                        reader.accept(visitor, 0);
                        patched[i] = visitor.patched;
                        return visitor.patched == kind.hooks().size() ? writer.toByteArray() : null;
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
