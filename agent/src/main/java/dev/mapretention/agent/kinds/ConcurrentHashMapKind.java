package dev.mapretention.agent.kinds;

import dev.mapretention.agent.boot.MapFields;
import dev.mapretention.agent.boot.MapKinds;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import static dev.mapretention.agent.kinds.Hook.Argument.map;
import static dev.mapretention.agent.kinds.Hook.Argument.returnedTable;
import static dev.mapretention.agent.kinds.Hook.Argument.tableField;

/**
 * {@code java.util.concurrent.ConcurrentHashMap}, and what is built on it: its key-set views
 * ({@code ConcurrentHashMap.newKeySet()}, {@code keySet(V)}) and {@code Properties}, which keeps
 * its entries in one since Java 9.
 *
 * <p>Hooks only where a table is allocated or replaced ({@code initTable}, {@code tryPresize},
 * the end of {@code transfer} on whichever threads helped) and at the start of {@code clear}:
 * its size is a sum over counter cells, which a removal hook could not read for the cost of a
 * compare, so a drain by removals is found by the scanner, which sums the cells itself.
 *
 * <p>A copy's table follows this JDK's sizing, which JDK 23 changed (JDK-8322149, backported to
 * some 21 builds): which rule this JVM has is found once, by copying a small map.
 */
final class ConcurrentHashMapKind extends MapKind {

    private static final int MAXIMUM_CAPACITY = 1 << 30;
    private static final String NODES = "[Ljava/util/concurrent/ConcurrentHashMap$Node;";
    private static final String HOOKS = "ConcurrentHashMapHooks";

    /** Null until known: true when copies are presized by {@code tryPresize} (before JDK-8322149). */
    private volatile Boolean presizingCopies;

    @Override
    public int id() {
        return MapKinds.CONCURRENT_HASH_MAP;
    }

    @Override
    public Class<?> mapClass() {
        return ConcurrentHashMap.class;
    }

    @Override
    public String thresholdField() {
        return "sizeCtl";
    }

    /** None: {@code sizeCtl} is three quarters of the table, whatever load factor the map was made with. */
    @Override
    public String loadFactorField() {
        return null;
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.atReturn("initTable", "()" + NODES, HOOKS, "created", returnedTable(), map()),
                Hook.atReturn("tryPresize", "(I)V", HOOKS, "created", tableField("table", NODES), map()),
                Hook.atReturn("transfer", "(" + NODES + NODES + ")V", HOOKS, "grown", map(), tableField("table", NODES)),
                Hook.atEntry("clear", "()V", HOOKS, "clearing", map(), tableField("table", NODES)));
    }

    @Override
    protected MapFields lookUpFields() throws ReflectiveOperationException {
        return MapFields.lookUp(ConcurrentHashMap.class, "table", "baseCount").withCounterCells("counterCells", "value");
    }

    @Override
    protected int copyCapacity(int size, String container) {
        boolean presizing = presizingCopies();
        switch (container) {
            case "ConcurrentHashMap.KeySetView":
                // ConcurrentHashMap.newKeySet(n) then addAll: sized by the constructor alone.
                return size == 0 ? 0 : afterPuts(constructorSizeCtl(size), size);
            case "Properties":
                // new Properties() is a ConcurrentHashMap(8); putAll presizes only before JDK-8322149.
                int properties = constructorSizeCtl(8);
                return presizing ? afterPuts(presized(properties, size), size)
                        : size == 0 ? 0 : afterPuts(properties, size);
            default:
                // new ConcurrentHashMap<>(map).
                return presizing ? afterPuts(presized(16, size), size)
                        : size == 0 ? 0 : afterPuts(constructorSizeCtl(size), size);
        }
    }

    private boolean presizingCopies() {
        Boolean known = presizingCopies;
        if (known == null) {
            ConcurrentHashMap<Integer, Integer> sample = new ConcurrentHashMap<>();
            for (int i = 0; i < 20; i++) {
                sample.put(i, i);
            }
            // 20 entries: a presized copy has 64 slots, one sized by its constructor 32.
            known = capacity(new ConcurrentHashMap<>(sample)) > 32;
            presizingCopies = known;
        }
        return known;
    }

    /** The {@code sizeCtl} that {@code new ConcurrentHashMap<>(initialCapacity)} sets. */
    static int constructorSizeCtl(int initialCapacity) {
        int capacity = Math.max(initialCapacity, 1);
        long size = (long) (1.0 + (long) capacity / 0.75f);
        return size >= MAXIMUM_CAPACITY ? MAXIMUM_CAPACITY : tableSizeFor((int) size);
    }

    /** The table length {@code tryPresize(size)} leaves on a map with no table and this {@code sizeCtl}. */
    static int presized(int sizeCtl, int size) {
        int c = size >= (MAXIMUM_CAPACITY >>> 1) ? MAXIMUM_CAPACITY : tableSizeFor(size + (size >>> 1) + 1);
        int n = Math.max(sizeCtl, c);
        while (c > n - (n >>> 2) && n < MAXIMUM_CAPACITY) {
            n <<= 1;
        }
        return n;
    }

    /** The table length after {@code size} puts into a table of {@code n} (or a first table of {@code n}). */
    static int afterPuts(int n, int size) {
        while (size >= n - (n >>> 2) && n < MAXIMUM_CAPACITY) {
            n <<= 1;
        }
        return n;
    }

    private static int tableSizeFor(int c) {
        int n = -1 >>> Integer.numberOfLeadingZeros(c - 1);
        return (n < 0) ? 1 : (n >= MAXIMUM_CAPACITY) ? MAXIMUM_CAPACITY : n + 1;
    }

    @Override
    public String freshExpression(String container) {
        switch (container) {
            case "ConcurrentHashMap": return "map = new ConcurrentHashMap<>()";
            case "ConcurrentHashMap.KeySetView": return "set = ConcurrentHashMap.newKeySet()";
            case "Properties": return "props = new Properties()";
            default: return plainNew(container);
        }
    }

    @Override
    public String copyExpression(String container) {
        switch (container) {
            case "ConcurrentHashMap": return "map = new ConcurrentHashMap<>(map)";
            case "ConcurrentHashMap.KeySetView":
                return "a ConcurrentHashMap.newKeySet(set.size()) filled with addAll(set)";
            case "Properties": return "a new Properties() filled with putAll(props)";
            default: return "a new " + container + " holding the old one's entries";
        }
    }

    @Override
    public String sizedExpression(String container, int capacity) {
        // These take a number of entries, and size the table for it: (1 + n / 0.75) rounded up to
        // a power of two. The most entries a table of this capacity holds is the n that gives it.
        long entries = Math.max(1, (long) capacity * 3 / 4 - 1);
        switch (container) {
            case "ConcurrentHashMap": return "new ConcurrentHashMap<>(" + entries + ")";
            case "ConcurrentHashMap.KeySetView": return "ConcurrentHashMap.newKeySet(" + entries + ")";
            case "Properties": return "new Properties(" + entries + ")";
            default: return super.sizedExpression(container, capacity);
        }
    }

    @Override
    public String whyItStays(String container) {
        return container.equals("Properties")
                ? "a Properties keeps its entries in a ConcurrentHashMap, which never shrinks"
                : "a ConcurrentHashMap never shrinks";
    }
}
