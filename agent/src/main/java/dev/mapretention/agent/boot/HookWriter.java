package dev.mapretention.agent.boot;

import jdk.internal.org.objectweb.asm.ClassReader;
import jdk.internal.org.objectweb.asm.ClassVisitor;
import jdk.internal.org.objectweb.asm.ClassWriter;
import jdk.internal.org.objectweb.asm.MethodVisitor;
import jdk.internal.org.objectweb.asm.Opcodes;

/**
 * Puts the hooks into a map class's file with the ASM that {@code java.base} itself carries
 * ({@code jdk.internal.org.objectweb.asm}, there up to Java 23), for the agent's start: the JDK
 * has that ASM loaded and archived in CDS already (its lambdas use it), so the five classes are
 * patched in about 6 ms where the agent's relocated copy, loaded and verified cold from the agent
 * jar, took 17-20 (Java 17: the agent's start fell from 42.5 to 30 ms). Since that copy moved into
 * the boot jar ({@code dev.mapretention.agent.boot.asm}, loaded by the boot loader, unverified),
 * this one still starts the agent 3-4 ms sooner on Java 17 (medians of 14 alternated runs).
 * Where {@link #available} is false, as on Java 25, or where this ASM refuses a class file (a
 * version newer than it knows), the agent patches with its own copy. The visitors here are the
 * agent's ({@code MapInstrumentation}'s {@code HookVisitor} and {@code HookCall}) written against
 * the other package, whose types they cannot share; {@code HookWritersTest} checks that both
 * write the same bytes for every kind.
 *
 * <p>A boot class because the agent exports that package only to this module (the boot class
 * loader's unnamed module, which holds the tracker), never to the application's class path.
 *
 * <p>A hook is described by strings, since this side cannot see the agent's classes: its method
 * name, descriptor, {@code "entry"} or {@code "return"}, the hooks class, its method and
 * descriptor, and then one word per argument, in order: {@code "table"} (the table about to be
 * returned), {@code "this"}, or a field of the map as {@code "field:NAME:DESCRIPTOR"}.
 */
public final class HookWriter {

    private static final String PACKAGE = "jdk.internal.org.objectweb.asm";

    private HookWriter() {
    }

    /** True when the JDK carries its ASM and exports it to this module. */
    public static boolean available() {
        Module javaBase = Object.class.getModule();
        return javaBase.getPackages().contains(PACKAGE) && javaBase.isExported(PACKAGE, HookWriter.class.getModule());
    }

    /**
     * The class file with the hooks in; {@code patched[0]} says how many hooks found their method.
     *
     * @param hooks each hook as the class comment says
     */
    public static byte[] patch(byte[] classFile, String[][] hooks, int[] patched) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM8, writer) {
            private String owner;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                owner = name;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                for (String[] hook : hooks) {
                    if (hook[0].equals(name) && hook[1].equals(descriptor)) {
                        patched[0]++;
                        return new HookCall(mv, hook, owner);
                    }
                }
                return mv;
            }
        }, 0);
        return writer.toByteArray();
    }

    /** Emits one hook's call at the method's start or before each of its returns. */
    private static final class HookCall extends MethodVisitor {
        private final String[] hook;
        private final String owner;
        private final boolean atEntry;

        HookCall(MethodVisitor next, String[] hook, String owner) {
            super(Opcodes.ASM8, next);
            this.hook = hook;
            this.owner = owner;
            this.atEntry = hook[2].equals("entry");
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (atEntry) {
                emit();
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (!atEntry && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                emit();
            }
            super.visitInsn(opcode);
        }

        private void emit() {
            for (int i = 6; i < hook.length; i++) {
                String argument = hook[i];
                if (argument.equals("table")) {
                    super.visitInsn(Opcodes.DUP);
                } else if (argument.equals("this")) {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                } else {
                    int type = argument.lastIndexOf(':');
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitFieldInsn(Opcodes.GETFIELD, owner, argument.substring("field:".length(), type),
                            argument.substring(type + 1));
                }
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, hook[3], hook[4], hook[5], false);
        }
    }
}
