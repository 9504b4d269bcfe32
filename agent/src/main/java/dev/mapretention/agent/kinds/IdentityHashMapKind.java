package dev.mapretention.agent.kinds;

import dev.mapretention.agent.boot.MapFields;
import dev.mapretention.agent.boot.MapKinds;

import java.util.IdentityHashMap;
import java.util.List;

import static dev.mapretention.agent.kinds.Hook.Argument.intField;
import static dev.mapretention.agent.kinds.Hook.Argument.map;
import static dev.mapretention.agent.kinds.Hook.Argument.tableField;

/**
 * {@code java.util.IdentityHashMap}: keys and values interleaved in one {@code Object[]}, so its
 * capacity is the number of key slots, half the table's length. Hooks at the returns of
 * {@code init} (every constructor allocates through it) and {@code resize}, at the start of
 * {@code closeDeletion} (which {@code remove} and {@code removeMapping} call once they removed an
 * entry) and of {@code clear}; an iterator's removals are found by the scanner. A copy,
 * {@code new IdentityHashMap<>(map)}, is sized for {@code (1 + size) * 1.1} entries.
 */
final class IdentityHashMapKind extends MapKind {

    private static final int MINIMUM_CAPACITY = 4;
    private static final int MAXIMUM_CAPACITY = 1 << 29;
    private static final String TABLE = "[Ljava/lang/Object;";
    private static final String HOOKS = "IdentityHashMapHooks";

    @Override
    public int id() {
        return MapKinds.IDENTITY_HASH_MAP;
    }

    @Override
    public Class<?> mapClass() {
        return IdentityHashMap.class;
    }

    /** None: an IdentityHashMap keeps only its size, so a census reads every one's table. */
    @Override
    public String thresholdField() {
        return null;
    }

    @Override
    public String loadFactorField() {
        return null;
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.atReturn("init", "(I)V", HOOKS, "sized", map(), intField("size"), tableField("table", TABLE)),
                Hook.atReturn("resize", "(I)Z", HOOKS, "sized", map(), intField("size"), tableField("table", TABLE)),
                // remove and removeMapping both call closeDeletion after a removal: hooking it
                // leaves remove's own code, which C2 inlines into hot callers, untouched.
                Hook.atEntry("closeDeletion", "(I)V", HOOKS, "removed", map(), intField("size"),
                        tableField("table", TABLE)),
                Hook.atEntry("clear", "()V", HOOKS, "clearing", map(), intField("size"), tableField("table", TABLE)));
    }

    @Override
    protected MapFields lookUpFields() throws ReflectiveOperationException {
        return MapFields.lookUp(IdentityHashMap.class, "table", "size");
    }

    @Override
    public int capacity(Object map) {
        return fields().tableLength(map) >>> 1;
    }

    @Override
    protected int tableLength(int capacity) {
        return 2 * capacity;
    }

    @Override
    protected int copyCapacity(int size, String container) {
        // IdentityHashMap(Map) is this((int) ((1 + size) * 1.1)); putAll then needs no resize.
        return capacityFor((int) ((1 + (long) size) * 1.1));
    }

    /** IdentityHashMap's own {@code capacity(expectedMaxSize)}. */
    static int capacityFor(int expectedMaxSize) {
        return expectedMaxSize > MAXIMUM_CAPACITY / 3 ? MAXIMUM_CAPACITY
                : expectedMaxSize <= 2 * MINIMUM_CAPACITY / 3 ? MINIMUM_CAPACITY
                : Integer.highestOneBit(expectedMaxSize + (expectedMaxSize << 1));
    }

    @Override
    public String sizedExpression(String container, int capacity) {
        // IdentityHashMap(n) takes the expected maximum size and gives it highestOneBit(3n) key
        // slots: the largest n that gives this capacity.
        return container.equals("IdentityHashMap") ? "new IdentityHashMap<>(" + (2L * capacity - 1) / 3 + ")"
                : super.sizedExpression(container, capacity);
    }

    @Override
    public String freshExpression(String container) {
        return container.equals("IdentityHashMap") ? "map = new IdentityHashMap<>()" : plainNew(container);
    }

    @Override
    public String copyExpression(String container) {
        return container.equals("IdentityHashMap") ? "map = new IdentityHashMap<>(map)"
                : "a new " + container + " holding the old one's entries";
    }
}
