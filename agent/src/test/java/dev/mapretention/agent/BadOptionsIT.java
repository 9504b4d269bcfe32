package dev.mapretention.agent;

import dev.mapretention.scenarios.AgentPresence;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input through a real {@code -javaagent:}, on both JDKs: for a representative row of each kind
 * in {@link BadOptions} the agent says its one line on standard error and installs nothing, and the
 * application ({@link AgentPresence}) runs with its output intact. An unwritable report path is
 * said once, not at every scan, and the application runs.
 */
class BadOptionsIT {

    private static final String APPLICATION_OUTPUT = "application output: 0 entries left, all good";

    @TempDir
    Path dir;

    static List<Arguments> forkedCases() {
        List<Arguments> arguments = new ArrayList<>();
        for (Jdk jdk : Jdk.selected()) {
            for (BadOptions.Case bad : BadOptions.forked()) {
                arguments.add(Arguments.of(jdk, bad));
            }
        }
        return arguments;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("forkedCases")
    void badOptionIsOneLineAndTheApplicationRunsWithoutTheAgent(Jdk jdk, BadOptions.Case bad) throws Exception {
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent(bad.agentArgs())
                .jvmArgs(bad.jvmArgs().toArray(new String[0]))
                .main(AgentPresence.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        assertEquals(List.of(APPLICATION_OUTPUT, "agent installed: false"), result.stdout().lines()
                .collect(Collectors.toList()), result.describe());
        assertEquals(List.of("[map-retention] " + bad.message() + "; the agent is not installed"),
                result.stderr().lines().collect(Collectors.toList()), result.describe());
    }

    /** The control: the same application sees the agent when the options are good. */
    @ParameterizedTest
    @JdkSource
    void goodOptionsInstallTheAgent(Jdk jdk) throws Exception {
        ForkedJvm.Result result = ForkedJvm.on(jdk).agent("minCapacity=16,grace=1s").main(AgentPresence.class).run();
        assertEquals(0, result.exitCode(), result.describe());
        assertEquals(List.of(APPLICATION_OUTPUT, "agent installed: true"), result.stdout().lines()
                .collect(Collectors.toList()), result.describe());
        assertTrue(result.agentLines().get(0).startsWith("[map-retention] tracking hash maps of 16 slots"),
                result.describe());
    }

    @ParameterizedTest
    @JdkSource
    void unwritableReportIsSaidOnceAndTheApplicationRuns(Jdk jdk) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        for (Path report : List.of(dir.resolve("no-such-dir").resolve("report.json"),
                notADirectory.resolve("report.json"))) {
            ForkedJvm.Result result = ForkedJvm.on(jdk)
                    .agent("scanInterval=10ms,log=debug,report=" + report)
                    .main(AgentPresence.class, "300")
                    .run();
            assertEquals(0, result.exitCode(), result.describe());
            assertEquals(List.of(APPLICATION_OUTPUT, "agent installed: true"), result.stdout().lines()
                    .collect(Collectors.toList()), result.describe());
            List<String> lines = result.agentLines();
            long scans = lines.stream().filter(l -> l.matches("\\[map-retention] scan \\d+: .*")).count();
            // Several passes after the failure (how many fit in 300 ms depends on the machine's load).
            assertTrue(scans >= 3, "the scanner scanned only " + scans + " times\n" + result.describe());
            Pattern cannotWrite = Pattern.compile("\\[map-retention] cannot write report " + Pattern.quote(report.toString())
                    + ": java\\.nio\\.file\\.\\w+Exception: .* \\(will keep trying at every scan without saying so again\\)");
            List<String> said = lines.stream().filter(l -> l.contains("cannot write report")).collect(Collectors.toList());
            assertEquals(1, said.size(), result.describe());
            assertTrue(cannotWrite.matcher(said.get(0)).matches(), said.get(0));
            assertTrue(lines.stream().allMatch(l -> l.contains("cannot write report") || l.contains("scan ")
                    || l.contains("tracking hash maps") || l.contains("maps instrumented in")
                    || l.contains("scans prepared in")
                    || l.contains("] at exit: ")),
                    result.describe());
        }
    }
}
