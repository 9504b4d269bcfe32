package dev.mapretention.agent.report;

import dev.mapretention.agent.AgentLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the JSON report file atomically: the report goes to a temporary file beside it, which
 * then replaces it in one rename, so a reader never sees half a report. A failure is said once,
 * not at every scan, and again only after a write has worked in between.
 */
public final class ReportFile {

    private final Path path;
    private final AgentLog log;
    private boolean failing;

    public ReportFile(Path path, AgentLog log) {
        this.path = path;
        this.log = log;
    }

    Path path() {
        return path;
    }

    public synchronized void write(String json) {
        Path temp = null;
        try {
            Path dir = path.toAbsolutePath().getParent();
            temp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            if (failing) {
                log.info("report " + path + " written again");
                failing = false;
            }
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                log.error("cannot write report " + path + ": " + e
                        + " (will keep trying at every scan without saying so again)");
                failing = true;
            }
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the temporary file is all there is to lose
                }
            }
        }
    }
}
