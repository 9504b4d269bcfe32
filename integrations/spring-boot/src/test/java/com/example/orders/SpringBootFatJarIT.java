package com.example.orders;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example service's Spring Boot fat jar, run as its team runs it ({@code java -jar}), with
 * the binder inside it as a dependency ({@code BOOT-INF/lib}): with {@code -javaagent} on the built
 * agent jar (Java 17 and 25) it starts, and {@code /actuator/prometheus} shows the drained map
 * exactly as the agent's report does; without the agent it starts and serves, and the gauges
 * read NaN. Each JVM runs with its temporary directory (Tomcat's work directory) in the test's
 * own, on a free loopback port, and is stopped at the end.
 */
class SpringBootFatJarIT {

    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");
    private static final Pattern SAMPLE = Pattern.compile("^(map_retention_\\w+)(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
    private static final String NOT_LOADED = "the map-retention agent is not loaded";
    private static final Duration START_LIMIT = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    static java.util.List<Jdk> selectedJdks() {
        return Jdk.selected();
    }

    @ParameterizedTest
    // Not @JdkSource: this module tests with Spring Boot's JUnit, whose ArgumentsProvider predates
    // the one JdkSource implements. The same selection (-Dmapretention.jdks), as a method source.
    @MethodSource("selectedJdks")
    void withTheAgentThePrometheusEndpointShowsTheDrainedMapAsTheAgentReportsIt(Jdk jdk) throws Exception {
        Path report = dir.resolve("report.json");
        ForkedJvm jvm = service(jdk).agent("grace=0s,scanInterval=100ms,report=" + report);
        try (ForkedJvm.Running app = jvm.start()) {
            String base = awaitStarted(app);
            assertEquals("processed 100000 orders; pending: 0\n", post(base + "/batch?orders=100000"));

            Map<String, Double> gauges = awaitGauges(base, g -> g.getOrDefault("map_retention_oversized_maps", 0.0) >= 1, app);
            ParsedReport parsed = ParsedReport.read(report);
            JsonNode summary = parsed.summary();
            JsonNode finding = parsed.findingAt(BatchController.class.getName() + ".batch");
            long wasted = finding.get("wastedBytes").asLong();
            assertTrue(wasted > 0, parsed.toString());
            assertEquals(summary.get("wastedBytes").asDouble(), gauges.get("map_retention_wasted_bytes"), parsed + "\n" + gauges);
            assertEquals(summary.get("oversizedMaps").asDouble(), gauges.get("map_retention_oversized_maps"), parsed + "\n" + gauges);
            assertEquals(summary.get("trackedMaps").asDouble(), gauges.get("map_retention_tracked_maps"), parsed + "\n" + gauges);

            stop(app);
            String out = app.stdout() + app.stderr();
            assertTrue(app.stderr().contains("[map-retention] oversized: 1 HashMap"), app.describe());
            assertTrue(app.stderr().contains("grown at " + BatchController.class.getName() + ".batch("), app.describe());
            assertFalse(out.contains("Exception") || out.contains("Error creating bean"), app.describe());
            assertFalse(out.contains(NOT_LOADED), app.describe());
        }
    }

    /** Without the agent the binder changes nothing but its gauges: NaN, one warning in the log. */
    @ParameterizedTest
    @EnumSource(value = Jdk.class, names = "JAVA17")
    void withoutTheAgentTheServiceRunsAndTheGaugesReadNaN(Jdk jdk) throws Exception {
        try (ForkedJvm.Running app = service(jdk).start()) {
            String base = awaitStarted(app);
            assertEquals("processed 5000 orders; pending: 0\n", post(base + "/batch?orders=5000"));
            Map<String, Double> gauges = null;
            for (int i = 0; i < 3; i++) {
                gauges = scrape(base);
            }
            assertEquals(3, gauges.size(), gauges.toString());
            for (Map.Entry<String, Double> gauge : gauges.entrySet()) {
                assertTrue(gauge.getValue().isNaN(), gauge.toString());
            }
            assertTrue(get(base + "/actuator/health").contains("\"UP\""));

            stop(app);
            String out = app.stdout() + app.stderr();
            assertEquals(1, out.split(NOT_LOADED, -1).length - 1, "one warning\n" + app.describe());
            assertFalse(out.contains("Exception"), app.describe());
        }
    }

    /** {@code java -jar} on the fat jar, on a free loopback port, its temporary files in the test's directory. */
    private ForkedJvm service(Jdk jdk) {
        // C1 only: Spring starts in about half the time; class loading, where -javaagent broke it, is the same.
        return ForkedJvm.on(jdk)
                .jvmArgs("-Djava.io.tmpdir=" + dir, "-XX:TieredStopAtLevel=1")
                .jar(appJar(), "--server.port=0", "--server.address=127.0.0.1");
    }

    private static Path appJar() {
        Path jar = Path.of(System.getProperty("app.jar", "target/map-retention-spring-boot-example.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("not built: " + jar + " (run mvn -B -DskipTests package at the root)");
        }
        return jar;
    }

    /** Waits for Tomcat's "started on port" line; returns the service's base URL. */
    private static String awaitStarted(ForkedJvm.Running app) throws IOException, InterruptedException {
        app.awaitOutput("Started OrdersApplication", START_LIMIT);
        Matcher port = STARTED.matcher(app.stdout());
        assertTrue(port.find(), app.describe());
        return "http://127.0.0.1:" + port.group(1);
    }

    /** Scrapes until {@code until} holds (the agent flags the map within a few scans); fails after 30 s. */
    private Map<String, Double> awaitGauges(String base, Predicate<Map<String, Double>> until, ForkedJvm.Running app)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Map<String, Double> gauges = scrape(base);
            if (until.test(gauges)) {
                return gauges;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gauges stayed at " + gauges + "\n" + app.describe());
            }
            Thread.sleep(100);
        }
    }

    /** The map_retention_* samples of /actuator/prometheus. */
    private Map<String, Double> scrape(String base) throws IOException, InterruptedException {
        String body = get(base + "/actuator/prometheus");
        Map<String, Double> gauges = new TreeMap<>();
        Matcher sample = SAMPLE.matcher(body);
        while (sample.find()) {
            gauges.put(sample.group(1), Double.parseDouble(sample.group(2)));
        }
        return gauges;
    }

    private String get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private String post(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.uri() + "\n" + response.body());
        return response.body();
    }

    /** SIGTERM, as a service manager stops it: Spring's shutdown runs (and the agent's at-exit report). */
    private static void stop(ForkedJvm.Running app) throws IOException, InterruptedException {
        app.process().destroy();
        if (!app.process().waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the service did not stop on SIGTERM\n" + app.describe());
        }
    }
}
