package dev.mapretention.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every row of {@link BadOptions}: {@link AgentOptions#parse} rejects it with exactly its line. */
class AgentOptionsBadInputTest {

    static List<BadOptions.Case> cases() {
        return BadOptions.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectedWithOneClearLine(BadOptions.Case bad) {
        AgentOptions.OptionException e = assertThrows(AgentOptions.OptionException.class,
                () -> AgentOptions.parse(bad.agentArgs(), bad.systemProperties()));
        assertEquals(bad.message(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void theAgentArgumentOverridesABadProperty() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mapretention.grace", "soon");
        assertEquals(1_000, AgentOptions.parse("grace=1s", properties).graceMillis());
    }

    @Test
    void unrelatedPropertiesAreNotOptions() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mapretentionx.colour", "red");
        properties.setProperty("dev.mapretention.test.injectTrackerFailures", "false");
        assertEquals(AgentOptions.defaults().toString(), AgentOptions.parse(null, properties).toString());
    }

    @Test
    void goodValuesNextToTheBadOnesParse() throws Exception {
        AgentOptions good = AgentOptions.parse(
                " minCapacity=16 , sparseFill=0.5,grace=0s,scanInterval=1ms,report=r.json,log=quiet,"
                        + "maxTrackedMaps=1,maxSites=1,siteDepth=256,censusBudget=100ms", new Properties());
        assertEquals(16, good.minCapacity());
        assertEquals(0.5, good.sparseFill());
        assertEquals(0, good.graceMillis());
        assertEquals(1, good.scanIntervalMillis());
        assertEquals(100, good.censusBudgetMillis());
    }

    @Test
    void everyOptionHasABadValueInTheTable() {
        for (String key : AgentOptions.keys()) {
            assertTrue(BadOptions.all().stream().anyMatch(c -> c.message().startsWith("bad option " + key + "=")),
                    "no bad value of " + key + " in the table");
        }
    }
}
