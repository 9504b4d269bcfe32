package dev.mapretention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import dev.mapretention.testing.ReadmeJava;
import dev.mapretention.testing.ReadmeJava.Block;
import dev.mapretention.testing.Scratch;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's first example runs as printed, on Java 17 and on Java 25: its {@code Cache} program,
 * compiled from README's block and run with {@code -javaagent} and the options of README's
 * command line, prints on standard error the lines README shows and writes the report README
 * shows. Left aside are only what changes from run to run: the start-up time and version in the
 * first line, and the report's time stamp, pid, Java version, uptime, report path and
 * {@code sparseForMillis}.
 */
class ReadmeExampleIT {

    private static final Pattern COMMAND = Pattern.compile("`java -javaagent:map-retention-agent\\.jar=(\\S+) Cache`");
    private static final Pattern STARTED = Pattern.compile("map-retention \\S+ started in \\d+ ms$");

    @ParameterizedTest
    @JdkSource
    void theCacheExamplePrintsAndReportsWhatReadmeShows(Jdk jdk) throws Exception {
        String readme = Files.readString(ReadmeJava.readme(), StandardCharsets.UTF_8);
        Block cache = ReadmeJava.blocks().stream().filter(b -> b.className().equals("Cache")).findFirst()
                .orElseThrow(() -> new AssertionError("no Cache example in README"));
        Matcher command = COMMAND.matcher(readme);
        assertTrue(command.find(), "README's command line for Cache: " + COMMAND);
        String shownStderr = fenced(readme, command.end(), "```");
        String shownReport = fenced(readme, command.end(), "```json");

        Path classes = Scratch.dir().resolve("readme-cache");
        Path report = Scratch.dir().resolve("cache.json");
        try {
            assertEquals(List.of(), ReadmeJava.compile(cache, classes, List.of()));
            // The forked JVM runs in the scratch directory, where the relative report path lands.
            ForkedJvm.Result result = ForkedJvm.on(jdk).classPath(classes).agent(command.group(1)).main("Cache").run();
            assertEquals(0, result.exitCode(), result.describe());
            assertEquals(normalised(shownStderr.lines().collect(Collectors.toList())), normalised(result.agentLines()),
                    result.describe());
            assertEquals(stable(new ObjectMapper().readTree(shownReport)), stable(ParsedReport.read(report).root()));
        } finally {
            Scratch.delete(classes);
            Files.deleteIfExists(report);
        }
    }

    /** The text of the first fence opened by {@code opening} after {@code from}. */
    private static String fenced(String text, int from, String opening) {
        int start = text.indexOf("\n" + opening + "\n", from);
        assertTrue(start >= 0, "no " + opening + " block after README's Cache command");
        int body = start + opening.length() + 2;
        return text.substring(body, text.indexOf("\n```\n", body) + 1);
    }

    private static List<String> normalised(List<String> lines) {
        return lines.stream().map(l -> STARTED.matcher(l).replaceAll("map-retention VERSION started in N ms"))
                .collect(Collectors.toList());
    }

    /** The report without what differs from run to run. */
    private static JsonNode stable(JsonNode report) {
        ObjectNode copy = report.deepCopy();
        copy.remove("generatedAt");
        copy.remove("jvm");
        // The report option is shown resolved, as an absolute path, which differs from run to run.
        ((ObjectNode) copy.get("settings")).remove("report");
        for (JsonNode finding : copy.path("findings")) {
            for (JsonNode map : finding.path("maps")) {
                ((ObjectNode) map).remove("sparseForMillis");
            }
        }
        return copy;
    }
}
