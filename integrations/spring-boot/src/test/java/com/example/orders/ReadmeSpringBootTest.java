package com.example.orders;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's Spring Boot section is this service's code: its Java block is {@code OrdersApplication},
 * its properties are in {@code application.properties}, and the dependency the Micrometer section
 * tells users to add is the one this pom has.
 */
class ReadmeSpringBootTest {

    private static final Pattern BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theJavaBlockIsOrdersApplication() throws IOException {
        List<String> java = blocks(section("### Spring Boot"), "java");
        assertEquals(1, java.size(), java.toString());
        assertEquals(read("src/main/java/com/example/orders/OrdersApplication.java"), java.get(0));
    }

    @Test
    void thePropertiesAreTheServicesOwn() throws IOException {
        String properties = read("src/main/resources/application.properties");
        for (String block : blocks(section("### Spring Boot"), "properties")) {
            for (String line : block.strip().split("\n")) {
                assertTrue(properties.lines().anyMatch(line::equals), line);
            }
        }
    }

    @Test
    void theDependencyToAddIsTheOneThisServiceHas() throws IOException {
        List<String> xml = blocks(section("### Micrometer"), "xml");
        assertEquals(1, xml.size(), xml.toString());
        assertTrue(squeeze(read("pom.xml")).contains(squeeze(xml.get(0))), xml.get(0));
    }

    private static String section(String heading) throws IOException {
        String readme = read("../../README.md");
        int start = readme.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README has no " + heading);
        int end = readme.indexOf("\n#", start + heading.length() + 2);
        while (end >= 0 && insideBlock(readme, end)) {
            end = readme.indexOf("\n#", end + 2);
        }
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** A "\n#" inside a fenced block (a shell comment, a Prometheus HELP line) is no heading. */
    private static boolean insideBlock(String text, int at) {
        int fences = 0;
        for (int i = text.indexOf("```"); i >= 0 && i < at; i = text.indexOf("```", i + 3)) {
            fences++;
        }
        return fences % 2 == 1;
    }

    private static List<String> blocks(String text, String language) {
        List<String> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(language)) {
                blocks.add(m.group(2));
            }
        }
        return blocks;
    }

    private static String squeeze(String text) {
        return text.replaceAll("\\s+", "");
    }

    private static String read(String relative) throws IOException {
        return Files.readString(Path.of(relative));
    }
}
