package dev.mapretention.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.scenarios.KindWasteScenario;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import dev.mapretention.testing.JdkSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counts and bytes for every kind beyond the HashMap family: many maps drained at one site each
 * ({@link KindWasteScenario}), whose wasted bytes must equal their real tables minus the real
 * tables of the copies each kind's advice makes, measured in the same JVM with
 * {@code Instrumentation.getObjectSize}. Drained to empty and to a few entries (where the copy's
 * sizing rules matter), with and without compressed references, on Java 17 and Java 25.
 */
class KindWasteIT {

    private static final Map<String, String> SITES = Map.of(
            "ConcurrentHashMap", "growConcurrentHashMap",
            "Hashtable", "growHashtable",
            "IdentityHashMap", "growIdentityHashMap",
            "WeakHashMap", "growWeakHashMap",
            "Properties", "growProperties",
            "ConcurrentHashMap.KeySetView", "growKeySet");

    @TempDir
    Path dir;

    /** 2,000 drained ConcurrentHashMaps from one site: one finding, every map counted, every byte real. */
    @ParameterizedTest
    @JdkSource
    void drainedToEmpty(Jdk jdk) throws Exception {
        check(jdk, 2_000, 20, 0);
    }

    /** Drained to a few entries: the waste is measured against each kind's right-sized copy. */
    @ParameterizedTest
    @JdkSource
    void drainedToAFewEntries(Jdk jdk) throws Exception {
        check(jdk, 20, 20, 11);
        check(jdk, 20, 20, 300, "-XX:-UseCompressedOops");
    }

    private void check(Jdk jdk, int concurrentMaps, int others, int left, String... flags) throws Exception {
        Path reportFile = dir.resolve("report-" + left + ".json");
        ForkedJvm jvm = ForkedJvm.on(jdk)
                .classPath(ForkedJvm.dependencyJar("byte-buddy-agent-"))
                .jvmArgs("-Djdk.attach.allowAttachSelf=true", "--add-opens", "java.base/java.util=ALL-UNNAMED",
                        "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED")
                .jvmArgs(flags)
                .agent("grace=300ms,scanInterval=100ms,report=" + reportFile)
                .main(KindWasteScenario.class, String.valueOf(concurrentMaps), String.valueOf(others),
                        String.valueOf(left), "1000");
        if (jdk.feature() >= 21) {
            jvm.jvmArgs("-XX:+EnableDynamicAgentLoading");
        }
        ForkedJvm.Result result = jvm.run();
        assertEquals(0, result.exitCode(), result.describe());
        ParsedReport report = ParsedReport.read(reportFile);
        for (Map.Entry<String, String> kind : SITES.entrySet()) {
            String container = kind.getKey();
            JsonNode finding = report.findingAt(KindWasteScenario.class.getName() + "." + kind.getValue());
            String what = container + " left=" + left + " " + String.join(" ", flags) + "\n" + report;
            assertEquals(container, finding.get("container").asText(), what);
            assertEquals(container.equals("ConcurrentHashMap") ? concurrentMaps : others,
                    finding.get("oversizedMaps").asLong(), what);
            assertEquals(left, finding.get("maps").get(0).get("size").asInt(), what);
            assertEquals(realWastedBytes(result, container), finding.get("wastedBytes").asLong(), what);
        }
        assertEquals(0, report.agent().get("trackerFailures").asLong(), report.toString());
    }

    private static long realWastedBytes(ForkedJvm.Result result, String container) {
        Matcher m = Pattern.compile("REAL_WASTED_BYTES " + Pattern.quote(container) + "=(\\d+)").matcher(result.stdout());
        assertTrue(m.find(), result.describe());
        return Long.parseLong(m.group(1));
    }
}
