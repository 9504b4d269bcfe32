package dev.mapretention.agent.report;

import dev.mapretention.agent.boot.MapKinds;
import dev.mapretention.agent.kinds.MapKind;

import dev.mapretention.agent.AgentOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    private static final MapKind HASH_MAP = MapKind.of(MapKinds.HASH_MAP);


    private static Report sample() throws Exception {
        Report.MapInfo map = new Report.MapInfo("java.util.HashMap", 2_097_152, 0, 1_234, 8_388_624);
        Report.Finding finding = new Report.Finding(
                List.of("com.example.Cache.load(Cache.java:42)", "weird\"frame\\with\ttab(Unknown Source)"),
                "growth", "HashMap", 1, 8_388_624, List.of(map),
                Remedy.forFinding(HASH_MAP, "HashMap", 1, 1, 0, map));
        return new Report(Instant.parse("2026-11-22T10:00:00Z"), 1234, "17.0.15", 5000,
                AgentOptions.parse("grace=30s,report=/var/tmp/r.json", new Properties()), 12, 1, 8_388_624,
                new Report.UnderGrace(2, 2_100), List.of(finding),
                new Report.AgentHealth(0, false, 0, 3, 12, 0));
    }

    @Test
    void theJsonHasTheContractsShape() throws Exception {
        JsonNode root = new ObjectMapper().readTree(sample().toJson());
        assertEquals("map-retention-report/1", root.get("format").asText());
        assertEquals("2026-11-22T10:00:00Z", root.get("generatedAt").asText());
        assertEquals(1234, root.get("jvm").get("pid").asLong());
        assertEquals("17.0.15", root.get("jvm").get("javaVersion").asText());
        assertEquals(5000, root.get("jvm").get("uptimeMillis").asLong());
        assertEquals(4096, root.get("settings").get("minCapacity").asInt());
        assertEquals(0.125, root.get("settings").get("sparseFill").asDouble());
        assertEquals(30_000, root.get("settings").get("graceMillis").asLong());
        // Every option in effect, not only those the contract requires.
        JsonNode settings = root.get("settings");
        assertEquals(10_000, settings.get("scanIntervalMillis").asLong());
        assertEquals("/var/tmp/r.json", settings.get("report").asText());
        assertEquals("info", settings.get("log").asText());
        assertEquals(100_000, settings.get("maxTrackedMaps").asInt());
        assertEquals(10_000, settings.get("maxSites").asInt());
        assertEquals(12, settings.get("siteDepth").asInt());
        assertEquals(AgentOptions.keys().size(), settings.size(), settings.toString());
        assertEquals(2, root.get("summary").get("sparseUnderGrace").asLong());
        assertEquals(12, root.get("summary").get("trackedMaps").asLong());
        assertEquals(1, root.get("summary").get("oversizedMaps").asLong());
        assertEquals(8_388_624, root.get("summary").get("wastedBytes").asLong());
        JsonNode finding = root.get("findings").get(0);
        assertEquals("com.example.Cache.load(Cache.java:42)", finding.get("site").get(0).asText());
        assertEquals("weird\"frame\\with\ttab(Unknown Source)", finding.get("site").get(1).asText());
        assertEquals("HashMap", finding.get("container").asText());
        assertEquals(1, finding.get("oversizedMaps").asLong());
        JsonNode map = finding.get("maps").get(0);
        assertEquals("java.util.HashMap", map.get("type").asText());
        assertEquals(2_097_152, map.get("capacity").asInt());
        assertEquals(0, map.get("size").asInt());
        assertEquals(1_234, map.get("sparseForMillis").asLong());
        assertEquals(8_388_624, map.get("wastedBytes").asLong());
        assertTrue(finding.get("advice").asText().contains("map = new HashMap<>()"), finding.toString());
    }

    @Test
    void anEmptyReportIsValidJsonWithNoFindings() throws Exception {
        Report empty = new Report(Instant.now(), 1, "25", 1, AgentOptions.defaults(), 0, 0, 0,
                new Report.UnderGrace(0, 0), List.of(),
                new Report.AgentHealth(0, false, 0, 0, 0, 0));
        JsonNode root = new ObjectMapper().readTree(empty.toJson());
        assertEquals(0, root.get("findings").size());
        assertTrue(empty.toText().contains("No oversized maps."), empty.toText());
        assertTrue(root.get("settings").get("report").isNull(), root.toString());
    }

    @Test
    void theTextReportShowsSiteLargestMapAndAdvice() throws Exception {
        String text = sample().toText();
        assertTrue(text.contains("tracked maps: 12   oversized: 1   wasted: 8.0 MiB"), text);
        assertTrue(text.contains("2 maps sparse for up to 2.1s, under grace=30.0s (not yet reported as oversized)"), text);
        assertTrue(text.contains("#1  8.0 MiB wasted by 1 HashMap"), text);
        assertTrue(text.contains("grown at com.example.Cache.load(Cache.java:42)"), text);
        assertTrue(text.contains("largest: capacity 2,097,152, size 0, sparse for 1.2s"), text);
        assertTrue(text.contains("advice: This HashMap drained to empty but keeps its 2,097,152-slot table"), text);
    }

    @Test
    void adviceFitsHowTheMapsWereLeft() {
        Report.MapInfo presized = new Report.MapInfo("java.util.HashMap", 1 << 20, 3, 10, 4_000_000);
        assertTrue(Remedy.forFinding(HASH_MAP, "HashMap", 1, 0, 1, presized).contains("never filled"));
        Report.MapInfo shrunk = new Report.MapInfo("java.util.LinkedHashMap", 1 << 16, 200, 10, 200_000);
        assertTrue(Remedy.forFinding(HASH_MAP, "LinkedHashMap", 3, 0, 0, shrunk).contains("map = new LinkedHashMap<>(map)"));
    }
}
