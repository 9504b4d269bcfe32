package dev.mapretention.demo;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo as README runs it: {@code java [-javaagent:...] -jar map-retention-demo.jar}, on Java 17
 * and Java 25, with the built agent jar ({@code ../agent/target}).
 */
class DemoIT {

    /**
     * The JDKs the demo runs on; homes from JAVA17_HOME / JAVA25_HOME, else the usual paths. As
     * the agent's forked tests do, {@code -Dmapretention.jdks=17} (or 25) runs it on one only.
     */
    enum Jdk {
        JAVA17("JAVA17_HOME", "/usr/lib/jvm/java-17-openjdk-amd64", "17"),
        JAVA25("JAVA25_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64", "25");

        private final String variable;
        private final String fallback;
        private final String feature;

        Jdk(String variable, String fallback, String feature) {
            this.variable = variable;
            this.fallback = fallback;
            this.feature = feature;
        }

        /** Those that {@code -Dmapretention.jdks} names (all when it is not set). */
        static Stream<Jdk> selected() {
            String names = System.getProperty("mapretention.jdks", "").trim();
            if (names.isEmpty()) {
                return Stream.of(values());
            }
            List<String> chosen = Arrays.stream(names.split(",")).map(String::trim).collect(Collectors.toList());
            for (String name : chosen) {
                if (Stream.of(values()).noneMatch(jdk -> jdk.feature.equals(name))) {
                    throw new IllegalArgumentException("bad -Dmapretention.jdks=" + names + ": expected 17, 25 or 17,25");
                }
            }
            return Stream.of(values()).filter(jdk -> chosen.contains(jdk.feature));
        }

        Path java() {
            String fromEnv = System.getenv(variable);
            Path java = Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : fallback, "bin", "java");
            if (!Files.isExecutable(java)) {
                throw new IllegalStateException("no " + java + ": set " + variable
                        + ", or run on the other JDK only with -Dmapretention.jdks=" + (feature.equals("17") ? 25 : 17));
            }
            return java;
        }
    }

    private static final String AGENT_OPTIONS = "grace=1s,scanInterval=500ms";
    private static final String GROWING_METHOD = "dev.mapretention.demo.DemoMain.addEntries(DemoMain.java:";
    private static final Pattern FIGURE = Pattern.compile("^(\\d)\\. .*?(\\d+\\.\\d) MiB", Pattern.MULTILINE);
    private static final Pattern SERVING = Pattern.compile("Serving Prometheus metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)");
    private static final Pattern WASTED_GAUGE = Pattern.compile("^map_retention_wasted_bytes (\\S+)$", Pattern.MULTILINE);
    private static final Pattern DEMO_FRAME = Pattern.compile("dev\\.mapretention\\.demo\\.DemoMain\\.\\w+\\(DemoMain\\.java:\\d+\\)");
    /** 2,097,152 slots of 4-byte references, plus an array header. */
    private static final long TABLE_BYTES = 2_097_152L * 4;

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.mapretention.demo.DemoIT$Jdk#selected")
    void withTheAgentTheDrainedMapIsMeasuredReportedAndRemedied(Jdk jdk) throws Exception {
        try (Demo demo = Demo.start(jdk, dir, true)) {
            demo.closeInput();
            String out = demo.awaitExit(0);

            Map<Integer, Double> figures = figures(out);
            assertDrainedTableRetainedThenFreed(figures, out);
            assertTrue(out.contains("It did. The agent's report:"), out);
            assertTrue(out.contains("grown at " + GROWING_METHOD), "the report names the method that grew the map\n" + out);
            assertTrue(out.contains("largest: capacity 2,097,152, size 0"), out);
            assertTrue(out.contains("0 MB, 461 MB and 293 MB"), out);
            // One figure for what stayed: the table (compressed references, as in a default JVM this small).
            assertTrue(out.contains("What stayed is the map's table,\n  2,097,152 slots of 4-byte references: 8.0 MiB."), out);
            // The agent said so on standard error too, once.
            String logged = "[map-retention] oversized: 1 HashMap wasting 8.0 MiB (capacity 2,097,152, size 0), grown at "
                    + GROWING_METHOD;
            assertEquals(1, demo.stderr().split(Pattern.quote(logged), -1).length - 1, demo.describe());
            assertReadmeFramesAreThisBuilds(out);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.mapretention.demo.DemoIT$Jdk#selected")
    void serveShowsTheWastedBytesThenZeroAfterTheRemedyUntilStopped(Jdk jdk) throws Exception {
        try (Demo demo = Demo.start(jdk, dir, true, "--serve", "0")) {
            String url = demo.awaitMatch(SERVING).group(1);
            demo.awaitMatch(Pattern.compile("Press Enter"));

            HttpResponse<String> scrape = scrape(url);
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                    scrape.headers().toString());
            Matcher wasted = WASTED_GAUGE.matcher(scrape.body());
            assertTrue(wasted.find(), scrape.body());
            double bytes = Double.parseDouble(wasted.group(1));
            assertTrue(bytes >= TABLE_BYTES && bytes <= TABLE_BYTES + 64, "the drained table's bytes: " + scrape.body());
            assertTrue(scrape.body().contains("map_retention_oversized_maps 1.0"), scrape.body());

            demo.enter();
            demo.awaitMatch(Pattern.compile("Still serving " + Pattern.quote(url) + ", the gauge now at 0: Ctrl-C stops the demo."));
            // After the remedy it goes on serving, and the gauge reads 0.
            HttpResponse<String> after = scrape(url);
            assertTrue(after.body().contains("\nmap_retention_wasted_bytes 0.0\n"), after.body());
            assertTrue(after.body().contains("\nmap_retention_oversized_maps 0.0\n"), after.body());

            // Ctrl-C's SIGINT and a plain kill's SIGTERM end the JVM alike: its shutdown hook closes the server.
            String out = demo.terminate();
            assertDrainedTableRetainedThenFreed(figures(out), out);
            assertTrue(out.contains("grown at " + GROWING_METHOD), out);
            assertTrue(out.contains(url + " now shows map_retention_wasted_bytes 0."), "after the remedy\n" + out);
            assertTrue(out.endsWith("   Stopped serving " + url + "\n"), out);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.mapretention.demo.DemoIT$Jdk#selected")
    void withoutTheAgentItSaysHowToRunWithIt(Jdk jdk) throws Exception {
        try (Demo demo = Demo.start(jdk, dir, false)) {
            demo.closeInput();
            String out = demo.awaitExit(0);
            assertDrainedTableRetainedThenFreed(figures(out), out);
            assertTrue(out.contains("The map-retention agent is not loaded"), out);
            assertTrue(out.contains("java -javaagent:agent/target/map-retention-agent.jar=" + AGENT_OPTIONS
                    + " -jar demo-app/target/map-retention-demo.jar"), out);
        }
    }

    private static HttpResponse<String> scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scrape.statusCode(), scrape.body());
        return scrape;
    }

    /**
     * README shows this demo's output; every frame of DemoMain it quotes
     * ({@code DemoMain.addEntries(DemoMain.java:N)} ...) must be one this build prints, so that
     * an edit of DemoMain that moves them fails here until README is updated.
     */
    private static void assertReadmeFramesAreThisBuilds(String out) throws IOException {
        Path readme = Path.of(System.getProperty("readme", "../README.md"));
        Matcher frame = DEMO_FRAME.matcher(Files.readString(readme, StandardCharsets.UTF_8));
        int quoted = 0;
        while (frame.find()) {
            quoted++;
            assertTrue(out.contains(frame.group()), "README quotes " + frame.group() + ", which this build does not print"
                    + " (update README's samples from a run of the demo)\n" + out);
        }
        assertTrue(quoted > 0, "README quotes no frame of DemoMain; the pattern is stale: " + DEMO_FRAME);
    }

    /** Steps 1, 2, 3 and 5 printed; the drained map holds its table (~8 MiB) until the remedy frees it. */
    private static void assertDrainedTableRetainedThenFreed(Map<Integer, Double> figures, String out) {
        assertEquals(List.of(1, 2, 3, 5), new ArrayList<>(figures.keySet()), out);
        double empty = figures.get(1);
        double full = figures.get(2);
        double drained = figures.get(3);
        double remedied = figures.get(5);
        assertTrue(full - empty > 150, "1,000,000 entries of 128-byte values take well over 150 MiB\n" + out);
        assertTrue(drained - remedied >= 7.0, "the drained map keeps its 8 MiB table\n" + out);
        assertTrue(drained < full / 4, "the entries and their values are freed\n" + out);
        assertTrue(Math.abs(remedied - empty) < 3.0, "the remedy frees the table\n" + out);
    }

    private static Map<Integer, Double> figures(String out) {
        Map<Integer, Double> figures = new TreeMap<>();
        Matcher m = FIGURE.matcher(out);
        while (m.find()) {
            figures.put(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)));
        }
        return figures;
    }

    /** The demo jar running in its own JVM; output to files, standard input a pipe. */
    private static final class Demo implements AutoCloseable {
        private final Process process;
        private final Path out;
        private final Path err;
        private final List<String> command;

        private Demo(Process process, Path out, Path err, List<String> command) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.command = command;
        }

        static Demo start(Jdk jdk, Path dir, boolean withAgent, String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(jdk.java().toString());
            if (withAgent) {
                command.add("-javaagent:" + jar("agent.jar", "../agent/target/map-retention-agent.jar") + "=" + AGENT_OPTIONS);
            }
            command.add("-jar");
            command.add(jar("demo.jar", "target/map-retention-demo.jar").toString());
            command.addAll(List.of(args));
            Path out = Files.createTempFile(dir, "demo", ".out");
            Path err = Files.createTempFile(dir, "demo", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Demo(process, out, err, command);
        }

        private static Path jar(String property, String fallback) {
            Path jar = Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("not built: " + jar + " (run mvn -B -DskipTests package at the root)");
            }
            return jar;
        }

        void closeInput() throws IOException {
            process.getOutputStream().close();
        }

        void enter() throws IOException {
            OutputStream in = process.getOutputStream();
            in.write('\n');
            in.flush();
            in.close();
        }

        String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        /** Waits (up to 3 minutes) until standard output matches. */
        Matcher awaitMatch(Pattern pattern) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (true) {
                Matcher m = pattern.matcher(stdout());
                if (m.find()) {
                    return m;
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new AssertionError("no '" + pattern + "' in the demo's output\n" + describe());
                }
                Thread.sleep(100);
            }
        }

        /** Waits (up to 3 minutes) for the demo to end with this status; returns its standard output. */
        String awaitExit(int status) throws IOException, InterruptedException {
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                close();
                throw new AssertionError("the demo did not end\n" + describe());
            }
            assertEquals(status, process.exitValue(), describe());
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertTrue(!stderr.contains("Exception") && !stderr.contains("WARNING"), describe());
            return stdout();
        }

        /** Stops the demo as Ctrl-C or kill would (SIGTERM); returns its standard output. */
        String terminate() throws IOException, InterruptedException {
            process.destroy();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                throw new AssertionError("the demo did not end on SIGTERM\n" + describe());
            }
            assertEquals(128 + 15, process.exitValue(), "ended by SIGTERM\n" + describe());
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertTrue(!stderr.contains("Exception") && !stderr.contains("WARNING"), describe());
            return stdout();
        }

        String describe() throws IOException {
            return "command: " + String.join(" ", command) + "\n--- stdout ---\n" + stdout()
                    + "\n--- stderr ---\n" + Files.readString(err, StandardCharsets.UTF_8);
        }

        /** Ends the demo if it still runs: SIGTERM, so that it removes its files in /tmp, then SIGKILL. */
        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
