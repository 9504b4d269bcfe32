package dev.mapretention.agent.kinds;

import dev.mapretention.agent.boot.MapFields;
import dev.mapretention.agent.boot.MapKinds;

import java.util.List;
import java.util.WeakHashMap;

import static dev.mapretention.agent.kinds.Hook.Argument.intField;
import static dev.mapretention.agent.kinds.Hook.Argument.map;
import static dev.mapretention.agent.kinds.Hook.Argument.returnedTable;
import static dev.mapretention.agent.kinds.Hook.Argument.tableField;

/**
 * {@code java.util.WeakHashMap}: its size drops when keys are collected, but only once the map
 * is next touched (its {@code size()} expunges, and so changes the map: never called here), and
 * its table never shrinks. Hooks at the return of {@code newTable} (constructors and
 * {@code resize} allocate through it), of {@code remove(Object)} and {@code removeMapping}, and
 * at the start of {@code clear}. The scanner counts the entries whose keys are still there, so a
 * map whose keys were all collected is seen drained even if nothing touches it again.
 */
final class WeakHashMapKind extends MapKind {

    private static final int MAXIMUM_CAPACITY = 1 << 30;
    private static final boolean CEILING_RULE = Runtime.version().feature() >= 19;
    private static final String ENTRIES = "[Ljava/util/WeakHashMap$Entry;";
    private static final String HOOKS = "WeakHashMapHooks";

    @Override
    public int id() {
        return MapKinds.WEAK_HASH_MAP;
    }

    @Override
    public Class<?> mapClass() {
        return WeakHashMap.class;
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.atReturn("newTable", "(I)" + ENTRIES, HOOKS, "sized", returnedTable(), map(), intField("size")),
                Hook.atReturn("remove", "(Ljava/lang/Object;)Ljava/lang/Object;", HOOKS, "removed", map(),
                        intField("size"), tableField("table", ENTRIES)),
                Hook.atReturn("removeMapping", "(Ljava/lang/Object;)Z", HOOKS, "removed", map(),
                        intField("size"), tableField("table", ENTRIES)),
                Hook.atEntry("clear", "()V", HOOKS, "clearing", map(), intField("size"), tableField("table", ENTRIES)));
    }

    @Override
    protected MapFields lookUpFields() throws ReflectiveOperationException {
        return MapFields.lookUp(WeakHashMap.class, "table", "size").withWeakEntries("next");
    }

    @Override
    public long size(Object map, long sparseLimit) {
        MapFields fields = fields();
        long upperBound = fields.size(map);
        if (upperBound < sparseLimit) {
            return upperBound;
        }
        // Stale entries still count in the size field: count the live ones, up to the limit.
        return fields.liveEntries(map, sparseLimit, (long) fields.tableLength(map) + 2 * upperBound + 16);
    }

    @Override
    protected int copyCapacity(int size, String container) {
        // WeakHashMap(Map): the initial capacity rule changed in JDK 19 (JDK-8281631), as HashMap's.
        int initial = CEILING_RULE ? Math.max((int) Math.ceil(size / 0.75d), 16)
                : Math.max((int) (size / 0.75f + 1), 16);
        int capacity = 1;
        while (capacity < initial && capacity < MAXIMUM_CAPACITY) {
            capacity <<= 1;
        }
        // put resizes when the size reaches the threshold.
        return size > 0 && size >= (int) (capacity * 0.75f) ? capacity << 1 : capacity;
    }

    @Override
    public String sizedExpression(String container, int capacity) {
        // WeakHashMap(n) allocates n slots, n rounded up to a power of two (a capacity is one).
        return container.equals("WeakHashMap") ? "new WeakHashMap<>(" + capacity + ")"
                : super.sizedExpression(container, capacity);
    }

    @Override
    public String freshExpression(String container) {
        return container.equals("WeakHashMap") ? "map = new WeakHashMap<>()" : plainNew(container);
    }

    @Override
    public String copyExpression(String container) {
        return container.equals("WeakHashMap") ? "map = new WeakHashMap<>(map)"
                : "a new " + container + " holding the old one's entries";
    }

    @Override
    public String afterDrainHint(String container) {
        return ", or rebuild it periodically (" + copyExpression(container) + ") while its keys come and go";
    }

    @Override
    public String whyItStays(String container) {
        return "its keys were collected while its table stayed, and a WeakHashMap never shrinks its table";
    }
}
