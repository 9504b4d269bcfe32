package dev.mapretention.bench.startup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A Java agent that does nothing: what any {@code -javaagent} costs a JVM (the instrument module,
 * the agent jar, the module graph resolved again rather than taken from the CDS archive), the
 * floor under the map-retention agent's own cost. Its manifest asks for no capability to redefine
 * or retransform classes. {@link FrameworkStartupProbe} and the JMH runner's {@code --baseline
 * empty-agent} put it in a jar of its own ({@link #writeJar}).
 */
public final class EmptyAgent {

    private EmptyAgent() {
    }

    public static void premain(String options, Instrumentation instrumentation) {
        // nothing: the point is what the JVM does for an agent before and after this call
    }

    /**
     * A new jar in {@code java.io.tmpdir} holding this class alone, named by its manifest's
     * Premain-Class; the caller deletes it.
     */
    public static Path writeJar() throws IOException {
        Path jar = Files.createTempFile("map-retention-empty-agent-", ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), EmptyAgent.class.getName());
        String entry = EmptyAgent.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream in = EmptyAgent.class.getClassLoader().getResourceAsStream(entry)) {
            if (in == null) {
                throw new IllegalStateException("cannot read " + entry + " from the class path");
            }
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(jar);
            throw e;
        }
        return jar;
    }
}
