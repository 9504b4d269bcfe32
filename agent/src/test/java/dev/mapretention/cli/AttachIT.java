package dev.mapretention.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.scenarios.AttachTarget;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import dev.mapretention.testing.SteppedJvm;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Path;

import static dev.mapretention.cli.MainTest.assertFailed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Diagnosis without a restart: the command line (run inside this JVM, on Java 17) attaches the
 * built agent jar to a running {@link AttachTarget} on Java 17 and on Java 25, reads its report,
 * detaches it and attaches it again. Maps that grew before the attach are found when they drain
 * or grow again afterwards; after a detach HashMap no longer calls the tracker, even when
 * another agent retransforms it.
 */
class AttachIT {

    private static final String TARGET = AttachTarget.class.getName();
    private static final Path JAR = ForkedJvm.agentJar();

    @ParameterizedTest
    @JdkSource
    void attachReportDetachAndAttachAgain(Jdk jdk) throws Exception {
        try (SteppedJvm target = SteppedJvm.start(target(jdk)
                .jvmArgs("-Djdk.attach.allowAttachSelf=true")
                .classPath(ForkedJvm.dependencyJar("byte-buddy-agent-")))) {
            long pid = target.pid();
            // Grown before any agent: 20,000 entries make a 32,768-slot table, and so on.
            target.step("grow early 20000");
            target.step("grow regrown 20000");
            target.step("grow afterDetach 5000");
            target.step("grow afterReattach 10000");
            // Drained before the attach, and untouched after it: no event shows it to the agent
            // (the README says so); the counts below would include it otherwise.
            target.step("grow drainedBefore 40000");
            target.step("drain drainedBefore");

            assertFailed(cli("report", pid), "map-retention: the agent is not loaded in " + pid
                    + ": load it with: java -jar map-retention-agent.jar attach " + pid);
            assertFailed(cli("detach", pid), "map-retention: the agent is not loaded in " + pid);

            CliRun attach = cli("attach", pid, "grace=0s,scanInterval=1h");
            assertEquals(0, attach.status(), attach.describe() + target.describe());
            assertEquals("map-retention is now loaded in " + pid + " (grace=0s,scanInterval=1h); see its findings with: report "
                    + pid + "\n", attach.out(), attach.describe());
            CliRun again = cli("attach", pid, "grace=5m");
            assertEquals(0, again.status(), again.describe());
            assertTrue(again.out().startsWith("map-retention is already loaded in " + pid
                    + " (grace=0s,scanInterval=1h); nothing changed."), again.describe());

            target.step("drain early");
            target.step("regrow regrown 10000");
            target.step("clear regrown");

            CliRun text = cli("report", pid);
            assertEquals(0, text.status(), text.describe());
            assertTrue(text.out().contains("tracked maps: 2   oversized: 2"), text.describe());
            assertTrue(text.out().contains("    drained at " + TARGET + ".drain(AttachTarget.java:"), text.describe());
            assertTrue(text.out().contains("    regrown at " + TARGET + ".regrow(AttachTarget.java:"), text.describe());

            CliRun json = cli("report", pid, "--json");
            assertEquals(0, json.status(), json.describe());
            ParsedReport report = ParsedReport.parse(json.out());
            assertEquals(pid, report.root().get("jvm").get("pid").asLong(), report.toString());
            assertEquals(0, report.root().get("settings").get("graceMillis").asLong(), report.toString());
            assertEquals(3_600_000, report.root().get("settings").get("scanIntervalMillis").asLong(), report.toString());
            assertEquals(2, report.findings().size(), report.toString());
            JsonNode drained = report.findingAt(TARGET + ".drain");
            assertEquals("drain-after-attach", drained.get("siteKind").asText(), report.toString());
            assertEquals("HashMap", drained.get("container").asText(), report.toString());
            assertEquals(32_768, drained.get("maps").get(0).get("capacity").asInt(), report.toString());
            assertTrue(drained.get("advice").asText().contains("drained to empty"), report.toString());
            JsonNode regrown = report.findingAt(TARGET + ".regrow");
            assertEquals("regrowth-after-attach", regrown.get("siteKind").asText(), report.toString());
            assertEquals(65_536, regrown.get("maps").get(0).get("capacity").asInt(), report.toString());
            assertEquals(0, report.agent().get("trackerFailures").asLong(), report.toString());

            CliRun detach = cli("detach", pid);
            assertEquals(0, detach.status(), detach.describe());
            assertEquals("map-retention detached from " + pid + ": java.util.HashMap, java.util.concurrent.ConcurrentHashMap, java.util.Hashtable, java.util.IdentityHashMap, java.util.WeakHashMap restored, tracking stopped\n",
                    detach.out(), detach.describe());
            assertEquals("HashMap does not call the tracker", target.step("tracker"), target.describe());
            // Another agent retransforming HashMap (as APM agents do) must not bring the advice back.
            assertEquals("retransformed", target.step("retransform"), target.describe());
            assertEquals("HashMap does not call the tracker", target.step("tracker"), target.describe());
            target.step("drain afterDetach");
            assertFailed(cli("report", pid), "map-retention: the agent is not loaded in " + pid);

            CliRun reattach = cli("attach", pid, "grace=0s");
            assertEquals(0, reattach.status(), reattach.describe() + target.describe());
            target.step("drain afterReattach");
            ParsedReport second = ParsedReport.parse(cli("report", pid, "--json").out());
            // Only what drained since this attach: not the maps of the first one, not the map
            // drained while detached.
            assertEquals(1, second.findings().size(), second.toString());
            JsonNode only = second.findingAt(TARGET + ".drain");
            assertEquals(16_384, only.get("maps").get(0).get("capacity").asInt(), second.toString());
            assertEquals(1, second.summary().get("trackedMaps").asLong(), second.toString());

            assertEquals(0, cli("detach", pid).status());
            assertEquals("HashMap does not call the tracker", target.step("tracker"), target.describe());
            ForkedJvm.Result result = target.quit();
            assertEquals(0, result.exitCode(), result.describe());
            assertFalse(result.stderr().contains("Exception"), result.describe());
            assertFalse(result.stderr().contains("WARNING: A Java agent has been loaded dynamically"), result.describe());
            assertEquals(2, result.agentLines().stream()
                    .filter(l -> l.equals("[map-retention] detached: java.util.HashMap, java.util.concurrent.ConcurrentHashMap, java.util.Hashtable, java.util.IdentityHashMap, java.util.WeakHashMap restored, tracking stopped")).count(),
                    result.describe());
        }
    }

    @ParameterizedTest
    @JdkSource
    void anAgentLoadedAtStartUpIsReportedAndDetachedTheSameWay(Jdk jdk) throws Exception {
        try (SteppedJvm target = SteppedJvm.start(target(jdk).agent("grace=0s"))) {
            long pid = target.pid();
            CliRun attach = cli("attach", pid);
            assertEquals(0, attach.status(), attach.describe());
            assertTrue(attach.out().startsWith("map-retention is already loaded in " + pid + " (grace=0s); nothing changed."),
                    attach.describe());
            target.step("grow startup 20000");
            target.step("clear startup");
            ParsedReport report = ParsedReport.parse(cli("report", pid, "--json").out());
            JsonNode grown = report.findingAt(TARGET + ".grow");
            assertEquals("growth", grown.get("siteKind").asText(), report.toString());

            assertEquals(0, cli("detach", pid).status());
            assertEquals("HashMap does not call the tracker", target.step("tracker"), target.describe());
            // Attached again, dynamically, into the JVM that had it from the start.
            assertEquals(0, cli("attach", pid, "grace=0s").status(), target.describe());
            target.step("grow late 20000");
            target.step("drain late");
            ParsedReport late = ParsedReport.parse(cli("report", pid, "--json").out());
            assertEquals(1, late.findings().size(), late.toString());
            assertEquals("growth", late.findingAt(TARGET + ".grow").get("siteKind").asText(), late.toString());
            assertEquals(0, cli("detach", pid).status());
        }
    }

    /**
     * ConcurrentHashMaps after a late attach: one grown before it and cleared after is seen at its
     * clear ("drained at"); one grown after it and drained by removals is found by the scanner,
     * at its growth site; one grown before and drained by removals after stays invisible (no
     * removal hook: README says so).
     */
    @ParameterizedTest
    @JdkSource
    void aLateAttachSeesConcurrentHashMapsGrowAndDrain(Jdk jdk) throws Exception {
        try (SteppedJvm target = SteppedJvm.start(target(jdk))) {
            long pid = target.pid();
            target.step("growConcurrent before 20000");
            target.step("growConcurrent removedBefore 20000");
            assertEquals(0, cli("attach", pid, "grace=0s,scanInterval=1h").status(), target.describe());
            target.step("clear before");
            target.step("drain removedBefore");
            target.step("growConcurrent after 20000");
            target.step("drain after");

            CliRun json = cli("report", pid, "--json");
            assertEquals(0, json.status(), json.describe());
            ParsedReport report = ParsedReport.parse(json.out());
            JsonNode cleared = report.findingAt(TARGET + ".clear");
            assertEquals("drain-after-attach", cleared.get("siteKind").asText(), report.toString());
            assertEquals("ConcurrentHashMap", cleared.get("container").asText(), report.toString());
            assertEquals(32_768, cleared.get("maps").get(0).get("capacity").asInt(), report.toString());
            JsonNode grown = report.findingAt(TARGET + ".growConcurrent");
            assertEquals("growth", grown.get("siteKind").asText(), report.toString());
            assertEquals(1, grown.get("oversizedMaps").asLong(), report.toString());
            assertEquals(2, report.findings().size(), report.toString());
            assertEquals(0, report.agent().get("trackerFailures").asLong(), report.toString());
            assertEquals(0, cli("detach", pid).status(), target.describe());
        }
    }

    /**
     * A JVM whose own {@code -Dmapretention.*} properties would make the agent refuse to start is
     * told so, and nothing is loaded into it.
     */
    @ParameterizedTest
    @JdkSource
    void refusesAJvmWhoseOwnOptionPropertiesAreBad(Jdk jdk) throws Exception {
        try (SteppedJvm target = SteppedJvm.start(target(jdk).jvmArgs("-Dmapretention.grace=soon"))) {
            long pid = target.pid();
            assertFailed(cli("attach", pid, "scanInterval=1s"), "map-retention: the agent would not start in " + pid
                    + " (with its -Dmapretention.* properties): bad option grace=soon: expected a duration");
            assertEquals("the tracker was never loaded", target.step("tracker"));
        }
    }

    /**
     * Java 21 and later print a warning when an agent is loaded into a running JVM, unless that
     * JVM was started with {@code -XX:+EnableDynamicAgentLoading}; Java 17 prints none. The README
     * says so; this keeps it true.
     */
    @ParameterizedTest
    @JdkSource
    void theDynamicAgentWarningIsTheJvmsOwn(Jdk jdk) throws Exception {
        try (SteppedJvm target = SteppedJvm.start(ForkedJvm.on(jdk).main(AttachTarget.class))) {
            assertEquals(0, cli("attach", target.pid()).status(), target.describe());
            assertEquals(0, cli("detach", target.pid()).status(), target.describe());
            ForkedJvm.Result result = target.quit();
            assertEquals(jdk.feature() >= 21, result.stderr().contains("WARNING: A Java agent has been loaded dynamically ("
                    + JAR + ")"), result.describe());
        }
    }

    /** The target, on Java 21 and later with dynamic agent loading enabled (no warning). */
    static ForkedJvm target(Jdk jdk) {
        ForkedJvm jvm = ForkedJvm.on(jdk).main(AttachTarget.class);
        return jdk.feature() >= 21 ? jvm.jvmArgs("-XX:+EnableDynamicAgentLoading") : jvm;
    }

    private static CliRun cli(Object... args) {
        return CliRun.run(JAR, args);
    }
}
