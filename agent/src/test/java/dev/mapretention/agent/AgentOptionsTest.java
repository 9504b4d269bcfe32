package dev.mapretention.agent;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AgentOptionsTest {

    @Test
    void defaultsAreTheContractsDefaults() throws Exception {
        AgentOptions options = AgentOptions.parse(null, new Properties());
        assertEquals(4096, options.minCapacity());
        assertEquals(0.125, options.sparseFill());
        assertEquals(60_000, options.graceMillis());
        assertEquals(10_000, options.scanIntervalMillis());
        assertNull(options.report());
        assertEquals(AgentOptions.LogLevel.INFO, options.log());
        assertEquals(2, options.reuseRefills());
        assertEquals(3, options.reuseCycles());
    }

    @Test
    void theReuseThresholdsAreOptions() throws Exception {
        AgentOptions options = AgentOptions.parse("reuseRefills=5,reuseCycles=10", new Properties());
        assertEquals(5, options.reuseRefills());
        assertEquals(10, options.reuseCycles());
    }

    @Test
    void parsesEveryDurationForm() throws Exception {
        assertEquals(0, AgentOptions.parse("grace=0s", new Properties()).graceMillis());
        assertEquals(500, AgentOptions.parse("grace=500ms", new Properties()).graceMillis());
        assertEquals(30_000, AgentOptions.parse("grace=30s", new Properties()).graceMillis());
        assertEquals(300_000, AgentOptions.parse("grace=5m", new Properties()).graceMillis());
        assertEquals(3_600_000, AgentOptions.parse("grace=1h", new Properties()).graceMillis());
    }

    @Test
    void theAgentArgumentWinsOverSystemProperties() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mapretention.minCapacity", "1024");
        properties.setProperty("mapretention.log", "debug");
        AgentOptions options = AgentOptions.parse("minCapacity=65536", properties);
        assertEquals(65536, options.minCapacity());
        assertEquals(AgentOptions.LogLevel.DEBUG, options.log());
    }

    @Test
    void badOptionsNameTheOptionAndWhatItAccepts() {
        assertEquals("unknown option 'minCap': known options are minCapacity, sparseFill, grace, scanInterval, report,"
                + " log, maxTrackedMaps, maxSites, siteDepth, censusBudget, reuseRefills, reuseCycles", message("minCap=1"));
        assertEquals("bad option sparseFill=1.5: expected a fraction greater than 0 and less than 1, such as 0.125",
                message("sparseFill=1.5"));
        assertEquals("bad option scanInterval=0s: expected a duration such as 0s, 500ms, 30s, 5m or 1h (at least 1ms)",
                message("scanInterval=0s"));
        assertEquals("bad option minCapacity=-4: expected a whole number of slots from 1 to 1073741824",
                message("minCapacity=-4"));
        assertEquals("option 'grace' is given twice: give each option once", message("grace=1s,grace=2s"));
        assertEquals("empty option in 'grace=1s,,log=info': options are key=value pairs joined by single commas",
                message("grace=1s,,log=info"));
        assertEquals("bad option log=loud: expected quiet, info or debug", message("log=loud"));
    }

    private static String message(String args) {
        return assertThrows(AgentOptions.OptionException.class, () -> AgentOptions.parse(args, new Properties()))
                .getMessage();
    }
}
