package dev.mapretention.demo;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo as README runs it: {@code java [-javaagent:...] -jar map-retention-demo.jar}, on Java 17
 * and Java 25, with the built agent jar ({@code ../agent/target}).
 */
class DemoIT {

    /** The JDKs the demo runs on; homes from JAVA17_HOME / JAVA25_HOME, else the usual paths. */
    enum Jdk {
        JAVA17("JAVA17_HOME", "/usr/lib/jvm/java-17-openjdk-amd64"),
        JAVA25("JAVA25_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64");

        private final String variable;
        private final String fallback;

        Jdk(String variable, String fallback) {
            this.variable = variable;
            this.fallback = fallback;
        }

        Path java() {
            String fromEnv = System.getenv(variable);
            Path java = Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : fallback, "bin", "java");
            if (!Files.isExecutable(java)) {
                throw new IllegalStateException("no " + java + ": set " + variable);
            }
            return java;
        }
    }

    private static final String AGENT_OPTIONS = "grace=1s,scanInterval=500ms";
    private static final String GROWING_METHOD = "dev.mapretention.demo.DemoMain.addEntries(DemoMain.java:";
    private static final Pattern FIGURE = Pattern.compile("^(\\d)\\. .*?(\\d+\\.\\d) MiB", Pattern.MULTILINE);
    private static final Pattern SERVING = Pattern.compile("Serving Prometheus metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)");
    private static final Pattern WASTED_GAUGE = Pattern.compile("^map_retention_wasted_bytes (\\S+)$", Pattern.MULTILINE);
    /** 2,097,152 slots of 4-byte references, plus an array header. */
    private static final long TABLE_BYTES = 2_097_152L * 4;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void withTheAgentTheDrainedMapIsMeasuredReportedAndRemedied(Jdk jdk) throws Exception {
        Demo demo = Demo.start(jdk, dir, true);
        demo.closeInput();
        String out = demo.awaitExit(0);

        Map<Integer, Double> figures = figures(out);
        assertDrainedTableRetainedThenFreed(figures, out);
        assertTrue(out.contains("It did. The agent's report:"), out);
        assertTrue(out.contains("grown at " + GROWING_METHOD), "the report names the method that grew the map\n" + out);
        assertTrue(out.contains("largest: capacity 2,097,152, size 0"), out);
        assertTrue(out.contains("0 MB, 461 MB and 293 MB"), out);
        // The agent said so on standard error too, once.
        String logged = "[map-retention] oversized: 1 HashMap wasting 8.0 MiB (capacity 2,097,152, size 0), grown at "
                + GROWING_METHOD;
        assertEquals(1, demo.stderr().split(Pattern.quote(logged), -1).length - 1, demo.describe());
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void serveShowsTheWastedBytesUntilEnterAppliesTheRemedy(Jdk jdk) throws Exception {
        Demo demo = Demo.start(jdk, dir, true, "--serve", "0");
        String url = demo.awaitMatch(SERVING).group(1);
        demo.awaitMatch(Pattern.compile("Press Enter"));

        HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scrape.statusCode(), scrape.body());
        assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), scrape.headers().toString());
        Matcher wasted = WASTED_GAUGE.matcher(scrape.body());
        assertTrue(wasted.find(), scrape.body());
        double bytes = Double.parseDouble(wasted.group(1));
        assertTrue(bytes >= TABLE_BYTES && bytes <= TABLE_BYTES + 64, "the drained table's bytes: " + scrape.body());
        assertTrue(scrape.body().contains("map_retention_oversized_maps 1.0"), scrape.body());

        demo.enter();
        String out = demo.awaitExit(0);
        assertDrainedTableRetainedThenFreed(figures(out), out);
        assertTrue(out.contains("grown at " + GROWING_METHOD), out);
        assertTrue(out.contains(url + " now shows map_retention_wasted_bytes 0."), "after the remedy\n" + out);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void withoutTheAgentItSaysHowToRunWithIt(Jdk jdk) throws Exception {
        Demo demo = Demo.start(jdk, dir, false);
        demo.closeInput();
        String out = demo.awaitExit(0);
        assertDrainedTableRetainedThenFreed(figures(out), out);
        assertTrue(out.contains("The map-retention agent is not loaded"), out);
        assertTrue(out.contains("java -javaagent:agent/target/map-retention-agent.jar=" + AGENT_OPTIONS
                + " -jar demo-app/target/map-retention-demo.jar"), out);
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
    private static final class Demo {
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
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("no '" + pattern + "' in the demo's output\n" + describe());
                }
                Thread.sleep(100);
            }
        }

        /** Waits (up to 3 minutes) for the demo to end with this status; returns its standard output. */
        String awaitExit(int status) throws IOException, InterruptedException {
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("the demo did not end\n" + describe());
            }
            assertEquals(status, process.exitValue(), describe());
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertTrue(!stderr.contains("Exception") && !stderr.contains("WARNING"), describe());
            return stdout();
        }

        String describe() throws IOException {
            return "command: " + String.join(" ", command) + "\n--- stdout ---\n" + stdout()
                    + "\n--- stderr ---\n" + Files.readString(err, StandardCharsets.UTF_8);
        }
    }
}
