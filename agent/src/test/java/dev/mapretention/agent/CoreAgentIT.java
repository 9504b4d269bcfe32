package dev.mapretention.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.scenarios.AgentPresence;
import dev.mapretention.scenarios.HotRemoveScenario;
import dev.mapretention.scenarios.LateMapWork;
import dev.mapretention.scenarios.ManyMapsScenario;
import dev.mapretention.scenarios.SiteIdentityScenario;
import dev.mapretention.scenarios.ThreadedScenario;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Counts, bytes, threads, bad options and the hot path, each in a JVM of its own on Java 17 and 25. */
class CoreAgentIT {

    private static final String FAST = "grace=300ms,scanInterval=100ms";

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void manyDrainedMapsFromOneSiteMakeOneFindingWithTheirRealBytes(Jdk jdk) throws Exception {
        Path reportFile = dir.resolve("report.json");
        ForkedJvm.Result result = selfMeasuring(jdk)
                .agent(FAST + ",report=" + reportFile)
                .main(ManyMapsScenario.class, "2000", "0")
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        ParsedReport report = ParsedReport.read(reportFile);
        JsonNode finding = report.findingAt(ManyMapsScenario.class.getName() + ".growOne");
        assertEquals(2000, finding.get("oversizedMaps").asLong(), report.toString());
        assertEquals(realWastedBytes(result), finding.get("wastedBytes").asLong(), report.toString());
        assertEquals(10, finding.get("maps").size(), "at most 10 maps listed\n" + report);
        assertEquals(1, report.findings().size(), report.toString());
        assertEquals(2000, report.summary().get("oversizedMaps").asLong(), report.toString());
        assertEquals(finding.get("wastedBytes").asLong(), report.summary().get("wastedBytes").asLong());
        assertEquals(1, report.agent().get("sites").asLong(), "one shared site\n" + report);
    }

    /**
     * The report's directory holds the report and nothing else once the JVM has exited: the
     * scanner rewrites the report every millisecond here, through a temporary file beside it, and
     * the JVM's exit must not cut a write short and leave that file behind (one of the first
     * twenty exits here did, before the pass at exit became the last to write).
     */
    @ParameterizedTest
    @JdkSource
    void anExitLeavesOnlyTheReportInItsDirectory(Jdk jdk) throws Exception {
        for (int run = 0; run < 10; run++) {
            Path reports = Files.createDirectory(dir.resolve("run-" + run));
            ForkedJvm.Result result = ForkedJvm.on(jdk)
                    .agent("grace=0s,scanInterval=1ms,report=" + reports.resolve("report.json"))
                    .main(AgentPresence.class)
                    .run();
            assertEquals(0, result.exitCode(), result.describe());
            try (Stream<Path> files = Files.list(reports)) {
                assertEquals(List.of("report.json"), files.map(p -> p.getFileName().toString()).sorted()
                        .collect(Collectors.toList()), "run " + run + "\n" + result.describe());
            }
        }
    }

    /**
     * What the scans need is made on the agent's thread, after {@code premain}; when it cannot be
     * made (a JDK whose maps lack the fields the agent reads: a test switch here), the agent says
     * so in one line and takes itself out, hooks and all, and the application runs on.
     */
    @ParameterizedTest
    @JdkSource
    void aScanSideThatCannotBeMadeIsOneLineAndTakesTheAgentOut(Jdk jdk) throws Exception {
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("")
                .jvmArgs("-D" + AgentRuntime.FAIL_PREPARATION_PROPERTY + "=true")
                .main(LateMapWork.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("agent thread running: false"), result.describe());
        assertTrue(result.stdout().contains("map work: 10000 put, 0 left"), result.describe());
        assertTrue(result.stdout().contains("tracker installed: false"), result.describe());
        List<String> lines = result.agentLines();
        assertEquals(2, lines.size(), result.describe());
        assertTrue(lines.get(0).contains(" started in "), result.describe());
        assertEquals("[map-retention] could not start, the application runs without it:"
                + " java.lang.IllegalStateException: cannot read the JDK's maps: java.lang.NoSuchFieldException:"
                + " test switch " + AgentRuntime.FAIL_PREPARATION_PROPERTY, lines.get(1));
    }

    /** Wasted bytes follow this JVM's array layout: oops, alignment, compact headers. */
    @ParameterizedTest
    @JdkSource
    void wastedBytesFollowTheArrayLayout(Jdk jdk) throws Exception {
        List<String[]> layouts = new ArrayList<>();
        layouts.add(new String[] {"-XX:-UseCompressedOops"});
        layouts.add(new String[] {"-XX:ObjectAlignmentInBytes=16"});
        if (jdk.feature() >= 25) {
            layouts.add(new String[] {"-XX:+UseCompactObjectHeaders"});
        }
        for (String[] flags : layouts) {
            Path reportFile = dir.resolve("report" + layouts.indexOf(flags) + ".json");
            ForkedJvm.Result result = selfMeasuring(jdk)
                    .jvmArgs(flags)
                    .agent(FAST + ",report=" + reportFile)
                    .main(ManyMapsScenario.class, "20", "96")
                    .run();
            assertEquals(0, result.exitCode(), result.describe());
            ParsedReport report = ParsedReport.read(reportFile);
            JsonNode finding = report.findingAt(ManyMapsScenario.class.getName() + ".growOne");
            assertEquals(20, finding.get("oversizedMaps").asLong(), String.join(" ", flags) + "\n" + report);
            assertEquals(realWastedBytes(result), finding.get("wastedBytes").asLong(),
                    String.join(" ", flags) + "\n" + report);
        }
    }

    @ParameterizedTest
    @JdkSource
    void eightThreadsGrowingAndDrainingAtOnceAreAllFlagged(Jdk jdk) throws Exception {
        Path reportFile = dir.resolve("report.json");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent(FAST + ",report=" + reportFile)
                .main(ThreadedScenario.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        ParsedReport report = ParsedReport.read(reportFile);
        List<JsonNode> findings = report.findingsAt(ThreadedScenario.class.getName() + ".fill");
        for (int t = 0; t < 8; t++) {
            String worker = ThreadedScenario.class.getName() + ".worker" + t + "(";
            List<JsonNode> mine = findings.stream().filter(f -> f.get("site").get(1).asText().startsWith(worker)).toList();
            assertEquals(1, mine.size(), "one finding for worker" + t + "\n" + report);
            assertEquals(25, mine.get(0).get("oversizedMaps").asLong(), "worker" + t + "\n" + report);
        }
        assertEquals(8 * 25, report.summary().get("oversizedMaps").asLong(), report.toString());
        assertEquals(0, report.agent().get("trackerFailures").asLong(), report.toString());
    }

    /**
     * The agent tells frames apart by the JVM's own object for each method (not by asking for
     * names); maps grown by look-alike lambdas or reflectively called look-alike methods from one
     * call site must still make one site per method, each with exactly its own maps.
     */
    @ParameterizedTest
    @JdkSource
    void sitesThatDifferOnlyInTheMethodStayApart(Jdk jdk) throws Exception {
        Path reportFile = dir.resolve("report.json");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent(FAST + ",log=debug,report=" + reportFile)
                .main(SiteIdentityScenario.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stderr().contains("sites tell methods apart by number"),
                "the agent fell back to method names on this JDK\n" + result.describe());
        ParsedReport report = ParsedReport.read(reportFile);
        String scenario = SiteIdentityScenario.class.getName();
        List<String> tops = new ArrayList<>();
        for (JsonNode finding : report.findings()) {
            if (finding.get("site").toString().contains(scenario + ".dispatch(")) {
                assertEquals(SiteIdentityScenario.MAPS_EACH, finding.get("oversizedMaps").asLong(), report.toString());
                String top = finding.get("site").get(0).asText();
                tops.add(top.substring(0, top.indexOf('(')));
            }
        }
        tops.sort(null);
        assertEquals(List.of(scenario + ".fillAccounts", scenario + ".fillCarts", scenario + ".lambda$static$0",
                scenario + ".lambda$static$1"), tops, report.toString());
    }

    @ParameterizedTest
    @JdkSource
    void aBadOptionIsOneLineAndTheApplicationStillRuns(Jdk jdk) throws Exception {
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("grace=soon")
                .main(HotRemoveScenario.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("SUM="), result.describe());
        assertEquals(List.of("[map-retention] bad option grace=soon: expected a duration such as 0s, 500ms, 30s,"
                + " 5m or 1h; the agent is not installed"), result.agentLines(), result.describe());
        assertEquals(1, result.stderr().lines().count(), "nothing else on stderr\n" + result.describe());
    }

    /** JVM-FACTS: removeNode is 291 bytes; C2 inlines hot methods up to 325. The advice must fit. */
    @ParameterizedTest
    @JdkSource
    void removeNodeIsStillInlinedInAHotLoop(Jdk jdk) throws Exception {
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("")
                .jvmArgs("-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintInlining", "-XX:-TieredCompilation")
                .main(HotRemoveScenario.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        List<String> removeNode = result.stdout().lines()
                .filter(l -> l.contains("java.util.HashMap::removeNode")).toList();
        assertFalse(removeNode.isEmpty(), "C2 never considered removeNode\n" + result.stdout());
        assertTrue(removeNode.stream().anyMatch(l -> l.contains("inline (hot)")), String.join("\n", removeNode));
        assertTrue(removeNode.stream().noneMatch(l -> l.contains("too big")), String.join("\n", removeNode));
        Matcher bytes = Pattern.compile("removeNode \\((\\d+) bytes\\)").matcher(removeNode.get(0));
        assertTrue(bytes.find(), removeNode.get(0));
        assertTrue(Integer.parseInt(bytes.group(1)) > 291, "the advice is in place: " + removeNode.get(0));
    }

    /** A JVM that can measure its own objects (byte-buddy-agent self-attach) and read HashMap.table. */
    private static ForkedJvm selfMeasuring(Jdk jdk) {
        ForkedJvm jvm = ForkedJvm.on(jdk)
                .classPath(ForkedJvm.dependencyJar("byte-buddy-agent-"))
                .jvmArgs("-Djdk.attach.allowAttachSelf=true", "--add-opens", "java.base/java.util=ALL-UNNAMED");
        if (jdk.feature() >= 21) {
            jvm.jvmArgs("-XX:+EnableDynamicAgentLoading");
        }
        return jvm;
    }

    private static long realWastedBytes(ForkedJvm.Result result) {
        Matcher m = Pattern.compile("REAL_WASTED_BYTES=(\\d+)").matcher(result.stdout());
        assertTrue(m.find(), result.describe());
        return Long.parseLong(m.group(1));
    }
}
