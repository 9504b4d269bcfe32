package dev.mapretention.testing;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Java code blocks of the repository's README.md ({@code ```java} fences), and their
 * compilation with the JDK's compiler. A block that is only a fragment (not a whole compilation
 * unit) is marked so by the line {@code <!-- fragment -->} right before its fence, and is
 * skipped; every other block is a whole source file, compiled on its own.
 */
public final class ReadmeJava {

    /** The marker line before a fence whose block is not a whole source file. */
    public static final String FRAGMENT = "<!-- fragment -->";

    /**
     * The start of a marker for a whole file that needs another module's class path (Spring Boot's)
     * and is compiled, and compared with README, by that module's own test: e.g.
     * {@code <!-- compiled in integrations/spring-boot -->}. Such a block is not compiled here.
     */
    public static final String COMPILED_ELSEWHERE = "<!-- compiled in ";

    private static final Pattern TYPE = Pattern.compile("^public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|enum|record)\\s+(\\w+)",
            Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    /** One block: where it starts in README (1-based line of its fence) and its text. */
    public record Block(int line, String source, boolean fragment) {

        /** The public type it declares ({@code Cache}), which names its file. */
        public String typeName() {
            Matcher type = TYPE.matcher(source);
            if (!type.find()) {
                throw new AssertionError("README line " + line + ": a whole Java block declares a public type; "
                        + "mark a fragment with " + FRAGMENT + " on the line before its fence\n" + source);
            }
            return type.group(1);
        }

        /** Its package, or "" for the unnamed package. */
        public String packageName() {
            Matcher pkg = PACKAGE.matcher(source);
            return pkg.find() ? pkg.group(1) : "";
        }

        /** The binary name of its public type: {@code com.example.OrderService}. */
        public String className() {
            return packageName().isEmpty() ? typeName() : packageName() + "." + typeName();
        }
    }

    private ReadmeJava() {
    }

    /** README.md at the repository root (the module's parent directory). */
    public static Path readme() {
        return Path.of("..", "README.md").toAbsolutePath().normalize();
    }

    /** Every {@code ```java} block of README, in order. */
    public static List<Block> blocks() throws IOException {
        List<String> lines = Files.readAllLines(readme(), StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            boolean fragment = i > 0 && (lines.get(i - 1).strip().equals(FRAGMENT)
                    || lines.get(i - 1).strip().startsWith(COMPILED_ELSEWHERE));
            int start = i;
            StringBuilder source = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                source.append(lines.get(i)).append('\n');
            }
            if (i == lines.size()) {
                throw new AssertionError("README line " + (start + 1) + ": a ```java block that is never closed");
            }
            blocks.add(new Block(start + 1, source.toString(), fragment));
        }
        return blocks;
    }

    /**
     * Compiles the block as its own source file into {@code classes}, against {@code classPath};
     * returns the compiler's errors and warnings, one string each (none: it compiled cleanly).
     */
    public static List<String> compile(Block block, Path classes, List<Path> classPath) throws IOException {
        Path sources = Files.createDirectories(classes.resolve("src").resolve(block.packageName().replace('.', '/')));
        Path file = Files.writeString(sources.resolve(block.typeName() + ".java"), block.source(), StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = new ArrayList<>(List.of("-d", classes.toString(), "-Xlint:all", "-g"));
            if (!classPath.isEmpty()) {
                options.add("-cp");
                options.add(classPath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
            }
            javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(file)).call();
        }
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.NOTE) {
                problems.add("README line " + (block.line() + d.getLineNumber()) + ": " + d.getKind() + ": "
                        + d.getMessage(Locale.ROOT));
            }
        }
        return problems;
    }
}
