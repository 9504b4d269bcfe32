package dev.mapretention.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.mapretention.agent.AgentRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One JVM as {@code list} shows it: whether the agent runs there ({@code yes}, {@code no}), or
 * {@code ?} and a short reason, never an exception's text. Each JVM is asked on a thread of its
 * own and waited for until a common deadline: a JVM that does not answer (busy, hung, its attach
 * listener taken) holds nothing up, and its thread, a daemon, is left behind.
 *
 * <p>A stopped process (SIGSTOP, or a debugger's stop) is not asked at all: to start a JVM's
 * attach listener the attach API sends it SIGQUIT, which would wait until the process resumes
 * and then, the attach API having given up, make it print a thread dump.
 */
final class ListedJvm {

    /** How long {@code list} waits for all the answers together. */
    static final Duration ANSWER_LIMIT = Duration.ofSeconds(2);

    /**
     * The attach API's own wait for a JVM to start its attach listener (10 s by default), cut so
     * that it gives up, and deletes the trigger file it made in that JVM's working directory,
     * before {@code list} stops waiting: its polls (0.1, 0.3, 0.6, 1.0, 1.5 s) end at 1.5 s.
     */
    static final long ATTACH_TIMEOUT_MILLIS = 1400;

    static final String STOPPED = "stopped by SIGSTOP or a debugger: not asked";
    static final String NO_ANSWER = "no answer within " + ANSWER_LIMIT.toSeconds() + " s";

    /** The AGENT column, and why when it is {@code ?} (empty otherwise). */
    record Answer(String agent, String reason) {
        static final Answer LOADED = new Answer("yes", "");
        static final Answer NOT_LOADED = new Answer("no", "");

        static Answer unknown(String reason) {
            return new Answer("?", reason);
        }

        boolean known() {
            return reason.isEmpty();
        }
    }

    private ListedJvm() {
    }

    /** Starts asking the JVM, on a daemon thread of its own. */
    static Future<Answer> ask(VirtualMachineDescriptor vm) {
        FutureTask<Answer> task = new FutureTask<>(() -> answer(vm));
        Thread thread = new Thread(task, "map-retention-list-" + vm.id());
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    /** The JVM's answer by the deadline ({@link System#nanoTime()}); null when the process has ended. */
    static Answer await(Future<Answer> pending, long pid, long deadlineNanos) {
        Answer answer;
        try {
            answer = pending.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer = Answer.unknown(stopped(pid) ? STOPPED : NO_ANSWER);
        } catch (ExecutionException e) {
            answer = Answer.unknown("could not be asked");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = Answer.unknown("not asked: interrupted");
        }
        return answer.known() || alive(pid) ? answer : null;
    }

    private static Answer answer(VirtualMachineDescriptor listed) {
        long pid = Long.parseLong(listed.id());
        if (stopped(pid)) {
            return Answer.unknown(STOPPED);
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(listed);
        } catch (AttachNotSupportedException e) {
            // The attach API's own timeout says "doesn't respond within"; anything else is a refusal.
            return Answer.unknown(String.valueOf(e.getMessage()).contains("respond") ? NO_ANSWER : "does not allow attach");
        } catch (IOException e) {
            return Answer.unknown("cannot attach" + otherUser(pid));
        }
        try {
            return vm.getSystemProperties().getProperty(AgentRuntime.LOADED_PROPERTY) == null
                    ? Answer.NOT_LOADED : Answer.LOADED;
        } catch (IOException e) {
            return Answer.unknown("attached, but it did not answer");
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the connection is gone either way
            }
        }
    }

    /**
     * True when {@code /proc/PID/stat} says the process is stopped: state {@code T} (a stop
     * signal) or {@code t} (stopped by a tracer). The state follows the command name, which is in
     * parentheses and may itself hold any character, so it is read after the last ')'.
     */
    static boolean stopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && (stat.charAt(end + 2) == 'T' || stat.charAt(end + 2) == 't');
        } catch (IOException | RuntimeException notLinuxOrGone) {
            return false;
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String otherUser(long pid) {
        Optional<String> owner = ProcessHandle.of(pid).flatMap(p -> p.info().user());
        String me = System.getProperty("user.name");
        return owner.isPresent() && me != null && !owner.get().equals(me) ? ": it runs as user " + owner.get() : "";
    }
}
