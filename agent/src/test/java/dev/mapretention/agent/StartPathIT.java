package dev.mapretention.agent;

import dev.mapretention.scenarios.AgentPresence;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import dev.mapretention.testing.Scratch;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the agent's start loads to patch the maps: on Java 17, whose {@code java.base} carries an
 * ASM that reads its class files, the boot-side {@code HookWriter} patches with it, and none of
 * the agent's relocated ASM is loaded (the cold load and verification of those classes was a
 * third of the agent's start there); on Java 25, which carries none, the relocated ASM does it,
 * loaded by the boot class loader from the boot jar (natively and unverified: through the system
 * class loader, from the agent jar, its first patch took 10 ms longer). That the hooks then work
 * is what every other forked test checks, on both JDKs.
 */
class StartPathIT {

    private static final String RELOCATED_ASM = "dev.mapretention.agent.boot.asm.";
    private static final String HOOK_WRITER = "dev.mapretention.agent.boot.HookWriter";

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void theMapsArePatchedWithTheJdksAsmWhereItHasOne(Jdk jdk) throws Exception {
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("log=debug")
                .jvmArgs("-Xlog:class+load=info:stdout")
                .main(AgentPresence.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("agent installed: true"), result.describe());
        List<Loaded> loaded = classLoads(result);
        List<Loaded> relocated = loaded.stream().filter(c -> c.name().startsWith(RELOCATED_ASM)).toList();
        boolean hookWriter = loaded.stream().anyMatch(c -> c.name().startsWith(HOOK_WRITER + "$"));
        if (jdk.feature() == 17) {
            assertTrue(hookWriter, result.describe());
            assertEquals(List.of(), relocated, "the relocated ASM was loaded on Java " + jdk.feature());
        } else {
            assertFalse(relocated.isEmpty(), "the relocated ASM patched nothing on Java " + jdk.feature());
            String bootJar = ForkedJvm.agentJar().resolveSibling("map-retention-agent-boot.jar").toString();
            List<Loaded> notFromBootJar = relocated.stream().filter(c -> !c.source().equals(bootJar)).toList();
            assertEquals(List.of(), notFromBootJar, "the relocated ASM must come from the boot jar, by the boot class loader");
        }
    }

    /**
     * The agent jar copied alone, without its boot jar: the agent copies its boot package (the
     * tracker and the relocated ASM) out of itself into a temporary jar on the boot class path,
     * tracks as usual, and the temporary jar is gone when the JVM has exited.
     */
    @ParameterizedTest
    @JdkSource
    void theAgentJarAloneCopiesOutItsBootPackageAndTracks(Jdk jdk) throws Exception {
        Path alone = dir.resolve("map-retention-agent.jar");
        Files.copy(ForkedJvm.agentJar(), alone);
        Path report = Scratch.newFile("start-path", ".json");
        try {
            ForkedJvm.Result result = ForkedJvm.on(jdk)
                    .agentJar(alone, "grace=0s,scanInterval=10ms,report=" + report)
                    .jvmArgs("-Xlog:class+load=info:stdout")
                    .main(AgentPresence.class)
                    .run();
            assertEquals(0, result.exitCode(), result.describe());
            assertTrue(result.stdout().contains("agent installed: true"), result.describe());
            ParsedReport parsed = ParsedReport.read(report);
            assertEquals("retained", parsed.findingAt(AgentPresence.class.getName() + ".main").get("pattern").asText(),
                    parsed.toString());
            List<Loaded> loaded = classLoads(result);
            List<String> trackerSources = loaded.stream()
                    .filter(c -> c.name().equals("dev.mapretention.agent.boot.MapTracker"))
                    .map(Loaded::source)
                    .toList();
            assertEquals(1, trackerSources.size(), result.describe());
            Path extracted = Path.of(trackerSources.get(0));
            assertEquals(Scratch.dir(), extracted.getParent(), "the copy goes to java.io.tmpdir");
            assertTrue(extracted.getFileName().toString().startsWith("map-retention-boot"), extracted.toString());
            if (jdk.feature() != 17) {
                assertTrue(loaded.contains(new Loaded(RELOCATED_ASM + "ClassReader", extracted.toString())),
                        "the relocated ASM comes from the copied boot package\n" + result.describe());
            }
            assertFalse(Files.exists(extracted), extracted + " was left behind");
        } finally {
            Files.deleteIfExists(report);
            try (Stream<Path> left = Files.list(Scratch.dir())) {
                for (Path p : left.filter(f -> f.getFileName().toString().startsWith("map-retention-boot")).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** A class the JVM loaded, and where from, as {@code -Xlog:class+load=info:stdout} says. */
    private record Loaded(String name, String source) {
    }

    /** The {@code -Xlog:class+load} lines of a run ({@code [...] NAME source: SOURCE}). */
    private static List<Loaded> classLoads(ForkedJvm.Result result) {
        return Arrays.stream(result.stdout().split("\\R"))
                .filter(line -> line.contains(" source: "))
                .map(line -> {
                    int source = line.indexOf(" source: ");
                    return new Loaded(line.substring(line.lastIndexOf("] ", source) + 2, source),
                            line.substring(source + " source: ".length()));
                })
                .toList();
    }
}
