package dev.mapretention.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.HashMap;

/**
 * Puts the tracker's calls into {@code java.util.HashMap}: at the returns of {@code resize} and
 * {@code removeNode}, and at the start of {@code clear}, each a single {@code invokestatic} into
 * {@code MapTracker} with the map, its {@code size} and its {@code table}.
 *
 * <p>HashMap is loaded long before any agent, so this retransforms it in place: no new fields,
 * methods or locals, and no branches (the tracker does every test itself), so stack map frames stay
 * valid and only the maximum stack grows. {@link Installed#reset} puts the original bytecode back.
 *
 * <p>Why not Byte Buddy's {@code AgentBuilder} with {@code Advice}: it did the same job but loaded
 * about a thousand classes and took 0.4 to 1.5 s of every application's start-up. This uses only
 * the ASM that Byte Buddy bundles (relocated with it): a few dozen classes and a few milliseconds.
 * The injected bytecode is what inlined advice would be, minus the exception handler: the
 * tracker's entry points cannot throw (they catch every {@code Throwable} on their slow path).
 */
public final class HashMapInstrumentation {

    static final String HASH_MAP = "java/util/HashMap";
    static final String TRACKER = "dev/mapretention/agent/boot/MapTracker";
    private static final String NODE_ARRAY = "[Ljava/util/HashMap$Node;";

    private HashMapInstrumentation() {
    }

    /** The installed transformation, which can be taken out again. */
    public static final class Installed {
        private final ClassFileTransformer transformer;
        private final Instrumentation instrumentation;

        public Installed(ClassFileTransformer transformer, Instrumentation instrumentation) {
            this.transformer = transformer;
            this.instrumentation = instrumentation;
        }

        /** Retransforms HashMap back to its original bytecode; true when that worked. */
        public boolean reset() {
            instrumentation.removeTransformer(transformer);
            try {
                instrumentation.retransformClasses(HashMap.class);
                return true;
            } catch (Throwable t) {
                return false;
            }
        }
    }

    /**
     * Retransforms HashMap.
     *
     * @throws IllegalStateException when HashMap could not be retransformed, with the reason
     */
    public static Installed install(Instrumentation instrumentation) {
        if (!instrumentation.isRetransformClassesSupported() || !instrumentation.isModifiableClass(HashMap.class)) {
            throw new IllegalStateException("this JVM cannot retransform java.util.HashMap");
        }
        Transformer transformer = new Transformer();
        instrumentation.addTransformer(transformer, true);
        try {
            instrumentation.retransformClasses(HashMap.class);
        } catch (Throwable t) {
            instrumentation.removeTransformer(transformer);
            throw new IllegalStateException("could not retransform java.util.HashMap: " + t, t);
        }
        if (transformer.failure != null || transformer.patched != 3) {
            Installed installed = new Installed(transformer, instrumentation);
            installed.reset();
            throw new IllegalStateException("could not instrument java.util.HashMap: "
                    + (transformer.failure != null ? transformer.failure.toString()
                    : "found " + transformer.patched + " of resize, removeNode and clear"), transformer.failure);
        }
        return new Installed(transformer, instrumentation);
    }

    /** Rewrites HashMap's bytes when, and only when, HashMap itself is retransformed. */
    private static final class Transformer implements ClassFileTransformer {
        volatile Throwable failure;
        volatile int patched;

        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classfileBuffer) {
            if (classBeingRedefined != HashMap.class) {
                return null;
            }
            try {
                ClassReader reader = new ClassReader(classfileBuffer);
                ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
                HashMapVisitor visitor = new HashMapVisitor(writer);
                reader.accept(visitor, 0);
                patched = visitor.patched;
                return visitor.patched == 3 ? writer.toByteArray() : null;
            } catch (Throwable t) {
                failure = t;
                return null;
            }
        }
    }

    /** Finds the three methods by name and descriptor and patches each. */
    static final class HashMapVisitor extends ClassVisitor {
        int patched;

        HashMapVisitor(ClassVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            if (name.equals("resize") && descriptor.equals("()" + NODE_ARRAY)) {
                patched++;
                return new ResizeExit(mv);
            }
            if (name.equals("removeNode")
                    && descriptor.equals("(ILjava/lang/Object;Ljava/lang/Object;ZZ)Ljava/util/HashMap$Node;")) {
                patched++;
                return new RemoveNodeExit(mv);
            }
            if (name.equals("clear") && descriptor.equals("()V")) {
                patched++;
                return new ClearEntry(mv);
            }
            return mv;
        }
    }

    /** Before each return of {@code resize()}: {@code MapTracker.resized(newTable, this, size)}. */
    private static final class ResizeExit extends MethodVisitor {
        ResizeExit(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.ARETURN) {
                super.visitInsn(Opcodes.DUP);
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, HASH_MAP, "size", "I");
                super.visitMethodInsn(Opcodes.INVOKESTATIC, TRACKER, "resized",
                        "([Ljava/lang/Object;Ljava/lang/Object;I)V", false);
            }
            super.visitInsn(opcode);
        }
    }

    /** Before each return of {@code removeNode(...)}: {@code MapTracker.removed(this, size, table)}. */
    private static final class RemoveNodeExit extends MethodVisitor {
        RemoveNodeExit(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.ARETURN) {
                callWithSizeAndTable(this, "removed");
            }
            super.visitInsn(opcode);
        }
    }

    /** At the start of {@code clear()}: {@code MapTracker.clearing(this, size, table)}. */
    private static final class ClearEntry extends MethodVisitor {
        ClearEntry(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            callWithSizeAndTable(this, "clearing");
        }
    }

    /** {@code MapTracker.<method>(this, this.size, this.table)}: 12 bytes of bytecode. */
    private static void callWithSizeAndTable(MethodVisitor mv, String method) {
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, HASH_MAP, "size", "I");
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, HASH_MAP, "table", NODE_ARRAY);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, TRACKER, method, "(Ljava/lang/Object;I[Ljava/lang/Object;)V", false);
    }
}
