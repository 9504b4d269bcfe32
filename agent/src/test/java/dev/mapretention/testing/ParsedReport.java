package dev.mapretention.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A JSON report ({@code map-retention-report/1}), parsed for assertions. */
public final class ParsedReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;

    private ParsedReport(JsonNode root) {
        this.root = root;
    }

    public static ParsedReport read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("no report file at " + file);
        }
        return parse(Files.readString(file));
    }

    public static ParsedReport parse(String json) throws IOException {
        return new ParsedReport(JSON.readTree(json));
    }

    public JsonNode root() {
        return root;
    }

    public JsonNode summary() {
        return root.get("summary");
    }

    public JsonNode agent() {
        return root.get("agent");
    }

    public List<JsonNode> findings() {
        List<JsonNode> list = new ArrayList<>();
        root.get("findings").forEach(list::add);
        return list;
    }

    /** The findings whose innermost site frame is in {@code Class.method(}. */
    public List<JsonNode> findingsAt(String classAndMethod) {
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode finding : findings()) {
            if (finding.get("site").get(0).asText().startsWith(classAndMethod + "(")) {
                list.add(finding);
            }
        }
        return list;
    }

    /** The single finding whose innermost frame is {@code Class.method}; fails otherwise. */
    public JsonNode findingAt(String classAndMethod) {
        List<JsonNode> list = findingsAt(classAndMethod);
        if (list.size() != 1) {
            throw new AssertionError("expected one finding at " + classAndMethod + ", found " + list.size()
                    + " in\n" + root.toPrettyString());
        }
        return list.get(0);
    }

    /** The report's census block; fails when there is none. */
    public JsonNode census() {
        JsonNode census = root.get("census");
        if (census == null) {
            throw new AssertionError("no census block in\n" + root.toPrettyString());
        }
        return census;
    }

    /** The findings a census made (siteKind census). */
    public List<JsonNode> censusFindings() {
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode finding : findings()) {
            if (finding.get("siteKind").asText().equals("census")) {
                list.add(finding);
            }
        }
        return list;
    }

    /**
     * The single finding that lists a HashMap-family map (java.util.HashMap, LinkedHashMap, the
     * maps inside the sets) of this capacity; fails otherwise. Maps of the other kinds, which a
     * census also finds, may share a capacity.
     */
    public JsonNode findingWithCapacity(int capacity) {
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode finding : findings()) {
            for (JsonNode map : finding.get("maps")) {
                if (map.get("capacity").asInt() == capacity && hashMapFamily(map)) {
                    list.add(finding);
                    break;
                }
            }
        }
        if (list.size() != 1) {
            throw new AssertionError("expected one finding with a map of capacity " + capacity + ", found "
                    + list.size() + " in\n" + root.toPrettyString());
        }
        return list.get(0);
    }

    private static boolean hashMapFamily(JsonNode map) {
        String type = map.get("type").asText();
        return type.equals("java.util.HashMap") || type.equals("java.util.LinkedHashMap");
    }

    /** The HashMap-family map of this capacity in the finding that lists it. */
    public JsonNode mapWithCapacity(int capacity) {
        for (JsonNode map : findingWithCapacity(capacity).get("maps")) {
            if (map.get("capacity").asInt() == capacity && hashMapFamily(map)) {
                return map;
            }
        }
        throw new AssertionError("unreachable");
    }

    @Override
    public String toString() {
        return root.toPrettyString();
    }
}
