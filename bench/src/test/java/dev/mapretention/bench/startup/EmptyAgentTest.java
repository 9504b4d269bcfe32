package dev.mapretention.bench.startup;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The floor the start-up probe and the JMH runner's {@code --baseline empty-agent} measure against
 * is a real {@code -javaagent}: a JVM started with the jar loads the agent's class from it.
 */
class EmptyAgentTest {

    @Test
    void theJarIsAnAgentThatAJvmLoads() throws Exception {
        Path jar = EmptyAgent.writeJar();
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // premain runs before the launcher looks at -version, so the agent's class is loaded.
            Process jvm = new ProcessBuilder(java, "-javaagent:" + jar, "-Xlog:class+load=info", "-version")
                    .redirectErrorStream(true).start();
            String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jvm.waitFor(60, TimeUnit.SECONDS), "the JVM did not exit");
            assertEquals(0, jvm.exitValue(), output);
            List<String> loads = output.lines().filter(l -> l.contains(EmptyAgent.class.getName() + " ")).toList();
            assertEquals(1, loads.size(), output);
            assertTrue(loads.get(0).contains(jar.getFileName().toString()), loads.get(0));
        } finally {
            Files.deleteIfExists(jar);
        }
        assertFalse(Files.exists(jar));
    }

    @Test
    void theJarHoldsTheAgentAlone() throws IOException {
        Path jar = EmptyAgent.writeJar();
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            assertEquals(EmptyAgent.class.getName(), file.getManifest().getMainAttributes().getValue("Premain-Class"));
            List<String> entries = file.stream().map(java.util.jar.JarEntry::getName)
                    .filter(n -> !n.startsWith("META-INF/")).toList();
            assertEquals(List.of(EmptyAgent.class.getName().replace('.', '/') + ".class"), entries);
        } finally {
            Files.deleteIfExists(jar);
        }
    }
}
