package dev.mapretention.cli;

import dev.mapretention.agent.boot.BootVersion;
import dev.mapretention.scenarios.AgentPresence;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.SteppedJvm;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two builds never mix. The agent's boot jar and agent jar carry one build identity
 * ({@code BootVersion.ID}): an agent beside another build's boot jar refuses to start, in one
 * line, and the application runs on. And since a JVM keeps the first agent jar's classes after a
 * detach, {@code attach} with another build's jar (run as {@code java -jar}) is refused before it
 * loads anything, while the
 * same build attaches again. The other build is a copy of this one with its identity rewritten.
 */
class OtherBuildIT {

    private static final String OTHER = "0.0.0 built elsewhere";

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void anAgentBesideAnotherBuildsBootJarRefusesToStart(Jdk jdk) throws Exception {
        Path jar = ForkedJvm.agentJar();
        Path copy = dir.resolve("mixed");
        Files.createDirectories(copy);
        Files.copy(jar, copy.resolve("map-retention-agent.jar"));
        rewrite(jar.resolveSibling("map-retention-agent-boot.jar"), copy.resolve("map-retention-agent-boot.jar"));
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agentJar(copy.resolve("map-retention-agent.jar"), null)
                .main(AgentPresence.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("agent installed: false"), result.describe());
        assertEquals(List.of("[map-retention] could not start, the application runs without it: java.io.IOException: "
                + "the tracker classes on this JVM's boot class path are another map-retention build's (" + OTHER
                + "; this agent is " + BootVersion.ID + "): keep the map-retention-agent-boot.jar of the same build"
                + " beside the agent jar, or, if an earlier attach loaded them, restart the JVM"), result.agentLines());
    }

    @ParameterizedTest
    @JdkSource
    void attachOfAnotherBuildIsRefusedAfterADetach(Jdk jdk) throws Exception {
        Path jar = ForkedJvm.agentJar();
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        rewrite(jar, other.resolve("map-retention-agent.jar"));
        rewrite(jar.resolveSibling("map-retention-agent-boot.jar"), other.resolve("map-retention-agent-boot.jar"));
        try (SteppedJvm target = SteppedJvm.start(AttachIT.target(jdk))) {
            long pid = target.pid();
            assertEquals(0, CliRun.run(jar, "attach", pid).status(), target.describe());
            assertEquals(0, CliRun.run(jar, "detach", pid).status(), target.describe());
            long linesBefore = target.stderr().lines().count();

            // As its own process: the other build's command line, with its own classes.
            CommandLineIT.Cli refused = CommandLineIT.javaJar(jdk, other.resolve("map-retention-agent.jar"), "attach",
                    Long.toString(pid));
            assertEquals(1, refused.status(), refused.describe());
            assertEquals("map-retention: map-retention " + BootVersion.ID + " ran in " + pid
                    + " before (detached since), and this is " + OTHER + ": a JVM keeps the first agent's classes,"
                    + " so attach that build's jar again, or restart it\n", refused.err(), refused.describe());
            assertEquals(linesBefore, target.stderr().lines().count(), "nothing was loaded\n" + target.describe());

            CliRun again = CliRun.run(jar, "attach", pid);
            assertEquals(0, again.status(), again.describe() + target.describe());
            assertEquals(0, CliRun.run(jar, "detach", pid).status(), target.describe());
        }
    }

    /** Copies a jar, changing every occurrence of this build's identity in its classes to {@link #OTHER}. */
    private static void rewrite(Path from, Path to) throws IOException {
        int[] replaced = {0};
        try (JarFile in = new JarFile(from.toFile());
             OutputStream file = Files.newOutputStream(to);
             JarOutputStream out = new JarOutputStream(file)) {
            for (JarEntry entry : Collections.list(in.entries())) {
                out.putNextEntry(new JarEntry(entry.getName()));
                try (InputStream bytes = in.getInputStream(entry)) {
                    byte[] content = bytes.readAllBytes();
                    out.write(entry.getName().endsWith(".class") ? rewriteClass(content, replaced) : content);
                }
                out.closeEntry();
            }
        }
        assertTrue(replaced[0] > 0, "no build identity in " + from);
    }

    private static byte[] rewriteClass(byte[] classFile, int[] replaced) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                return super.visitField(access, name, descriptor, signature, swap(value));
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature,
                        exceptions)) {
                    @Override
                    public void visitLdcInsn(Object value) {
                        super.visitLdcInsn(swap(value));
                    }
                };
            }

            private Object swap(Object value) {
                if (BootVersion.ID.equals(value)) {
                    replaced[0]++;
                    return OTHER;
                }
                return value;
            }
        }, 0);
        return writer.toByteArray();
    }
}
