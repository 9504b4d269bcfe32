package dev.mapretention.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mapretention.agent.census.CensusPlatform;
import dev.mapretention.scenarios.CensusScenario;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.ParsedReport;
import dev.mapretention.testing.SteppedJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.mapretention.cli.MainTest.assertFailed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The heap census as a user runs it: {@code census PID} against a {@link CensusScenario} whose
 * maps grew and drained before any agent was there, on Java 17 and Java 25, under every collector
 * these JDKs have and with uncompressed references; on a JVM started with the agent and the
 * census library (no dynamic loading at all); and the inputs it must refuse.
 */
class CensusIT {

    private static final Path JAR = ForkedJvm.agentJar();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCENARIO = CensusScenario.class.getName();
    /** Small maps, so that the scenario stays cheap; a scan interval that never comes. */
    private static final String OPTIONS = "minCapacity=1024,scanInterval=1h";

    /** The maps the scenario holds, by capacity, and what holds each. */
    private static final String[][] HELD = {
        {"4096", "{\"kind\": \"static\", \"class\": \"" + SCENARIO + "\", \"field\": \"STATIC\"}", "HashMap"},
        {"8192", "{\"kind\": \"field\", \"class\": \"" + SCENARIO + "$Base\", \"field\": \"inherited\", \"objectClass\": \""
                + SCENARIO + "$Derived\"}", "HashMap"},
        {"16384", "{\"kind\": \"field\", \"class\": \"" + SCENARIO + "$Derived\", \"field\": \"own\"}", "HashMap"},
        {"32768", "{\"kind\": \"static\", \"class\": \"" + SCENARIO + "$Limits\", \"field\": \"TABLE\"}", "HashMap"},
        {"65536", "{\"kind\": \"array-element\", \"class\": \"[Ljava.lang.Object;\", \"holder\": {\"kind\": \"static\","
                + " \"class\": \"" + SCENARIO + "\", \"field\": \"SLOTS\"}}", "HashMap"},
        {"131072", "{\"kind\": \"map-value\", \"container\": \"HashMap\", \"holder\": {\"kind\": \"static\", \"class\": \""
                + SCENARIO + "\", \"field\": \"BY_NAME\"}}", "HashMap"},
        {"262144", "{\"kind\": \"field\", \"class\": \"" + SCENARIO + "$Holder\", \"field\": \"names\"}", "HashSet"},
        {"524288", "{\"kind\": \"static\", \"class\": \"" + SCENARIO + "\", \"field\": \"LINKED\"}", "LinkedHashMap"},
        {"1048576", "{\"kind\": \"field\", \"class\": \"" + SCENARIO + "$Holder\", \"field\": \"presized\"}", "HashMap"},
        {"8388608", "{\"kind\": \"array-element\", \"class\": \"[Ljava.lang.Object;\", \"container\": \"ArrayList\","
                + " \"holder\": {\"kind\": \"static\", \"class\": \"" + SCENARIO + "\", \"field\": \"QUEUE\"}}", "HashMap"},
    };

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void findsTheMapsThatDrainedBeforeAnyAgentWithWhatHoldsEach(Jdk jdk) throws Exception {
        // A young generation big enough that no collection runs between the garbage and the census.
        try (SteppedJvm target = SteppedJvm.start(scenario(jdk).jvmArgs("-Xms600m", "-Xmx600m", "-Xmn300m"))) {
            long pid = target.pid();
            assertEquals("set up", target.step("setup"), target.describe());
            assertEquals("made", target.step("garbage"), target.describe());

            CliRun census = cli("census", pid, OPTIONS, "--json");
            assertEquals(0, census.status(), census.describe() + target.describe());
            assertEquals("", census.err(), census.describe());
            // The census ran while the weakly held map was in the heap, and did not report it.
            assertEquals("still in the heap", target.step("weak"), target.describe());
            ParsedReport report = ParsedReport.parse(census.out());
            JsonNode block = report.census();
            assertFalse(block.get("partial").asBoolean(), report.toString());
            assertEquals(0, block.get("tagsLeft").asLong(), "the census cleared every tag it set\n" + report);
            assertTrue(block.get("pauseMillis").asLong() >= 0 && block.get("pauseMillis").asLong() < 10_000,
                    report.toString());
            assertTrue(block.get("mapsFound").get("HashMap").asLong() > HELD.length, report.toString());
            assertTrue(block.get("largeMapsFound").get("HashMap").asLong() >= HELD.length + 2, report.toString());
            // One walk finds the maps; then one per class of what holds them, and of what holds those
            // (the sets, the array, the entry and table of the map holding a map, that map).
            assertTrue(block.get("walks").asInt() >= 5, report.toString());
            assertEquals(block.get("walks").asInt(), block.get("walkMillis").size(), report.toString());
            assertHeldAsTheScenarioHoldsThem(report, HELD);
            assertLocalOfTheWaitingThread(report);
            assertEquals(1, report.mapWithCapacity(1_048_576).get("size").asInt(), report.toString());
            // Not the full map (1,024 slots), the small one (512), the weakly held one (2,097,152)
            // or the dropped one (4,194,304).
            TreeSet<Integer> expected = new TreeSet<>();
            for (String[] held : HELD) {
                expected.add(Integer.parseInt(held[0]));
            }
            expected.add(2_048);
            assertTrue(capacities(report.censusFindings()).containsAll(expected), report.toString());
            for (int absent : new int[] {512, 1_024, 2_097_152, 4_194_304}) {
                assertFalse(capacities(report.findings()).contains(absent), absent + "\n" + report);
            }
            assertOtherKindsWhereTheAgentTracksThem(report);

            // A second census, as text: it works, and finds the same maps again.
            CliRun text = cli("census", pid);
            assertEquals(0, text.status(), text.describe() + target.describe());
            assertTrue(text.out().contains("\n    held by static " + SCENARIO + ".STATIC\n"), text.out());
            assertTrue(text.out().contains("\n    held by " + SCENARIO + "$Derived.own\n"), text.out());
            assertTrue(text.out().contains("\n    held by a value in a HashMap held by static " + SCENARIO + ".BY_NAME\n"),
                    text.out());
            assertTrue(text.out().contains("\n    held by an element of an ArrayList held by static " + SCENARIO + ".QUEUE\n"),
                    text.out());
            assertTrue(text.out().contains("sparse since before the census"), text.out());

            // The maps are tracked from now on: report shows them, and follows a refill.
            ParsedReport after = ParsedReport.parse(cli("report", pid, "--json").out());
            assertEquals(capacities(report.censusFindings()), capacities(after.censusFindings()), after.toString());
            assertHeldAsTheScenarioHoldsThem(after, HELD);
            assertEquals("refilled", target.step("refill STATIC"));
            ParsedReport refilled = ParsedReport.parse(cli("report", pid, "--json").out());
            assertFalse(capacities(refilled.findings()).contains(4_096), refilled.toString());
            assertEquals(after.summary().get("oversizedMaps").asInt() - 1, refilled.summary().get("oversizedMaps").asInt(),
                    refilled.toString());

            ForkedJvm.Result result = target.quit();
            assertEquals(0, result.exitCode(), result.describe());
            assertNoWarningsButTheAgentsOwn(result, jdk);
        }
    }

    static Stream<Arguments> collectorsAndLayouts() {
        List<Arguments> cases = new ArrayList<>();
        for (Jdk jdk : Jdk.values()) {
            cases.add(Arguments.of(jdk, List.of("-XX:+UseSerialGC")));
            cases.add(Arguments.of(jdk, List.of("-XX:+UseParallelGC")));
            cases.add(Arguments.of(jdk, List.of("-XX:+UseZGC")));
            cases.add(Arguments.of(jdk, List.of("-XX:+UseShenandoahGC")));
            cases.add(Arguments.of(jdk, List.of("-XX:+UseG1GC", "-XX:-UseCompressedOops")));
        }
        return cases.stream();
    }

    /** G1 with compressed references is the test above; here one small scenario per collector. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("collectorsAndLayouts")
    void everyCollectorAndReferenceLayout(Jdk jdk, List<String> flags) throws Exception {
        try (SteppedJvm target = SteppedJvm.start(scenario(jdk).jvmArgs(flags.toArray(new String[0])))) {
            assertEquals("set up (light)", target.step("setup light"), target.describe());
            CliRun census = cli("census", target.pid(), OPTIONS, "--json");
            assertEquals(0, census.status(), census.describe() + target.describe());
            ParsedReport report = ParsedReport.parse(census.out());
            assertHeldAsTheScenarioHoldsThem(report, new String[][] {HELD[0], HELD[4]});
            assertLocalOfTheWaitingThread(report);
            // ZGC has no compressed references either.
            long referenceSize = flags.contains("-XX:-UseCompressedOops") || flags.contains("-XX:+UseZGC") ? 8 : 4;
            long wasted = report.mapWithCapacity(65_536).get("wastedBytes").asLong();
            assertTrue(wasted >= referenceSize * 65_536 && wasted <= referenceSize * 65_536 + 64, report.toString());
            ForkedJvm.Result result = target.quit();
            assertEquals(0, result.exitCode(), result.describe());
        }
    }

    /**
     * The agent and the census library both given at start-up, and dynamic loading switched off:
     * the census needs no loading at all, and a map the agent saw grow gets both its growth site
     * and what holds it.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void atStartUpGrowthSitesAndHoldersMeetInOneFinding(Jdk jdk) throws Exception {
        Path library = extractLibrary();
        try (SteppedJvm target = SteppedJvm.start(ForkedJvm.on(jdk).agent("minCapacity=1024,grace=0s,scanInterval=1h")
                .jvmArgs("-agentpath:" + library, "-XX:-EnableDynamicAgentLoading").main(CensusScenario.class))) {
            assertEquals("set up (light)", target.step("setup light"), target.describe());
            CliRun census = cli("census", target.pid(), "--json");
            assertEquals(0, census.status(), census.describe() + target.describe());
            assertEquals("", census.err(), census.describe());
            ParsedReport report = ParsedReport.parse(census.out());
            JsonNode grown = report.findingWithCapacity(4_096);
            assertEquals("growth", grown.get("siteKind").asText(), report.toString());
            assertTrue(grown.get("site").get(0).asText().startsWith(SCENARIO + ".refill(CensusScenario.java:"),
                    report.toString());
            assertTrue(grown.get("owners").toString().contains(JSON.readTree(HELD[0][1]).toString()), report.toString());
            assertEquals(JSON.readTree(HELD[0][1]), report.mapWithCapacity(4_096).get("owner"), report.toString());
            assertTrue(report.census().get("largeMapsFound").get("HashMap").asLong() >= 3, report.toString());
            CliRun text = cli("report", target.pid());
            assertTrue(text.out().contains("    held by static " + SCENARIO + ".STATIC\n"), text.out());
            ForkedJvm.Result result = target.quit();
            assertEquals(0, result.exitCode(), result.describe());
            assertFalse(result.stderr().contains("WARNING"), result.describe());
        } finally {
            Files.deleteIfExists(library);
        }
    }

    /** A JVM that allows no agent to load while it runs is told so, and nothing is loaded into it. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aJvmWithoutDynamicAgentLoadingIsToldAndLeftAlone(Jdk jdk) throws Exception {
        try (SteppedJvm target = SteppedJvm.start(ForkedJvm.on(jdk).jvmArgs("-XX:-EnableDynamicAgentLoading")
                .main(CensusScenario.class))) {
            assertEquals("set up (light)", target.step("setup light"));
            CliRun census = cli("census", target.pid(), OPTIONS);
            assertFailed(census, "map-retention: " + target.pid() + " does not let agents load while it runs (it was"
                    + " started with -XX:-EnableDynamicAgentLoading)");
            assertEquals("", census.out(), census.describe());
            assertEquals("collected", target.step("weak"), "the target still answers");
            ForkedJvm.Result result = target.quit();
            assertEquals(0, result.exitCode(), result.describe());
            assertFalse(result.stderr().contains("[map-retention]"), result.describe());
        }
    }

    /**
     * Another user's JVM cannot be attached to: run as root, the command runs as {@code nobody}
     * against a JVM of root's, and the JVM is left as it was.
     */
    @Test
    void anotherUsersJvmIsAPlainFailure() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/runuser")),
                "needs root and runuser, to run the command as another user");
        try (SteppedJvm target = SteppedJvm.start(scenario(Jdk.JAVA17))) {
            List<String> command = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", "nobody", "--",
                    Jdk.JAVA17.java().toString(), "-jar", JAR.toString(), "census", Long.toString(target.pid())));
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String err = new String(process.getErrorStream().readAllBytes());
            int status = process.waitFor();
            assumeTrue(!err.contains("Unable to access jarfile") && !err.contains("Permission denied"),
                    "nobody cannot read the agent jar here\n" + err);
            assertEquals(1, status, err);
            assertEquals("map-retention: cannot attach to " + target.pid() + ": Operation not permitted"
                    + " (it runs as user root, this command as nobody: run it as root)\n", err);
            assertEquals("collected", target.step("weak"), "the target still answers");
            assertFalse(target.stderr().contains("[map-retention]"), target.describe());
        }
    }

    /**
     * The census's memory and time are bounded: past its record limit it records no more maps,
     * past its time budget the walk stops; either way the report says the census is partial and
     * why, and the JVM runs on.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void pastItsRecordsOrItsBudgetACensusStopsAndSaysSo(Jdk jdk) throws Exception {
        try (SteppedJvm target = SteppedJvm.start(scenario(jdk).jvmArgs("-Xmx1g"))) {
            assertEquals("set up (light)", target.step("setup light"));
            // Test-only limits, read at each census (the real ones: 2^20 records, censusBudget).
            assertEquals("set", target.step("property dev.mapretention.test.censusMaxRecords 2"));
            CliRun census = cli("census", target.pid(), OPTIONS, "--json");
            assertEquals(0, census.status(), census.describe() + target.describe());
            JsonNode block = ParsedReport.parse(census.out()).census();
            assertTrue(block.get("partial").asBoolean(), block.toString());
            assertEquals("the census recorded the most maps and sets it may (2): maps beyond those are not in it",
                    block.get("partialReason").asText(), block.toString());
            // The two records went to the first two large maps the scan met (of any kind), live or garbage.
            int large = 0;
            for (JsonNode count : block.get("largeMapsFound")) {
                large += count.asInt();
            }
            assertTrue(large <= 2, block.toString());

            assertEquals("set", target.step("property dev.mapretention.test.censusMaxRecords"));
            assertEquals("set", target.step("property dev.mapretention.test.censusBudgetMillis 50"));
            assertEquals("made", target.step("bulk 8000000"));
            census = cli("census", target.pid(), "--json");
            assertEquals(0, census.status(), census.describe() + target.describe());
            block = ParsedReport.parse(census.out()).census();
            assertTrue(block.get("partial").asBoolean(), block.toString());
            assertTrue(block.get("partialReason").asText().startsWith("the time budget (censusBudget=50ms) ran out"
                    + " during heap walk 1"), block.toString());
            // It stops at its budget: the pause is about 50 ms, not the whole scan's.
            assertTrue(block.get("pauseMillis").asLong() < 1_000, block.toString());
            assertEquals(0, cli("report", target.pid()).status(), "the agent goes on");
            assertEquals(0, target.quit().exitCode());
        }
    }

    /** One census's own native memory (records, class table, tags) is all given back. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void nativeMemoryReturnsToItsBaselineAfterEachCensus(Jdk jdk) throws Exception {
        try (SteppedJvm target = SteppedJvm.start(scenario(jdk).jvmArgs("-XX:NativeMemoryTracking=summary"))) {
            assertEquals("set up (light)", target.step("setup light"));
            // The first census loads the agent and the library, and compiles their code.
            assertEquals(0, cli("census", target.pid(), OPTIONS).status(), target.describe());
            // A second copy of the library loaded into the same JVM takes over, and that is fine.
            Path copy = extractLibrary();
            try {
                Process load = new ProcessBuilder(jdk.tool("jcmd").toString(), Long.toString(target.pid()),
                        "JVMTI.agent_load", copy.toString()).redirectErrorStream(true).start();
                String said = new String(load.getInputStream().readAllBytes());
                assertEquals(0, load.waitFor(), said);
                assertFalse(said.contains("rror"), said);
            } finally {
                Files.deleteIfExists(copy);
            }
            assertEquals(0, cli("census", target.pid()).status(), target.describe());
            NativeMemory before = NativeMemory.of(jdk, target.pid());
            for (int i = 0; i < 5; i++) {
                CliRun census = cli("census", target.pid(), "--json");
                assertEquals(0, census.status(), census.describe());
                assertTrue(capacities(ParsedReport.parse(census.out()).censusFindings())
                        .containsAll(List.of(2_048, 4_096, 65_536)), "the same maps each time\n" + census.out());
            }
            NativeMemory after = NativeMemory.of(jdk, target.pid());
            // Each census allocates anew its class table (some 200 KB here), records (32 KB at
            // least), the class array and, in the tag map, an entry per class: any of them kept five
            // times would show. What is left is the JVM's own churn (about 1 KB per attach, seen
            // with report as much as with census).
            for (String category : NativeMemory.CENSUS_CATEGORIES) {
                long grown = after.mallocKb(category) - before.mallocKb(category);
                assertTrue(grown < 48, category + " malloc grew by " + grown + " KB over 5 censuses\nbefore:\n"
                        + before + "\nafter:\n" + after);
            }
            assertEquals(0, target.quit().exitCode());
        }
    }

    /**
     * Small maps are most of the maps in a real heap, and a census must not take a JNI reference
     * to each: HotSpot keeps the memory of a thread's local references at their high-water mark
     * (some 18 bytes a map, measured: 3.6 MB for these 200,000, kept after the census). The
     * threshold a map keeps says its table is short without a reference; the maps whose
     * threshold is low for their table (a load factor below 0.5) are still found.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aHeapOfSmallMapsCostsTheCensusNoNativeMemory(Jdk jdk) throws Exception {
        try (SteppedJvm target = SteppedJvm.start(scenario(jdk).jvmArgs("-XX:NativeMemoryTracking=summary",
                "-Xmx512m"))) {
            assertEquals("set up (light)", target.step("setup light"));
            // The maps whose thresholds are low, before any agent: the census must find them.
            assertEquals("made", target.step("small 1000"), target.describe());
            assertEquals(0, cli("census", target.pid(), OPTIONS).status(), target.describe());
            assertEquals(0, cli("census", target.pid()).status(), target.describe());
            NativeMemory before = NativeMemory.of(jdk, target.pid());
            assertEquals("made", target.step("small 200000"), target.describe());

            CliRun census = cli("census", target.pid(), "--json");
            assertEquals(0, census.status(), census.describe());
            NativeMemory after = NativeMemory.of(jdk, target.pid());
            ParsedReport report = ParsedReport.parse(census.out());
            JsonNode counted = report.census().get("mapsFound");
            long small = counted.get("HashMap").asLong() + counted.get("ConcurrentHashMap").asLong()
                    + counted.get("Hashtable").asLong() + counted.get("WeakHashMap").asLong();
            assertTrue(small >= 201_000, "every map is counted\n" + report);
            // HashMap and Hashtable with a load factor of 0.25, and a ConcurrentHashMap.
            List<String> found = new ArrayList<>();
            for (JsonNode finding : report.censusFindings()) {
                for (JsonNode map : finding.get("maps")) {
                    found.add(map.get("type").asText() + " " + map.get("capacity").asInt());
                }
            }
            assertTrue(found.containsAll(List.of("java.util.HashMap 1024", "java.util.Hashtable 1535",
                    "java.util.concurrent.ConcurrentHashMap 8192", "java.util.HashMap 4096",
                    "java.util.HashMap 65536")), found + "\n" + report);
            for (String category : NativeMemory.CENSUS_CATEGORIES) {
                long grown = after.mallocKb(category) - before.mallocKb(category);
                assertTrue(grown < 512, category + " malloc grew by " + grown + " KB with 200,000 small maps\nbefore:\n"
                        + before + "\nafter:\n" + after);
            }
            assertEquals(0, target.quit().exitCode());
        }
    }

    // ---- helpers ----

    private static void assertHeldAsTheScenarioHoldsThem(ParsedReport report, String[][] held) throws IOException {
        for (String[] expected : held) {
            int capacity = Integer.parseInt(expected[0]);
            JsonNode owner = JSON.readTree(expected[1]);
            JsonNode finding = report.findingWithCapacity(capacity);
            JsonNode map = report.mapWithCapacity(capacity);
            String where = "capacity " + capacity + "\n" + report;
            assertEquals(owner, map.get("owner"), where);
            assertEquals(owner, finding.get("owners").get(0), where);
            assertEquals(1, finding.get("owners").size(), where);
            assertEquals(expected[2], finding.get("container").asText(), where);
            if (finding.get("siteKind").asText().equals("census")) {
                assertEquals(0, finding.get("site").size(), where);
                assertTrue(map.get("sparseForMillis").isNull(), where);
                assertEquals("before-census", map.get("sparseSince").asText(), where);
                assertTrue(finding.get("advice").asText().contains(expected[2]), where);
            }
            assertTrue(map.get("wastedBytes").asLong() >= 4L * capacity - 128, where);
        }
    }

    private static void assertLocalOfTheWaitingThread(ParsedReport report) {
        JsonNode owner = report.mapWithCapacity(2_048).get("owner");
        assertNotNull(owner, report.toString());
        assertEquals("local", owner.get("kind").asText(), report.toString());
        assertEquals("census-waiter", owner.get("thread").asText(), report.toString());
        assertTrue(owner.get("frame").asText().matches(SCENARIO.replace(".", "\\.").replace("$", "\\$")
                + "\\$Waiter\\.run\\(CensusScenario\\.java:\\d+\\)"), report.toString());
    }

    /**
     * The kinds the agent tracks besides the HashMap family: once it tracks ConcurrentHashMap and
     * IdentityHashMap (the census's mapsFound then names them), the scenario's must be found too.
     */
    private static void assertOtherKindsWhereTheAgentTracksThem(ParsedReport report) {
        JsonNode found = report.census().get("mapsFound");
        if (found.has("ConcurrentHashMap")) {
            JsonNode sessions = findingOfContainer(report, "ConcurrentHashMap");
            assertEquals("{\"kind\":\"field\",\"class\":\"" + SCENARIO + "$Registry\",\"field\":\"sessions\"}",
                    sessions.get("owners").get(0).toString(), report.toString());
        }
        if (found.has("IdentityHashMap")) {
            JsonNode identities = findingOfContainer(report, "IdentityHashMap");
            JsonNode owner = identities.get("owners").get(0);
            assertEquals("local", owner.get("kind").asText(), report.toString());
            assertEquals("census-worker", owner.get("thread").asText(), report.toString());
        }
    }

    private static JsonNode findingOfContainer(ParsedReport report, String container) {
        for (JsonNode finding : report.censusFindings()) {
            if (finding.get("container").asText().equals(container)) {
                return finding;
            }
        }
        throw new AssertionError("no census finding of a " + container + " in\n" + report);
    }

    private static TreeSet<Integer> capacities(List<JsonNode> findings) {
        TreeSet<Integer> capacities = new TreeSet<>();
        for (JsonNode finding : findings) {
            for (JsonNode map : finding.get("maps")) {
                capacities.add(map.get("capacity").asInt());
            }
        }
        return capacities;
    }

    private static void assertNoWarningsButTheAgentsOwn(ForkedJvm.Result result, Jdk jdk) {
        for (String line : result.stderr().split("\\R")) {
            // The JVM's class-data-sharing note when the agent appends its boot classes, as attach has it.
            boolean known = line.isEmpty() || line.startsWith("[map-retention] ")
                    || line.contains("Sharing is only supported for boot loader classes");
            assertTrue(known, "unexpected line on the target's standard error (Java " + jdk.feature() + "): " + line
                    + "\n" + result.describe());
        }
    }

    private static Path extractLibrary() throws IOException {
        Path library = Files.createTempFile("census-test-", ".so");
        try (JarFile jar = new JarFile(JAR.toFile()); InputStream in = jar.getInputStream(
                jar.getEntry(CensusPlatform.RESOURCE))) {
            Files.copy(in, library, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return library;
    }

    /** The scenario, on Java 21 and later with dynamic agent loading enabled (no warning). */
    private static ForkedJvm scenario(Jdk jdk) {
        ForkedJvm jvm = ForkedJvm.on(jdk).main(CensusScenario.class);
        return jdk.feature() >= 21 ? jvm.jvmArgs("-XX:+EnableDynamicAgentLoading") : jvm;
    }

    private static CliRun cli(Object... args) {
        return CliRun.run(JAR, args);
    }

    /** {@code jcmd PID VM.native_memory summary}, by category. */
    record NativeMemory(String summary) {

        /** Where a census's allocations show: JVMTI Allocate (Internal) and the tag map (Serviceability). */
        static final List<String> CENSUS_CATEGORIES = List.of("Internal", "Serviceability");
        private static final Pattern MALLOC = Pattern.compile("malloc=(\\d+)KB");

        static NativeMemory of(Jdk jdk, long pid) throws IOException, InterruptedException {
            Process jcmd = new ProcessBuilder(jdk.tool("jcmd").toString(), Long.toString(pid), "VM.native_memory",
                    "summary").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            assertEquals(0, jcmd.waitFor(), out);
            return new NativeMemory(out);
        }

        /** The malloc'd KB of a category: "-  Internal (reserved=..." then "(malloc=1190KB #5677)". */
        long mallocKb(String category) {
            for (String block : summary.split("\n-")) {
                if (block.trim().startsWith(category + " (")) {
                    Matcher malloc = MALLOC.matcher(block);
                    return malloc.find() ? Long.parseLong(malloc.group(1)) : 0;
                }
            }
            throw new AssertionError("no category " + category + " in\n" + summary);
        }

        @Override
        public String toString() {
            return summary;
        }
    }
}
