package dev.mapretention.integrations;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files this module ships (beside its pom), and the test class path's jars for forked JVMs. */
final class Shipped {

    /** One sample of Prometheus's text format: name, labels (optional), value. */
    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);

    private Shipped() {
    }

    /** A shipped file, such as {@code prometheus/map-retention.yaml}; fails if it is missing. */
    static Path file(String relative) {
        Path path = Path.of(relative).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("no " + path + " (tests run in the integrations directory)");
        }
        return path;
    }

    /** The jars of the test class path whose file names start with one of {@code prefixes}. */
    static List<Path> jars(String... prefixes) {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> jars = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            for (String prefix : prefixes) {
                if (name.startsWith(prefix) && name.endsWith(".jar")) {
                    jars.add(p);
                    break;
                }
            }
        }
        return jars;
    }

    /** The value of the one sample named {@code name} in a Prometheus scrape; fails if absent. */
    static double sample(String scrape, String name) {
        Matcher m = SAMPLE.matcher(scrape);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return Double.parseDouble(m.group(3));
            }
        }
        throw new AssertionError("no sample " + name + " in\n" + scrape);
    }
}
