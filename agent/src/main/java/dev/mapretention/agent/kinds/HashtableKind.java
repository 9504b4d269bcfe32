package dev.mapretention.agent.kinds;

import dev.mapretention.agent.boot.MapFields;
import dev.mapretention.agent.boot.MapKinds;

import java.util.Hashtable;
import java.util.List;

import static dev.mapretention.agent.kinds.Hook.Argument.intField;
import static dev.mapretention.agent.kinds.Hook.Argument.map;
import static dev.mapretention.agent.kinds.Hook.Argument.tableField;

/**
 * {@code java.util.Hashtable}: tables of {@code 2n+1} slots (11, 23, 47, ...) that
 * {@code rehash} only ever grows. Hooks at the returns of its sizing constructor (a pre-sized
 * table is allocated there) and of {@code rehash}, and at the start of {@code clear}. Not in
 * {@code remove}: a call at its returns made C2 stop inlining it into hot callers on Java 25
 * (its compiled code passed InlineSmallCode; KindInliningIT showed it), so drains by removal
 * are found by the scanner, as for ConcurrentHashMap.
 * A copy, {@code new Hashtable<>(map)}, has {@code max(2 * size, 11)} slots.
 */
final class HashtableKind extends MapKind {

    private static final String ENTRIES = "[Ljava/util/Hashtable$Entry;";
    private static final String HOOKS = "HashtableHooks";

    @Override
    public int id() {
        return MapKinds.HASHTABLE;
    }

    @Override
    public Class<?> mapClass() {
        return Hashtable.class;
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.atReturn("<init>", "(IF)V", HOOKS, "sized", map(), intField("count"), tableField("table", ENTRIES)),
                Hook.atReturn("rehash", "()V", HOOKS, "sized", map(), intField("count"), tableField("table", ENTRIES)),
                Hook.atEntry("clear", "()V", HOOKS, "clearing", map(), intField("count"), tableField("table", ENTRIES)));
    }

    @Override
    protected MapFields lookUpFields() throws ReflectiveOperationException {
        return MapFields.lookUp(Hashtable.class, "table", "count");
    }

    @Override
    protected int copyCapacity(int size, String container) {
        // Hashtable(Map) is this(Math.max(2 * size, 11), 0.75f), and never rehashes while copying.
        return (int) Math.min(Math.max(2L * size, 11), Integer.MAX_VALUE - 8);
    }

    @Override
    public String sizedExpression(String container, int capacity) {
        // Hashtable(n) allocates exactly n slots.
        return container.equals("Hashtable") ? "new Hashtable<>(" + capacity + ")"
                : super.sizedExpression(container, capacity);
    }

    @Override
    public String freshExpression(String container) {
        return container.equals("Hashtable") ? "map = new Hashtable<>()" : plainNew(container);
    }

    @Override
    public String copyExpression(String container) {
        return container.equals("Hashtable") ? "map = new Hashtable<>(map)"
                : "a new " + container + " holding the old one's entries";
    }
}
