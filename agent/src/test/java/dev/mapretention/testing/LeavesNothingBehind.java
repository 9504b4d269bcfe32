package dev.mapretention.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fails a test class that leaves something behind once its tests are done: a process it started
 * that still runs, a file in the {@link Scratch} directory (its own temporary files and those of
 * the JVMs it forked, which run there with it as their {@code java.io.tmpdir}), or an
 * {@code .attach_pid} file that the attach API left in the working directory. Whatever it finds is
 * removed, so that the next class is judged on its own. It looks only at this test JVM's own
 * processes and directories, never at /tmp as a whole, which other builds on the machine share.
 *
 * <p>Registered for every test class: {@code junit-platform.properties} turns on JUnit's
 * extension auto-detection, and {@code META-INF/services} names this class.
 */
public final class LeavesNothingBehind implements BeforeAllCallback, AfterAllCallback {

    /** How long the processes a class started may take to end after its last test. */
    private static final long PROCESS_GRACE_SECONDS = 15;

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeavesNothingBehind.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put("processes", ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet()));
        store.put("attachFiles", attachFiles());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) throws IOException, InterruptedException {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        List<String> left = new ArrayList<>();
        left.addAll(processesStillRunning(store.getOrDefault("processes", Set.class, Set.of())));
        left.addAll(scratchFiles());
        Set<Path> attachFilesBefore = store.getOrDefault("attachFiles", Set.class, Set.of());
        for (Path file : attachFiles()) {
            if (!attachFilesBefore.contains(file)) {
                left.add("file " + file);
                Files.deleteIfExists(file);
            }
        }
        if (!left.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + " left behind (now removed):\n  "
                    + String.join("\n  ", left));
        }
    }

    /** The processes started since the class began that have not ended within the grace; they are killed. */
    private static List<String> processesStillRunning(Set<Long> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROCESS_GRACE_SECONDS);
        List<ProcessHandle> running;
        do {
            running = ProcessHandle.current().descendants()
                    .filter(p -> p.isAlive() && !before.contains(p.pid()))
                    .collect(Collectors.toList());
            if (running.isEmpty()) {
                return List.of();
            }
            Thread.sleep(100);
        } while (System.nanoTime() - deadline < 0);
        List<String> left = new ArrayList<>();
        for (ProcessHandle process : running) {
            left.add("process " + process.pid() + " (" + process.info().commandLine().orElse("command unknown") + ")");
            process.destroyForcibly();
        }
        return left;
    }

    /** Everything in the scratch directory, which is then deleted. */
    private static List<String> scratchFiles() throws IOException {
        Path dir = Scratch.path();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> inside;
        try (Stream<Path> walk = Files.walk(dir)) {
            inside = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        }
        List<String> left = new ArrayList<>();
        for (Path path : inside) {
            if (!path.equals(dir)) {
                left.add((Files.isDirectory(path) ? "directory " : "file ") + path);
            }
            Files.deleteIfExists(path);
        }
        Collections.reverse(left);
        return left;
    }

    /** The attach API's trigger files in the working directory. */
    private static Set<Path> attachFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("").toAbsolutePath())) {
            return files.filter(f -> f.getFileName().toString().startsWith(".attach_pid")).collect(Collectors.toSet());
        }
    }
}
