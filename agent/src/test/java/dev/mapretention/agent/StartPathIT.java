package dev.mapretention.agent;

import dev.mapretention.scenarios.AgentPresence;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the agent's start loads to patch the maps: on Java 17, whose {@code java.base} carries an
 * ASM that reads its class files, the boot-side {@code HookWriter} patches with it, and none of
 * the agent's relocated ASM is loaded (the cold load and verification of those classes was a
 * third of the agent's start there); on Java 25, which carries none, the relocated ASM does it. That the hooks then work is what
 * every other forked test checks, on both JDKs.
 */
class StartPathIT {

    private static final String RELOCATED_ASM = "dev.mapretention.shaded.bytebuddy.jar.asm.";
    private static final String HOOK_WRITER = "dev.mapretention.agent.boot.HookWriter";

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
        List<String> loaded = Arrays.stream(result.stdout().split("\\R"))
                .filter(line -> line.contains(" source: "))
                .map(line -> line.substring(line.lastIndexOf("] ", line.indexOf(" source: ")) + 2, line.indexOf(" source: ")))
                .collect(Collectors.toList());
        List<String> relocated = loaded.stream().filter(c -> c.startsWith(RELOCATED_ASM)).collect(Collectors.toList());
        boolean hookWriter = loaded.stream().anyMatch(c -> c.startsWith(HOOK_WRITER + "$"));
        if (jdk.feature() == 17) {
            assertTrue(hookWriter, result.describe());
            assertEquals(List.of(), relocated, "the relocated ASM was loaded on Java " + jdk.feature());
        } else {
            assertFalse(relocated.isEmpty(), "the relocated ASM patched nothing on Java " + jdk.feature());
        }
    }
}
