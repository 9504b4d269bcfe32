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


    private static final Report.History DRAINED_ONCE = new Report.History(1_000_000, 0, 0, -1);

    private static Report sample() throws Exception {
        Report.MapInfo map = new Report.MapInfo("java.util.HashMap", 2_097_152, 0, 1_234, 8_388_624, null, 0, DRAINED_ONCE);
        Report.Finding finding = new Report.Finding(
                List.of("com.example.Cache.load(Cache.java:42)", "weird\"frame\\with\ttab(Unknown Source)"),
                "growth", "HashMap", 1, 8_388_624, List.of(map),
                Remedy.forFinding(HASH_MAP, "HashMap", Pattern.RETAINED, 1, 1, map, 3), List.of(), Pattern.RETAINED, 0, 0);
        // Refilled 14 times, every ~5 minutes, to 179,432 entries: reused, idle between.
        Report.MapInfo batch = new Report.MapInfo("java.util.HashMap", 262_144, 0, 40_000, 0, null, 1_048_592,
                new Report.History(179_432, 14, 300_000, 41_000));
        Report.Finding reused = new Report.Finding(List.of("com.example.Batch.index(Batch.java:7)"), "growth",
                "HashMap", 0, 0, List.of(batch),
                Remedy.forFinding(HASH_MAP, "HashMap", Pattern.REUSED, 1, 1, batch, 3), List.of(), Pattern.REUSED, 1,
                1_048_592);
        return new Report(Instant.parse("2026-11-22T10:00:00Z"), 1234, "17.0.15", 5000,
                AgentOptions.parse("grace=30s,report=/var/tmp/r.json", new Properties()), 12, 1, 8_388_624,
                new Report.UnderGrace(2, 2_100, 1), List.of(finding, reused),
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
        assertEquals(2, settings.get("reuseRefills").asInt());
        assertEquals(3, settings.get("reuseCycles").asInt());
        assertEquals(2, root.get("summary").get("sparseUnderGrace").asLong());
        assertEquals(1, root.get("summary").get("awaitingRefill").asLong());
        assertEquals(12, root.get("summary").get("trackedMaps").asLong());
        // The reused map is apart: not in oversizedMaps or wastedBytes.
        assertEquals(1, root.get("summary").get("oversizedMaps").asLong());
        assertEquals(8_388_624, root.get("summary").get("wastedBytes").asLong());
        assertEquals(1, root.get("summary").get("reusedMaps").asLong());
        assertEquals(1_048_592, root.get("summary").get("reusedIdleBytes").asLong());
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
        assertEquals(0, map.get("idleBytes").asLong());
        assertEquals(1_000_000, map.get("peakSize").asInt());
        assertEquals(0, map.get("refills").asInt());
        assertEquals(0, map.get("cycleMillis").asLong());
        assertTrue(map.get("lastRefillAgoMillis").isNull(), map.toString());
        assertEquals("retained", finding.get("pattern").asText());
        assertEquals(0, finding.get("reusedMaps").asLong());
        assertTrue(finding.get("advice").asText().contains("map = new HashMap<>()"), finding.toString());

        JsonNode reused = root.get("findings").get(1);
        assertEquals("reused", reused.get("pattern").asText());
        assertEquals(0, reused.get("oversizedMaps").asLong());
        assertEquals(0, reused.get("wastedBytes").asLong());
        assertEquals(1, reused.get("reusedMaps").asLong());
        assertEquals(1_048_592, reused.get("reusedIdleBytes").asLong());
        JsonNode batch = reused.get("maps").get(0);
        assertEquals(0, batch.get("wastedBytes").asLong());
        assertEquals(1_048_592, batch.get("idleBytes").asLong());
        assertEquals(14, batch.get("refills").asInt());
        assertEquals(300_000, batch.get("cycleMillis").asLong());
        assertEquals(41_000, batch.get("lastRefillAgoMillis").asLong());
    }

    @Test
    void anEmptyReportIsValidJsonWithNoFindings() throws Exception {
        Report empty = new Report(Instant.now(), 1, "25", 1, AgentOptions.defaults(), 0, 0, 0,
                new Report.UnderGrace(0, 0, 0), List.of(),
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
        assertTrue(text.contains("1 map refilled before is sparse, within reuseCycles=3 of its cycles"), text);
        assertTrue(text.contains("reused: 1 map, 1.0 MiB idle between cycles (not counted as oversized)"), text);
        assertTrue(text.contains("#1  8.0 MiB wasted by 1 HashMap\n"), text);
        assertTrue(text.contains("grown at com.example.Cache.load(Cache.java:42)"), text);
        assertTrue(text.contains("largest: capacity 2,097,152, size 0, sparse for 1.2s"), text);
        assertTrue(text.contains("history: seen holding up to ~1,000,000 entries, drained, never refilled"), text);
        assertTrue(text.contains("advice: This HashMap drained to empty but keeps its 2,097,152-slot table"), text);
        assertTrue(text.contains("#2  1.0 MiB idle between cycles in 1 reused HashMap\n"), text);
        assertTrue(text.contains("\n    history: refilled 14 times, every ~5.0m, to ~180,000 entries; idle 1.0 MiB between\n"),
                text);
        assertTrue(!text.contains("No oversized maps."), text);
    }

    @Test
    void aReportOfReusedMapsOnlyHasNoOversizedMaps() throws Exception {
        Report sample = sample();
        Report reusedOnly = new Report(sample.generatedAt(), 1, "25", 1, sample.options(), 1, 0, 0,
                new Report.UnderGrace(0, 0, 0), List.of(sample.findings().get(1)), sample.agent());
        String text = reusedOnly.toText();
        assertTrue(text.contains("tracked maps: 1   oversized: 0   wasted: 0 B\nreused: 1 map"), text);
        assertTrue(text.contains("No oversized maps."), text);
        assertTrue(text.contains("#1  1.0 MiB idle between cycles in 1 reused HashMap\n"), text);
    }

    @Test
    void adviceFitsHowTheMapsWereLeft() {
        Report.MapInfo presized = new Report.MapInfo("java.util.HashMap", 1 << 20, 3, 10, 4_000_000, null, 0,
                new Report.History(3, 0, 0, -1));
        String never = Remedy.forFinding(HASH_MAP, "HashMap", Pattern.NEVER_FILLED, 1, 0, presized, 3);
        assertTrue(never.contains("never filled"), never);
        Report.MapInfo shrunk = new Report.MapInfo("java.util.LinkedHashMap", 1 << 16, 200, 10, 200_000, null, 0,
                new Report.History(40_000, 0, 0, -1));
        String copy = Remedy.forFinding(HASH_MAP, "LinkedHashMap", Pattern.RETAINED, 3, 0, shrunk, 3);
        assertTrue(copy.contains("map = new LinkedHashMap<>(map)"), copy);
    }

    @Test
    void aReusedMapIsToBeKeptOrPresizedNeverReplaced() {
        Report.MapInfo batch = new Report.MapInfo("java.util.HashMap", 262_144, 0, 900, 0, null, 1_048_592,
                new Report.History(100_000, 5, 1_000, 900));
        String advice = Remedy.forFinding(HASH_MAP, "HashMap", Pattern.REUSED, 1, 1, batch, 3);
        assertEquals("This HashMap is reused (refilled 5 times, every ~1.0s, to ~100,000 entries): keep it, since its"
                + " 262,144-slot table is needed at each peak, or create it with that table from the start (new HashMap<>(262144))"
                + " so that it never regrows; replacing it with a new one would regrow the table every cycle.", advice);
        String sets = Remedy.forFinding(HASH_MAP, "HashSet", Pattern.REUSED, 4, 4, batch, 3);
        assertTrue(sets.startsWith("These 4 HashSets are reused (refilled up to 5 times"), sets);
        assertTrue(sets.contains("keep them") && sets.contains("new HashSet<>(262144)"), sets);
    }

    @Test
    void aMapWhoseRefillsStoppedIsToBeReplacedIfItsCyclesAreOver() {
        Report.MapInfo stopped = new Report.MapInfo("java.util.HashMap", 262_144, 0, 9_000, 1_048_592, null, 0,
                new Report.History(100_000, 5, 1_000, 9_000));
        String advice = Remedy.forFinding(HASH_MAP, "HashMap", Pattern.RETAINED, 1, 1, stopped, 3);
        assertTrue(advice.startsWith("This HashMap was refilled 5 times, every ~1.0s, but not for more than 3 of its"
                + " cycles, and keeps its 262,144-slot table"), advice);
        assertTrue(advice.contains("if the cycles are over, replace it with a new one (map = new HashMap<>())"), advice);
        assertTrue(advice.contains("if they resume, keep it."), advice);
    }

    @Test
    void entryCountsAreRoundedToTwoSignificantDigitsFromAThousandUp() {
        assertEquals("3", Report.about(3));
        assertEquals("999", Report.about(999));
        assertEquals("~1,500", Report.about(1_549));
        assertEquals("~180,000", Report.about(179_432));
        assertEquals("~100,000", Report.about(100_000));
        assertEquals("~1,000,000", Report.about(1_000_000));
    }

    @Test
    void aPresizedMapIsSizedAtItsSite() {
        assertEquals("sized at", Report.siteLabel("growth", Pattern.NEVER_FILLED));
        assertEquals("grown at", Report.siteLabel("growth", Pattern.RETAINED));
        assertEquals("grown at", Report.siteLabel("growth", Pattern.REUSED));
        assertEquals("drained at", Report.siteLabel("drain-after-attach", Pattern.RETAINED));
    }
}
