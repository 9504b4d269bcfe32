package dev.mapretention.cli;

import dev.mapretention.scenarios.AttachTarget;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import dev.mapretention.testing.Scratch;
import dev.mapretention.testing.SteppedJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command line exactly as the README shows it: {@code java -jar map-retention-agent.jar ...}
 * as its own process, on Java 17 and on Java 25, against a running JVM of the same version.
 */
class CommandLineIT {

    /** The version the build gave the jar (failsafe passes it as {@code agent.version}). */
    private static final String AGENT_VERSION = "map-retention "
            + Objects.requireNonNull(System.getProperty("agent.version"), "agent.version (set by failsafe in agent/pom.xml)");

    @ParameterizedTest
    @JdkSource
    void listAttachReportDetachAsProcesses(Jdk jdk) throws Exception {
        Cli help = java(jdk, "help");
        assertEquals(0, help.status(), help.describe());
        assertTrue(help.out().startsWith("usage: java -jar map-retention-agent.jar COMMAND ..."), help.describe());
        assertEquals("", help.err(), help.describe());

        for (String word : new String[] {"version", "--version"}) {
            Cli version = java(jdk, word);
            assertEquals(0, version.status(), version.describe());
            List<String> lines = version.out().lines().toList();
            assertEquals(2, lines.size(), version.describe());
            assertEquals(AGENT_VERSION, lines.get(0), version.describe());
            assertTrue(lines.get(1).matches("Java " + jdk.feature() + "(\\.[0-9.]+)?(-\\S+)? \\(.+\\) at "
                    + Pattern.quote(jdk.home().toRealPath().toString())), version.describe());
            assertEquals("", version.err(), version.describe());
        }

        Cli usage = java(jdk, "attach", "4242", "grace=1s,bogus=1");
        assertEquals(2, usage.status(), usage.describe());
        assertTrue(usage.err().startsWith("map-retention: unknown option 'bogus': known options are "), usage.describe());
        assertTrue(usage.err().contains("\nusage: "), usage.describe());
        assertFalse(usage.err().contains("Exception"), usage.describe());
        assertEquals("", usage.out(), usage.describe());

        try (SteppedJvm target = SteppedJvm.start(AttachIT.target(jdk))) {
            String pid = Long.toString(target.pid());
            target.step("grow early 20000");
            assertEquals("no", agentColumn(java(jdk, "list"), pid));

            Cli notLoaded = java(jdk, "report", pid);
            assertEquals(1, notLoaded.status(), notLoaded.describe());
            assertEquals("map-retention: the agent is not loaded in " + pid
                    + ": load it with: java -jar map-retention-agent.jar attach " + pid + "\n", notLoaded.err());

            // The options reach the agent whole, commas and all.
            Cli attach = java(jdk, "attach", pid, "grace=0s,scanInterval=2s,minCapacity=8192");
            assertEquals(0, attach.status(), attach.describe() + target.describe());
            assertEquals("map-retention is now loaded in " + pid
                    + " (grace=0s,scanInterval=2s,minCapacity=8192); see its findings with: report " + pid + "\n",
                    attach.out(), attach.describe());
            assertEquals("yes", agentColumn(java(jdk, "list"), pid));
            // The agent's start-up line names its version.
            assertTrue(target.stderr().contains("[map-retention] tracking hash maps of 8192 slots or more ("
                    + "grace=0s,scanInterval=2s,minCapacity=8192); " + AGENT_VERSION + " started in "), target.describe());

            target.step("drain early");
            Cli text = java(jdk, "report", pid);
            assertEquals(0, text.status(), text.describe());
            assertTrue(text.out().contains("drained at " + AttachTarget.class.getName() + ".drain("), text.describe());
            Cli json = java(jdk, "report", pid, "--json");
            assertEquals(0, json.status(), json.describe());
            ParsedReport report = ParsedReport.parse(json.out());
            assertEquals(8192, report.root().get("settings").get("minCapacity").asInt(), report.toString());
            assertEquals(2000, report.root().get("settings").get("scanIntervalMillis").asLong(), report.toString());
            assertEquals("drain-after-attach",
                    report.findingAt(AttachTarget.class.getName() + ".drain").get("siteKind").asText(), report.toString());

            Cli detach = java(jdk, "detach", pid);
            assertEquals(0, detach.status(), detach.describe());
            assertEquals("map-retention detached from " + pid + ": java.util.HashMap, java.util.concurrent.ConcurrentHashMap, java.util.Hashtable, java.util.IdentityHashMap, java.util.WeakHashMap restored, tracking stopped\n",
                    detach.out(), detach.describe());
            assertEquals("no", agentColumn(java(jdk, "list"), pid));
            Cli gone = java(jdk, "detach", pid);
            assertEquals(1, gone.status(), gone.describe());
            assertEquals("map-retention: the agent is not loaded in " + pid
                    + ": load it with: java -jar map-retention-agent.jar attach " + pid + "\n", gone.err());
        }
    }

    /**
     * Another user's JVM cannot be attached to (the JDK allows only root to reach other users'
     * JVMs): run as root, this runs the command as {@code nobody} against a JVM of root's.
     */
    @Test
    void anotherUsersJvmIsAPlainFailure() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/runuser")),
                "needs root and runuser, to run the command as another user");
        Jdk jdk = Jdk.selected().get(0);
        try (SteppedJvm target = SteppedJvm.start(AttachIT.target(jdk))) {
            List<String> command = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", "nobody", "--"));
            command.addAll(javaCommand(jdk, "report", Long.toString(target.pid())));
            // No perf data, which would leave a /tmp/hsperfdata_nobody directory behind.
            command.add(command.indexOf("-jar"), "-XX:-UsePerfData");
            Cli run = run(command);
            assumeTrue(!run.err().contains("Unable to access jarfile") && !run.err().contains("Permission denied"),
                    "nobody cannot read the agent jar here\n" + run.describe());
            assertEquals(1, run.status(), run.describe());
            assertEquals("map-retention: cannot attach to " + target.pid() + ": Operation not permitted"
                    + " (it runs as user root, this command as nobody: run it as root)\n", run.err(), run.describe());
        }
    }

    /** The AGENT column of the target's row in {@code list}'s output. */
    private static String agentColumn(Cli list, String pid) {
        assertEquals(0, list.status(), list.describe());
        List<String> lines = list.out().lines().toList();
        assertTrue(lines.get(0).matches("PID +AGENT +MAIN CLASS"), list.describe());
        for (String line : lines) {
            String[] columns = line.trim().split(" +");
            if (columns[0].equals(pid)) {
                assertEquals(AttachTarget.class.getName(), columns[2], list.describe());
                return columns[1];
            }
        }
        throw new AssertionError("no row for " + pid + "\n" + list.describe());
    }

    record Cli(int status, String out, String err, List<String> command) {
        String describe() {
            return "command: " + String.join(" ", command) + "\nexit " + status + "\n--- stdout ---\n" + out
                    + "--- stderr ---\n" + err;
        }
    }

    static List<String> javaCommand(Jdk jdk, String... args) {
        List<String> command = new ArrayList<>(List.of(jdk.java().toString(), "-jar", ForkedJvm.agentJar().toString()));
        command.addAll(List.of(args));
        return command;
    }

    static Cli java(Jdk jdk, String... args) throws IOException, InterruptedException {
        return run(javaCommand(jdk, args));
    }

    /** {@code java -jar JAR args...} on this JDK, with another agent jar than the built one. */
    static Cli javaJar(Jdk jdk, Path jar, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(jdk.java().toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Cli run(List<String> command) throws IOException, InterruptedException {
        Path out = Scratch.newFile("cli", ".out");
        Path err = Scratch.newFile("cli", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                ForkedJvm.stop(process);
                throw new AssertionError("did not end within 2 minutes: " + command);
            }
            ForkedJvm.assertLeftNothingInTmp(process);
            return new Cli(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), command);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
