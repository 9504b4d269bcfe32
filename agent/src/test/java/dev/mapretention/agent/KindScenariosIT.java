package dev.mapretention.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.scenarios.ConcurrentGrowthScenario;
import dev.mapretention.scenarios.KindScenarios;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import dev.mapretention.testing.JdkSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every JDK map kind besides the HashMap family, end to end: {@link KindScenarios} runs under
 * {@code -javaagent:} on the built jar, on Java 17 and Java 25, and its JSON report must flag
 * exactly the maps that stayed oversized, each with its container, its growing method as site,
 * and advice that names that kind's own replacement.
 */
class KindScenariosIT {

    private static final String SCENARIOS = KindScenarios.class.getName();

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void flagsExactlyTheMapsThatStayOversized(Jdk jdk) throws Exception {
        Path reportFile = dir.resolve("report.json");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("grace=300ms,scanInterval=100ms,report=" + reportFile)
                .main(KindScenarios.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("dropped maps collected: true"),
                "the agent kept a dropped map alive\n" + result.describe());
        assertTrue(result.stdout().contains("weak keys collected: true"), result.describe());
        ParsedReport report = ParsedReport.read(reportFile);

        String chm = "map = new ConcurrentHashMap<>()";
        assertFlagged(report, "growChmForRemove", "ConcurrentHashMap", chm);
        assertFlagged(report, "growChmForClear", "ConcurrentHashMap", chm);
        assertFlagged(report, "growChmForRemoveIf", "ConcurrentHashMap", chm);
        assertFlagged(report, "growChmForIteratorRemove", "ConcurrentHashMap", chm);
        assertFlagged(report, "growChmSubclass", "SessionRegistry", "a new SessionRegistry");
        assertFlagged(report, "growKeySetView", "ConcurrentHashMap.KeySetView", "set = ConcurrentHashMap.newKeySet()");
        assertFlagged(report, "growPropertiesForClear", "Properties", "props = new Properties()");
        String table = "map = new Hashtable<>()";
        assertFlagged(report, "growHashtableForRemove", "Hashtable", table);
        assertFlagged(report, "growHashtableForClear", "Hashtable", table);
        assertFlagged(report, "growHashtableForRemoveIf", "Hashtable", table);
        assertFlagged(report, "growHashtableSubclass", "LegacyRegistry", "a new LegacyRegistry");
        String identity = "map = new IdentityHashMap<>()";
        assertFlagged(report, "growIdentityForRemove", "IdentityHashMap", identity);
        assertFlagged(report, "growIdentityForClear", "IdentityHashMap", identity);
        assertFlagged(report, "growIdentityForRemoveIf", "IdentityHashMap", identity);
        assertFlagged(report, "growIdentitySubclass", "ObjectRegistry", "a new ObjectRegistry");
        String weak = "map = new WeakHashMap<>()";
        assertFlagged(report, "growWeakForRemove", "WeakHashMap", weak);
        assertFlagged(report, "growWeakForClear", "WeakHashMap", weak);
        assertFlagged(report, "growWeakForRemoveIf", "WeakHashMap", weak);
        assertFlagged(report, "growWeakSubclass", "Canonicalizer", "a new Canonicalizer");
        JsonNode collected = assertFlagged(report, "growWeakKeysCollected", "WeakHashMap", weak);
        assertTrue(collected.get("advice").asText().contains("keys were collected"), collected.toString());
        assertTrue(collected.get("advice").asText().contains("rebuild it periodically"), collected.toString());

        // Pre-sized, never filled: each kind's capacity, with its own layout.
        assertPresized(report, "presizeChm", "ConcurrentHashMap", 1 << 21);
        assertPresized(report, "presizeHashtable", "Hashtable", 1 << 20);
        assertPresized(report, "presizeIdentity", "IdentityHashMap", 1 << 20);
        assertPresized(report, "presizeWeak", "WeakHashMap", 1 << 20);

        for (String notFlagged : new String[] {"growChmKeptFull", "growHashtableKeptFull", "growIdentityKeptFull",
                "growWeakKeptFull", "growChmSmallDrained", "growHashtableSmallDrained", "growChmDrainedRefilled",
                "growHashtableDrainedRefilled", "drained"}) {
            assertTrue(report.findingsAt(SCENARIOS + "." + notFlagged).isEmpty(),
                    notFlagged + " must not be flagged\n" + report);
        }
        assertEquals(24, report.findings().size(), report.toString());
        assertEquals(24, report.summary().get("oversizedMaps").asLong(), report.toString());
        assertEquals(0, report.agent().get("trackerFailures").asLong(), report.toString());
        // Tracked now: the 24 oversized, 4 kept full and 2 refilled (the dropped ones are gone).
        assertEquals(30, report.summary().get("trackedMaps").asLong(), report.toString());
        long logged = result.agentLines().stream().filter(l -> l.contains("oversized:")).count();
        assertEquals(24, logged, result.describe());
    }

    /**
     * A ConcurrentHashMap grown by eight threads at once, its resizes helped by several of them,
     * then cleared: one map, one finding; eight threads with a map each: eight maps at one site.
     */
    @ParameterizedTest
    @JdkSource
    void concurrentGrowthIsOneMapPerMap(Jdk jdk) throws Exception {
        Path reportFile = dir.resolve("report.json");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("grace=300ms,scanInterval=100ms,report=" + reportFile)
                .jvmArgs("--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED")
                .main(ConcurrentGrowthScenario.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        ParsedReport report = ParsedReport.read(reportFile);
        String scenario = ConcurrentGrowthScenario.class.getName();
        JsonNode shared = report.findingAt(scenario + ".fillShared");
        assertEquals(1, shared.get("oversizedMaps").asLong(), report.toString());
        // 200,000 entries make 524,288 slots alone; contended puts may skip resize checks
        // (ConcurrentHashMap's addCount under counter-cell contention), so compare with the real table.
        int real = Integer.parseInt(result.stdout().replaceAll("(?s).*SHARED_TABLE_LENGTH=(\\d+).*", "$1"));
        assertTrue(real >= 1 << 16, result.describe());
        assertEquals(real, shared.get("maps").get(0).get("capacity").asInt(), report.toString());
        assertEquals(1, report.findingsAt(scenario + ".fillShared").size(), report.toString());
        JsonNode own = report.findingAt(scenario + ".fillOwn");
        assertEquals(8, own.get("oversizedMaps").asLong(), report.toString());
        assertEquals(1, report.findingsAt(scenario + ".fillOwn").size(), report.toString());
        assertEquals(9, report.summary().get("oversizedMaps").asLong(), report.toString());
        assertEquals(9, report.summary().get("trackedMaps").asLong(), report.toString());
        assertEquals(0, report.agent().get("trackerFailures").asLong(), report.toString());
    }

    private static JsonNode assertFlagged(ParsedReport report, String method, String container, String advised) {
        JsonNode finding = report.findingAt(SCENARIOS + "." + method);
        assertEquals(container, finding.get("container").asText(), method + "\n" + report);
        assertEquals("growth", finding.get("siteKind").asText(), method + "\n" + report);
        assertEquals(1, finding.get("oversizedMaps").asLong(), method + "\n" + report);
        JsonNode map = finding.get("maps").get(0);
        assertTrue(map.get("wastedBytes").asLong() > 0, method + "\n" + report);
        assertEquals(0, map.get("size").asLong(), method + "\n" + report);
        assertTrue(finding.get("site").get(1).asText().startsWith(SCENARIOS + ".main(KindScenarios.java:"),
                method + "\n" + report);
        assertTrue(finding.get("advice").asText().contains(advised), method + ": " + finding.get("advice"));
        return finding;
    }

    private static void assertPresized(ParsedReport report, String method, String container, int capacity) {
        JsonNode finding = report.findingAt(SCENARIOS + "." + method);
        assertEquals(container, finding.get("container").asText(), method + "\n" + report);
        JsonNode map = finding.get("maps").get(0);
        assertEquals(capacity, map.get("capacity").asInt(), method + "\n" + report);
        assertEquals(3, map.get("size").asInt(), method + "\n" + report);
        assertTrue(finding.get("advice").asText().contains("never filled"), method + ": " + finding.get("advice"));
    }
}
