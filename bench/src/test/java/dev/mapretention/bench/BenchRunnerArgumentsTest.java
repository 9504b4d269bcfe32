package dev.mapretention.bench;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The runner's command line: what each baseline and the agent's options mean, and one clear line for a bad one. */
class BenchRunnerArgumentsTest {

    @TempDir
    Path dir;
    private Path agentJar;

    @BeforeEach
    void anAgentJar() throws IOException {
        agentJar = Files.createFile(dir.resolve("agent.jar"));
    }

    private BenchRunner.Arguments parse(String... rest) {
        List<String> args = new ArrayList<>(List.of("--agent", agentJar.toString()));
        args.addAll(List.of(rest));
        return BenchRunner.Arguments.parse(args.toArray(new String[0]));
    }

    @Test
    void everyBaselineIsNamedAsTheHelpSays() {
        assertEquals(BenchRunner.Baseline.PLAIN, parse().baseline);
        assertEquals(BenchRunner.Baseline.PLAIN, parse("--baseline", "plain").baseline);
        assertEquals(BenchRunner.Baseline.JMX, parse("--baseline", "jmx").baseline);
        assertEquals(BenchRunner.Baseline.EMPTY_AGENT, parse("--baseline", "empty-agent").baseline);
    }

    @Test
    void aBadBaselineNamesTheOnesAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--baseline", "empty"));
        assertEquals("bad --baseline empty: expected plain, jmx or empty-agent", e.getMessage());
    }

    @Test
    void agentOptionsAreTheAgentsOwnOrItsDefaults() {
        assertEquals(null, parse().agentOptions);
        assertEquals("siteDepth=4,minCapacity=8192",
                parse("--agent-options", "siteDepth=4,minCapacity=8192").agentOptions);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--agent-options", "siteDepth=4, minCapacity=8192"));
        assertEquals("bad --agent-options 'siteDepth=4, minCapacity=8192': expected the agent's key=value pairs"
                + " joined by commas, e.g. siteDepth=4", e.getMessage());
    }
}
