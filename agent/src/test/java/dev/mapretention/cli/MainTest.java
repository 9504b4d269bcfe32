package dev.mapretention.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command line's answers that need no target JVM: help, every usage error (exit status 2,
 * one line and the usage on standard error), and the processes it must refuse to attach to
 * (exit status 1), without ever harming them.
 */
class MainTest {

    @ParameterizedTest
    @CsvSource({"help", "--help", "-h"})
    void helpPrintsTheUsageOnStandardOutput(String word) {
        CliRun run = CliRun.run(null, word);
        assertEquals(0, run.status(), run.describe());
        assertTrue(run.out().startsWith("usage: java -jar map-retention-agent.jar COMMAND ..."), run.describe());
        for (String line : new String[] {"  list ", "  attach PID [OPTIONS] ", "  report PID [--json] ",
                "  census PID [OPTIONS] [--json] ", "  detach PID ", "  version ", "  help "}) {
            assertTrue(run.out().contains(line), line + "\n" + run.describe());
        }
        assertTrue(run.out().contains("minCapacity, sparseFill, grace, scanInterval, report, log"), run.describe());
        assertEquals("", run.err(), run.describe());
    }

    /**
     * The version line is the jar manifest's; run from the build's class directories, as here,
     * there is none, which it says (CommandLineIT checks the jar's).
     */
    @ParameterizedTest
    @CsvSource({"version", "--version"})
    void versionNamesTheAgentAndTheJavaRunningIt(String word) {
        CliRun run = CliRun.run(null, word);
        assertEquals(0, run.status(), run.describe());
        assertEquals(List.of("map-retention (version unknown)", "Java " + System.getProperty("java.version")
                + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home")),
                run.out().lines().collect(Collectors.toList()), run.describe());
        assertEquals("", run.err(), run.describe());
    }

    @Test
    void noCommandIsAUsageError() {
        assertUsageError(CliRun.run(null), "map-retention: no command given");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertUsageError(CliRun.run(null, "frobnicate", "12"), "map-retention: unknown command 'frobnicate'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "attach                     | attach PID [OPTIONS]: needs the pid of a running JVM (see list)",
        "attach abc                 | attach PID [OPTIONS]: needs a process id, a positive whole number as list shows it; got 'abc'",
        "attach -5                  | got '-5'",
        "attach 0                   | got '0'",
        "attach 4242 grace=1s log=debug | does not take 'log=debug': give the options as one argument, key=value pairs joined by commas",
        "attach 4242 bogus=1        | map-retention: unknown option 'bogus': known options are minCapacity, sparseFill, grace",
        "attach 4242 grace=soon     | map-retention: bad option grace=soon: expected a duration such as 0s, 500ms, 30s, 5m or 1h",
        "attach 4242 grace=1s,,log=info | map-retention: empty option in 'grace=1s,,log=info'",
        "attach 4242 --force        | attach PID [OPTIONS]: does not know '--force'",
        "report                     | report PID [--json]: needs the pid of a running JVM (see list)",
        "report --json              | report PID [--json]: needs the pid of a running JVM (see list)",
        "report 4242 --xml          | report PID [--json]: does not know '--xml'",
        "report 4242 4243           | report PID [--json]: does not take '4243'",
        "census                     | census PID [OPTIONS] [--json]: needs the pid of a running JVM (see list)",
        "census --json              | census PID [OPTIONS] [--json]: needs the pid of a running JVM (see list)",
        "census x1 --json           | census PID [OPTIONS] [--json]: needs a process id, a positive whole number as list shows it; got 'x1'",
        "census 4242 --xml          | census PID [OPTIONS] [--json]: does not know '--xml'",
        "census 4242 grace=1s log=debug | census PID [OPTIONS] [--json]: does not take 'log=debug'",
        "census 4242 censusBudget=1ms | map-retention: bad option censusBudget=1ms: expected a duration",
        "detach                     | detach PID: needs the pid of a running JVM (see list)",
        "detach x1                  | detach PID: needs a process id, a positive whole number as list shows it; got 'x1'",
        "detach 4242 now            | detach PID: does not take 'now'",
        "list all                   | list: does not take 'all'",
        "help attach                | help: does not take 'attach'",
        "version 17                 | version: does not take '17'",
        "--version --json           | version: does not know '--json'",
    })
    void badArgumentsAreUsageErrors(String commandLine, String expected) {
        CliRun run = CliRun.run(null, (Object[]) commandLine.trim().split(" +"));
        assertUsageError(run, null);
        assertTrue(run.errorLine().contains(expected.trim()), "expected '" + expected.trim() + "'\n" + run.describe());
    }

    @Test
    void refusesItsOwnJvm() {
        long self = ProcessHandle.current().pid();
        CliRun run = CliRun.run(null, "report", self);
        assertFailed(run, "map-retention: cannot attach to " + self + ": that is this command's own JVM");
    }

    @Test
    void aPidOfNoProcessFails() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(30, TimeUnit.SECONDS));
        for (String command : new String[] {"attach", "report", "detach", "census"}) {
            CliRun run = CliRun.run(null, command, gone.pid());
            assertFailed(run, "map-retention: no process with pid " + gone.pid());
        }
    }

    /**
     * To start a JVM's attach listener the attach API sends SIGQUIT, and JDK 17's sends it to any
     * pid: a process that does not handle SIGQUIT (sleep, started from Java, has the default
     * action) would be killed. The command must refuse it and leave it running.
     */
    @Test
    void refusesANonJavaProcessAndLeavesItRunning() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc");
        // SIGQUIT's default action, even where this test's JVM was started with it ignored.
        Process sleep = new ProcessBuilder("env", "--default-signal=QUIT", "sleep", "120").start();
        try {
            awaitExec(sleep, "sleep");
            assertEquals(0, signalMask(sleep.pid(), "SigIgn:") & SIGQUIT, "precondition: sleep must not ignore SIGQUIT");
            for (String command : new String[] {"attach", "report", "detach", "census"}) {
                CliRun run = CliRun.run(null, command, sleep.pid());
                assertFalse(sleep.waitFor(500, TimeUnit.MILLISECONDS),
                        () -> "the process was killed: exit " + sleep.exitValue() + "\n" + run.describe());
                assertFailed(run, "map-retention: process " + sleep.pid() + " (");
                assertTrue(run.errorLine().endsWith(") is not a JVM this user can attach to"), run.describe());
            }
        } finally {
            sleep.destroyForcibly();
        }
    }

    private static final long SIGQUIT = 1L << (3 - 1);

    private static long signalMask(long pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseUnsignedLong(line.substring(field.length()).trim(), 16);
            }
        }
        throw new AssertionError("no " + field + " in /proc/" + pid + "/status");
    }

    /** Waits until {@code env} has become the command, so that its signal dispositions are the command's. */
    private static void awaitExec(Process process, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!process.info().command().orElse("").endsWith("/" + name)) {
            assertTrue(process.isAlive() && System.nanoTime() < deadline, "did not start " + name);
            Thread.sleep(10);
        }
    }

    static void assertUsageError(CliRun run, String firstLine) {
        assertEquals(2, run.status(), run.describe());
        if (firstLine != null) {
            assertEquals(firstLine, run.errorLine(), run.describe());
        }
        assertTrue(run.errorLine().startsWith("map-retention: "), run.describe());
        assertTrue(run.err().contains("\nusage: java -jar map-retention-agent.jar COMMAND ..."), run.describe());
        assertNoStackTrace(run);
        assertEquals("", run.out(), run.describe());
    }

    static void assertFailed(CliRun run, String firstLineStart) {
        assertEquals(1, run.status(), run.describe());
        assertTrue(run.errorLine().startsWith(firstLineStart), "expected '" + firstLineStart + "...'\n" + run.describe());
        assertEquals(1, run.err().lines().count(), "one line on standard error\n" + run.describe());
        assertNoStackTrace(run);
    }

    static void assertNoStackTrace(CliRun run) {
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.describe());
    }
}
