package dev.mapretention.agent.kinds;

import dev.mapretention.agent.boot.MapFields;
import dev.mapretention.agent.boot.MapKinds;

import java.util.HashMap;
import java.util.List;

import static dev.mapretention.agent.kinds.Hook.Argument.intField;
import static dev.mapretention.agent.kinds.Hook.Argument.map;
import static dev.mapretention.agent.kinds.Hook.Argument.returnedTable;
import static dev.mapretention.agent.kinds.Hook.Argument.tableField;

/**
 * {@code java.util.HashMap}, and what is built on it: LinkedHashMap, and the maps inside HashSet
 * and LinkedHashSet. Hooks at the returns of {@code resize} and {@code removeNode} (every removal
 * goes through it: remove, iterator remove, removeIf, compute returning null) and at the start of
 * {@code clear}. A copy is {@code new HashMap<>(map)}, sized by this JDK's rule ({@link CopyCapacity}).
 */
final class HashMapKind extends MapKind {

    private static final String NODES = "[Ljava/util/HashMap$Node;";
    private static final String HOOKS = "HashMapHooks";

    @Override
    public int id() {
        return MapKinds.HASH_MAP;
    }

    @Override
    public Class<?> mapClass() {
        return HashMap.class;
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.atReturn("resize", "()" + NODES, HOOKS, "resized", returnedTable(), map(), intField("size")),
                Hook.atReturn("removeNode", "(ILjava/lang/Object;Ljava/lang/Object;ZZ)Ljava/util/HashMap$Node;",
                        HOOKS, "removed", map(), intField("size"), tableField("table", NODES)),
                Hook.atEntry("clear", "()V", HOOKS, "clearing", map(), intField("size"), tableField("table", NODES)));
    }

    @Override
    protected MapFields lookUpFields() throws ReflectiveOperationException {
        return MapFields.lookUp(HashMap.class, "table", "size");
    }

    @Override
    protected int copyCapacity(int size, String container) {
        return CopyCapacity.of(size);
    }

    @Override
    public String freshExpression(String container) {
        switch (container) {
            case "HashMap": return "map = new HashMap<>()";
            case "LinkedHashMap": return "map = new LinkedHashMap<>()";
            case "HashSet": return "set = new HashSet<>()";
            case "LinkedHashSet": return "set = new LinkedHashSet<>()";
            default: return plainNew(container);
        }
    }

    @Override
    public String copyExpression(String container) {
        switch (container) {
            case "HashMap": return "map = new HashMap<>(map)";
            case "LinkedHashMap": return "map = new LinkedHashMap<>(map)";
            case "HashSet": return "set = new HashSet<>(set)";
            case "LinkedHashSet": return "set = new LinkedHashSet<>(set)";
            default: return "a new " + container + " holding the old one's entries";
        }
    }

    @Override
    public String sizedExpression(String container, int capacity) {
        // HashMap(n) allocates a table of n slots, n rounded up to a power of two (a capacity is one).
        switch (container) {
            case "HashMap": return "new HashMap<>(" + capacity + ")";
            case "LinkedHashMap": return "new LinkedHashMap<>(" + capacity + ")";
            case "HashSet": return "new HashSet<>(" + capacity + ")";
            case "LinkedHashSet": return "new LinkedHashSet<>(" + capacity + ")";
            default: return super.sizedExpression(container, capacity);
        }
    }

    @Override
    public String whyItStays(String container) {
        return "a HashMap never shrinks";
    }
}
