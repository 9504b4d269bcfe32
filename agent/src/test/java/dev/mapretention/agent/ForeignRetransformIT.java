package dev.mapretention.agent;

import dev.mapretention.scenarios.ForeignRetransform;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Another agent retransforms every instrumented map class while the agent runs. The agent keeps
 * no transformer registered (it would be called at every class load), so the JVM's fresh class
 * versions come without the hooks: the scanner notices it from the classes' redefinition counts,
 * says so in one line, and puts them back, after which the maps of every kind are followed again.
 */
class ForeignRetransformIT {

    private static final String SCENARIO = ForeignRetransform.class.getName();

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void hooksTakenOutByAnotherAgentAreBackWithinAScan(Jdk jdk) throws Exception {
        Path reportFile = dir.resolve("report.json");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("grace=0s,scanInterval=100ms,report=" + reportFile)
                .jvmArgs("-Djdk.attach.allowAttachSelf=true")
                .classPath(ForkedJvm.dependencyJar("byte-buddy-agent-"))
                .main(ForeignRetransform.class, reportFile.toString())
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("retransformed 5 of 5"), result.describe());
        assertTrue(result.stdout().contains("HOOKS BACK"), result.describe());
        assertTrue(result.agentLines().contains("[map-retention] the hooks are back in java.util.HashMap,"
                        + " java.util.concurrent.ConcurrentHashMap, java.util.Hashtable, java.util.IdentityHashMap,"
                        + " java.util.WeakHashMap, which another agent had retransformed without them (what those"
                        + " maps did meanwhile was not seen)"),
                result.describe());

        ParsedReport report = ParsedReport.read(reportFile);
        String[][] kinds = {
            {"growHashMap", "HashMap"}, {"growConcurrentHashMap", "ConcurrentHashMap"}, {"growHashtable", "Hashtable"},
            {"growIdentityHashMap", "IdentityHashMap"}, {"growWeakHashMap", "WeakHashMap"},
        };
        for (String[] kind : kinds) {
            assertEquals(kind[1], report.findingAt(SCENARIO + "." + kind[0]).get("container").asText(),
                    report.toString());
        }
        assertEquals(0, report.agent().get("trackerFailures").asLong(), report.toString());
    }
}
