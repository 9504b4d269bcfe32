package dev.mapretention.agent;

import dev.mapretention.scenarios.ForeignByteBuddy;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application with its own, older Byte Buddy on the class path ({@code net.bytebuddy}, as Mockito
 * or Hibernate would bring it) runs beside the agent, whose Byte Buddy is relocated: the
 * application's generated classes work, and the agent still flags the drained maps, including
 * one of a HashMap subclass the application's Byte Buddy generated.
 */
class ForeignByteBuddyIT {

    private static final String SCENARIO = ForeignByteBuddy.class.getName();

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void applicationByteBuddyAndAgentBothWork(Jdk jdk) throws Exception {
        Path applicationByteBuddy = applicationByteBuddy();
        Path reportFile = dir.resolve("report.json");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("grace=0s,scanInterval=10ms,report=" + reportFile)
                .classPath(applicationByteBuddy)
                .main(ForeignByteBuddy.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("application Byte Buddy: " + applicationByteBuddy), result.describe());
        assertTrue(result.stdout().contains("generated Greeter says: proxied hello"), result.describe());
        assertTrue(result.stdout().contains("generated HashMap subclass says: generated map"), result.describe());
        assertTrue(result.stdout().contains("FOREIGN BYTE BUDDY DONE"), result.describe());

        ParsedReport report = ParsedReport.read(reportFile);
        assertEquals("HashMap", report.findingAt(SCENARIO + ".growPlainMap").get("container").asText(), report.toString());
        assertEquals("GeneratedMap", report.findingAt(SCENARIO + ".growGeneratedMap").get("container").asText(),
                report.toString());
        assertEquals(0, report.agent().get("trackerFailures").asLong(), report.toString());
    }

    /** The agent jar must not carry an unrelocated Byte Buddy that an application's could shadow, or the reverse. */
    @org.junit.jupiter.api.Test
    void agentJarHoldsNoUnrelocatedByteBuddy() throws Exception {
        try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
            List<String> unrelocated = jar.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("net/bytebuddy/") || n.startsWith("META-INF/versions/")
                            && n.contains("/net/bytebuddy/"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), unrelocated);
            // The agent uses only the ASM that Byte Buddy bundles (relocated into the boot package,
            // which the boot class loader loads); the jar is minimized to it.
            assertTrue(jar.getEntry("dev/mapretention/agent/boot/asm/ClassReader.class") != null,
                    "the relocated ASM is missing");
        }
    }

    /** The older Byte Buddy copied by the build into target/application-libs (not on the test class path). */
    private static Path applicationByteBuddy() throws Exception {
        try (Stream<Path> jars = Files.list(Path.of("target/application-libs"))) {
            Path jar = jars.filter(p -> p.getFileName().toString().startsWith("byte-buddy-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no byte-buddy jar in target/application-libs"));
            return jar.toAbsolutePath();
        }
    }
}
