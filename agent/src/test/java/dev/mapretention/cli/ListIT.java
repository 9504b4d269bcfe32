package dev.mapretention.cli;

import dev.mapretention.scenarios.AttachTarget;
import dev.mapretention.scenarios.BusyAttachListener;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.SteppedJvm;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code list}, as {@code java -jar map-retention-agent.jar list} on Java 17 and on Java 25,
 * answers within seconds whatever the other JVMs on the machine do: beside a JVM without the
 * agent and one with it, a JVM stopped with SIGSTOP, and one whose attach listener is kept busy
 * (it runs, but answers nobody). Those two are shown with {@code ?} and a short reason; the
 * stopped one is not even signalled.
 */
class ListIT {

    /**
     * README promises an answer within 3 s. The bound asserted is looser, as the machine is
     * shared with other builds: what it catches is a list that waits on the JVMs that do not
     * answer (the attach API's own wait is 10 s, and a taken listener is waited on forever).
     */
    private static final Duration BOUND = Duration.ofSeconds(6);

    @ParameterizedTest
    @JdkSource
    void answersWithinSecondsWhenAJvmIsStoppedAndAnotherDoesNotAnswer(Jdk jdk) throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
        try (SteppedJvm plain = SteppedJvm.start(AttachIT.target(jdk));
             SteppedJvm withAgent = SteppedJvm.start(AttachIT.target(jdk).agent("grace=1s"));
             SteppedJvm stopped = SteppedJvm.start(AttachIT.target(jdk));
             SteppedJvm busy = SteppedJvm.start(busyTarget(jdk))) {
            assertEquals("hogging", busy.step("hog"), busy.describe());
            signal("STOP", stopped.pid());
            CommandLineIT.Cli list;
            long nanos;
            try {
                awaitStopped(stopped.pid());
                long start = System.nanoTime();
                list = CommandLineIT.java(jdk, "list");
                nanos = System.nanoTime() - start;
            } finally {
                signal("CONT", stopped.pid());
            }
            assertEquals(0, list.status(), list.describe());
            assertTrue(nanos < BOUND.toNanos(), "list took " + nanos / 1_000_000 + " ms\n" + list.describe());
            assertEquals("", list.err(), list.describe());
            assertFalse(list.out().contains("Exception") || list.out().contains("\tat "), list.describe());

            String target = AttachTarget.class.getName();
            assertEquals(target, row(list, plain.pid()), list.describe());
            assertEquals("no", agent(list, plain.pid()), list.describe());
            assertEquals(target, row(list, withAgent.pid()), list.describe());
            assertEquals("yes", agent(list, withAgent.pid()), list.describe());
            assertEquals(target + "  (stopped by SIGSTOP or a debugger: not asked)", row(list, stopped.pid()),
                    list.describe());
            assertEquals("?", agent(list, stopped.pid()), list.describe());
            assertEquals(BusyAttachListener.class.getName() + "  (no answer within 2 s)", row(list, busy.pid()),
                    list.describe());
            assertEquals("?", agent(list, busy.pid()), list.describe());

            // Resumed, the stopped JVM carries on, and prints no thread dump: no SIGQUIT was waiting for it.
            assertEquals("grown", stopped.step("grow afterwards 10"), stopped.describe());
            assertFalse(stopped.stdout().contains("Full thread dump"), stopped.describe());
            // Released, the busy one answers again.
            assertEquals("released", busy.step("release"), busy.describe());
            CommandLineIT.Cli again = CommandLineIT.java(jdk, "list");
            assertEquals("no", agent(again, busy.pid()), again.describe());
        }
    }

    private static ForkedJvm busyTarget(Jdk jdk) {
        ForkedJvm jvm = ForkedJvm.on(jdk).jvmArgs("-Djdk.attach.allowAttachSelf=true").main(BusyAttachListener.class);
        return jdk.feature() >= 21 ? jvm.jvmArgs("-XX:+EnableDynamicAgentLoading") : jvm;
    }

    /** The AGENT column of the process's row. */
    private static String agent(CommandLineIT.Cli list, long pid) {
        return columns(list, pid)[1];
    }

    /** The process's row after its AGENT column: the main class, and the reason when there is one. */
    private static String row(CommandLineIT.Cli list, long pid) {
        return columns(list, pid)[2];
    }

    private static String[] columns(CommandLineIT.Cli list, long pid) {
        assertTrue(list.out().startsWith("PID      AGENT  MAIN CLASS\n"), list.describe());
        for (String line : list.out().lines().toList()) {
            String[] columns = line.trim().split(" +", 3);
            if (columns[0].equals(Long.toString(pid))) {
                return columns;
            }
        }
        throw new AssertionError("no row for " + pid + "\n" + list.describe());
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + pid);
    }

    private static void awaitStopped(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ListedJvm.stopped(pid)) {
            assertTrue(System.nanoTime() < deadline, "process " + pid + " did not stop");
            Thread.sleep(10);
        }
    }
}
