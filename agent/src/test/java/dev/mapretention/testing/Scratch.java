package dev.mapretention.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where tests and the JVMs they start keep their temporary files: {@code target/scratch-PID} of
 * the module (PID: the test JVM's), never /tmp. Forked JVMs run in it, with it as their
 * {@code java.io.tmpdir}, so whatever they leave behind lands here too, and
 * {@link LeavesNothingBehind} fails the test class that left it.
 */
public final class Scratch {

    private static final Path DIR = Path.of("target", "scratch-" + ProcessHandle.current().pid()).toAbsolutePath();

    private Scratch() {
    }

    /** The directory, created when missing. */
    public static Path dir() {
        try {
            return Files.createDirectories(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the scratch directory " + DIR, e);
        }
    }

    /** A new empty file in the directory; whoever creates it deletes it. */
    public static Path newFile(String prefix, String suffix) throws IOException {
        return Files.createTempFile(dir(), prefix, suffix);
    }

    /** Deletes a file, or a directory and everything in it; nothing when it does not exist. */
    public static void delete(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The directory, without creating it. */
    static Path path() {
        return DIR;
    }
}
