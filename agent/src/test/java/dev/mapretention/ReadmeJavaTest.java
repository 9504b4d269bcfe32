package dev.mapretention;

import dev.mapretention.testing.ReadmeJava;
import dev.mapretention.testing.ReadmeJava.Block;
import dev.mapretention.testing.Scratch;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every Java example in README compiles as printed, each as its own source file, without a
 * warning ({@code -Xlint:all}), against the agent and its test class path. Only blocks marked
 * {@value ReadmeJava#FRAGMENT} are left out.
 */
class ReadmeJavaTest {

    @Test
    void everyWholeJavaBlockCompilesAsPrinted() throws Exception {
        List<Block> whole = ReadmeJava.blocks().stream().filter(b -> !b.fragment()).collect(Collectors.toList());
        assertFalse(whole.isEmpty(), "no whole Java block in " + ReadmeJava.readme());
        Path classes = Scratch.dir().resolve("readme-java");
        try {
            for (Block block : whole) {
                List<String> problems = ReadmeJava.compile(block, classes.resolve("line-" + block.line()), classPath());
                assertEquals(List.of(), problems, "README line " + block.line() + ":\n" + block.source());
            }
        } finally {
            Scratch.delete(classes);
        }
    }

    private static List<Path> classPath() {
        List<Path> entries = new ArrayList<>();
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : path.split(File.pathSeparator)) {
            entries.add(Path.of(entry));
        }
        return entries;
    }
}
