package dev.mapretention.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.scenarios.SiteIdentityScenario;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tracker's frames (the hooks, the slow path, the event handler down to the stack walk) are
 * {@code @Hidden}, so that the walk that captures a site never fills a frame object for them.
 * With {@code -XX:+ShowHiddenFrames} the walk does see them: sites must still begin at the
 * application's frame, and stay apart exactly as without it (Java 17 and 25).
 */
class HiddenFramesIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @JdkSource
    void withHiddenFramesShownSitesStillStartAtTheApplicationsFrame(Jdk jdk) throws Exception {
        Path reportFile = dir.resolve("report.json");
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .jvmArgs("-XX:+UnlockDiagnosticVMOptions", "-XX:+ShowHiddenFrames")
                .agent("grace=300ms,scanInterval=100ms,report=" + reportFile)
                .main(SiteIdentityScenario.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        ParsedReport report = ParsedReport.read(reportFile);
        String scenario = SiteIdentityScenario.class.getName();
        List<String> tops = new ArrayList<>();
        for (JsonNode finding : report.findings()) {
            String site = finding.get("site").toString();
            assertTrue(!site.contains("dev.mapretention.agent."), "a tracker frame in a site: " + site);
            if (site.contains(scenario + ".dispatch(")) {
                assertEquals(SiteIdentityScenario.MAPS_EACH, finding.get("oversizedMaps").asLong(), report.toString());
                String top = finding.get("site").get(0).asText();
                tops.add(top.substring(0, top.indexOf('(')));
            }
        }
        tops.sort(null);
        assertEquals(List.of(scenario + ".fillAccounts", scenario + ".fillCarts", scenario + ".lambda$static$0",
                scenario + ".lambda$static$1"), tops, report.toString());
        assertEquals(0, report.agent().get("trackerFailures").asLong(), report.toString());
    }
}
