package dev.mapretention.agent.report;

import dev.mapretention.agent.AgentOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a census adds to a report: its block, census findings, owners, and no invented durations. */
class CensusReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Owner SESSIONS = Owner.field("com.example.Cache", "sessions", "com.example.Cache");
    private static final Owner IN_ARRAY = Owner.arrayElement("[Ljava.lang.Object;", null,
            Owner.staticField("com.example.Registry", "SLOTS"));
    private static final Owner WORKER = Owner.local("worker-1", "com.example.Job.run(Job.java:31)");

    /** A census found it sparse: nothing is known of what it held before. */
    private static final Report.History UNKNOWN = new Report.History(0, 0, 0, -1);

    private static Report report(CensusSummary census) {
        Report.MapInfo sparse = new Report.MapInfo("java.util.HashMap", 1 << 20, 0, Report.SPARSE_SINCE_BEFORE_CENSUS,
                4_194_320, SESSIONS, 0, UNKNOWN);
        Report.MapInfo second = new Report.MapInfo("java.util.HashMap", 1 << 12, 0, Report.SPARSE_SINCE_BEFORE_CENSUS,
                16_400, SESSIONS, 0, UNKNOWN);
        Report.Finding found = new Report.Finding(List.of(), "census", "HashMap", 2, 4_210_720, List.of(sparse, second),
                CensusRemedy.forFinding("HashMap", 2, 2, sparse), List.of(SESSIONS), Pattern.RETAINED, 0, 0);
        Report.MapInfo tracked = new Report.MapInfo("java.util.HashMap", 1 << 16, 3, 2_500, 262_000, WORKER, 0,
                new Report.History(40_000, 0, 0, -1));
        Report.Finding grown = new Report.Finding(List.of("com.example.Job.fill(Job.java:12)"), "growth", "HashMap", 2,
                300_000, List.of(tracked), "advice", List.of(WORKER, IN_ARRAY), Pattern.RETAINED, 0, 0);
        return new Report(Instant.parse("2026-11-22T10:00:00Z"), 1234, "17.0.15", 5000, AgentOptions.defaults(), 5, 4,
                4_510_720, new Report.UnderGrace(0, 0, 0), List.of(found, grown), new Report.AgentHealth(0, false, 0, 3, 12, 0),
                census);
    }

    private static CensusSummary census(boolean partial) {
        return new CensusSummary(Instant.parse("2026-11-22T09:59:59.5Z"), 812, List.of(700L, 112L), 950, 2,
                List.of(new CensusSummary.KindCount("HashMap", 1532, 9)), 9, partial,
                partial ? "the time budget (censusBudget=10s) ran out" : null, 0);
    }

    @Test
    void theCensusBlockIsAbsentUntilACensusRan() throws Exception {
        JsonNode root = JSON.readTree(report(null).toJson());
        assertNull(root.get("census"), root.toString());
        assertFalse(report(null).toText().contains("census: taken"));
    }

    @Test
    void theCensusBlockSaysWhenHowLongAndWhatItFound() throws Exception {
        JsonNode block = JSON.readTree(report(census(false)).toJson()).get("census");
        assertEquals("2026-11-22T09:59:59.500Z", block.get("takenAt").asText());
        assertEquals(812, block.get("pauseMillis").asLong());
        assertEquals(1532, block.get("mapsFound").get("HashMap").asLong());
        assertEquals(9, block.get("largeMapsFound").get("HashMap").asLong());
        assertEquals(9, block.get("tracked").asLong());
        assertEquals(2, block.get("walks").asInt());
        assertEquals("[700,112]", block.get("walkMillis").toString());
        assertFalse(block.get("partial").asBoolean());
        assertNull(block.get("partialReason"));
        JsonNode partial = JSON.readTree(report(census(true)).toJson()).get("census");
        assertTrue(partial.get("partial").asBoolean());
        assertEquals("the time budget (censusBudget=10s) ran out", partial.get("partialReason").asText());
    }

    @Test
    void aCensusFindingHasNoSiteAnOwnerAndNoInventedDuration() throws Exception {
        JsonNode finding = JSON.readTree(report(census(false)).toJson()).get("findings").get(0);
        assertEquals("census", finding.get("siteKind").asText());
        assertEquals(0, finding.get("site").size());
        JsonNode map = finding.get("maps").get(0);
        assertTrue(map.has("sparseForMillis") && map.get("sparseForMillis").isNull(), map.toString());
        assertEquals("before-census", map.get("sparseSince").asText());
        assertEquals(JSON.readTree("{\"kind\": \"field\", \"class\": \"com.example.Cache\", \"field\": \"sessions\"}"),
                map.get("owner"));
        assertEquals(1, finding.get("owners").size());
    }

    @Test
    void aTrackedFindingKeepsItsSiteAndListsItsOwners() throws Exception {
        JsonNode finding = JSON.readTree(report(census(false)).toJson()).get("findings").get(1);
        assertEquals("growth", finding.get("siteKind").asText());
        assertEquals(2_500, finding.get("maps").get(0).get("sparseForMillis").asLong());
        assertEquals(JSON.readTree("[{\"kind\": \"local\", \"thread\": \"worker-1\", \"frame\":"
                + " \"com.example.Job.run(Job.java:31)\"}, {\"kind\": \"array-element\", \"class\": \"[Ljava.lang.Object;\","
                + " \"holder\": {\"kind\": \"static\", \"class\": \"com.example.Registry\", \"field\": \"SLOTS\"}}]"),
                finding.get("owners"));
    }

    @Test
    void theTextSaysWhatHoldsEachFindingsMaps() {
        String text = report(census(false)).toText();
        assertTrue(text.contains("census: taken 2026-11-22T09:59:59Z, paused the JVM 812 ms, found 1,532 HashMap (9 large)"),
                text);
        assertTrue(text.contains("    found by the heap census"), text);
        assertTrue(text.contains("    held by com.example.Cache.sessions\n"), text);
        assertTrue(text.contains("sparse since before the census"), text);
        assertTrue(text.contains("    held by a local variable of thread worker-1 in com.example.Job.run(Job.java:31)\n"),
                text);
        assertTrue(text.contains("    held by an element of a java.lang.Object[] held by static com.example.Registry.SLOTS\n"),
                text);
    }

    @Test
    void ownersReadAsAUserLooksThemUp() {
        assertEquals("com.example.Base.cache (of a com.example.Sub)",
                Owner.field("com.example.Base", "cache", "com.example.Sub").describe());
        assertEquals("a value in a HashMap held by static com.example.Registry.BY_NAME",
                Owner.inMap(false, "HashMap", Owner.staticField("com.example.Registry", "BY_NAME")).describe());
        assertEquals("a value in a HashMap (held by something the census did not trace)",
                Owner.inMap(false, "HashMap", null).describe());
        assertEquals("an element of an ArrayList held by com.example.Jobs.pending",
                Owner.arrayElement("[Ljava.lang.Object;", "ArrayList", Owner.field("com.example.Jobs", "pending", null))
                        .describe());
        assertEquals("a JNI global reference", Owner.jni(true, null, null).describe());
        assertEquals("a JVM root (monitor)", Owner.other("monitor").describe());
        assertEquals("int[][]", Owner.readableArray("[[I"));
        assertEquals("java.util.Map[]", Owner.readableArray("[Ljava.util.Map;"));
    }
}
