package dev.mapretention.agent;

import dev.mapretention.scenarios.EncapsulationProbe;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent opens java.util, java.lang and java.lang.invoke to its tracker's module only (the boot
 * loader's unnamed module). The application's class path must stay exactly as encapsulated as
 * without the agent: its own deep reflection into those packages is refused either way.
 */
class EncapsulationIT {

    @ParameterizedTest
    @JdkSource
    void theApplicationIsAsEncapsulatedWithTheAgentAsWithout(Jdk jdk) throws Exception {
        ForkedJvm.Result without = ForkedJvm.on(jdk).main(EncapsulationProbe.class).run();
        ForkedJvm.Result with = ForkedJvm.on(jdk).agent("minCapacity=16,scanInterval=10ms")
                .main(EncapsulationProbe.class).run();
        List<String> expected = List.of("java.util: closed", "java.lang: closed", "java.lang.invoke: closed",
                "PROBE DONE 10000");
        assertEquals(0, without.exitCode(), without.describe());
        assertEquals(expected, without.stdout().lines().toList(), without.describe());
        assertEquals(0, with.exitCode(), with.describe());
        assertEquals(expected, with.stdout().lines().toList(), with.describe());
        // Its start line, and at exit at most the line on maps sparse under the grace period.
        assertEquals(1, with.agentLines().stream().filter(l -> !l.startsWith("[map-retention] at exit: ")).count(),
                "the agent started and said nothing else\n" + with.describe());
        assertTrue(with.agentLines().get(0).contains("tracking hash maps"), with.describe());
    }
}
