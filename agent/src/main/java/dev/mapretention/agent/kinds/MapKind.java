package dev.mapretention.agent.kinds;

import dev.mapretention.agent.boot.MapFields;
import dev.mapretention.agent.scan.ArrayLayout;

import java.util.List;

/**
 * What the agent knows of one kind of JDK map: the class it instruments and its hooks, how the
 * scanner reads a map's capacity and size from its fields, how large a table a copy would
 * allocate (which is what a map wastes beyond), and what to tell the user to do. One subclass per
 * kind; {@link #all()} lists them by their boot-side number ({@link dev.mapretention.agent.boot.MapKinds}).
 */
public abstract class MapKind {

    private static final List<MapKind> ALL = List.of(new HashMapKind(), new ConcurrentHashMapKind(),
            new HashtableKind(), new IdentityHashMapKind(), new WeakHashMapKind());

    /** Every kind, indexed by its boot-side number. */
    public static List<MapKind> all() {
        return ALL;
    }

    /** The kind of boot-side number {@code id}. */
    public static MapKind of(int id) {
        return ALL.get(id);
    }

    private volatile MapFields fields;

    /** The boot-side number of this kind. */
    public abstract int id();

    /** The JDK class this kind instruments (its subclasses come with it). */
    public abstract Class<?> mapClass();

    /**
     * The int field, declared by {@link #mapClass()}, that tells a heap census a map's table is
     * small without reading the table: it is the table's length times {@link #loadFactorField()}
     * (or 0.75 when there is none), or negative while a table is being made or replaced; null when
     * the kind has no such field, and the census then reads the table of every map of the kind.
     * {@code threshold}, the name HashMap, Hashtable and WeakHashMap share; a kind that names
     * another (ConcurrentHashMap's {@code sizeCtl}) or none says so.
     */
    public String thresholdField() {
        return "threshold";
    }

    /**
     * The float field, declared by {@link #mapClass()}, that {@link #thresholdField()} was
     * computed with, or null: {@code loadFactor}, as HashMap, Hashtable and WeakHashMap name it.
     */
    public String loadFactorField() {
        return "loadFactor";
    }

    /** The calls put into {@link #mapClass()}. */
    public abstract List<Hook> hooks();

    /** Looks up this kind's fields; done once, by the agent at start. */
    protected abstract MapFields lookUpFields() throws ReflectiveOperationException;

    /** Prepares the field reads; call once the JDK's packages are open to the tracker. */
    public final void prepare() throws ReflectiveOperationException {
        fields = lookUpFields();
    }

    /** The reader of this kind's fields (null until {@link #prepare}); the tracker reads sizes at clears with it. */
    public final MapFields fields() {
        return fields;
    }

    /**
     * Reads an empty map of this kind once, on the agent's thread: reflection makes a field's
     * accessor at its first read, and the tracker reads sizes inside map operations (at a clear)
     * only once that is done ({@link MapFields#size}).
     */
    public final void warmUp() throws ReflectiveOperationException {
        Object empty = mapClass().getDeclaredConstructor().newInstance();
        capacity(empty);
        fields.size(empty);
    }

    /** The map's capacity in slots (for most kinds its table's length; 0 before its first put). */
    public int capacity(Object map) {
        return fields.tableLength(map);
    }

    /**
     * The map's size as its fields tell it, never by calling the map. {@code sparseLimit} is the
     * size at which the map is not sparse: a kind that must count (WeakHashMap) may stop there.
     */
    public long size(Object map, long sparseLimit) {
        return fields.size(map);
    }

    /** The length of the table array of a map of {@code capacity} slots. */
    protected int tableLength(int capacity) {
        return capacity;
    }

    /**
     * The capacity of the copy that this kind's remedy makes of a map of {@code size} entries,
     * held as {@code container}, on this JDK; 0 when such a copy allocates no table.
     */
    protected abstract int copyCapacity(int size, String container);

    /**
     * The bytes a map of {@code capacity} slots and {@code size} entries wastes: its table minus
     * the table a copy would allocate.
     */
    public final long wastedBytes(ArrayLayout layout, int capacity, int size, String container) {
        long table = layout.arrayBytes(tableLength(capacity));
        int copy = copyCapacity(size, container);
        long copyTable = copy == 0 ? 0 : layout.arrayBytes(tableLength(copy));
        return Math.max(0, table - copyTable);
    }

    /** The expression that replaces a drained map with a new, empty one, e.g. {@code map = new HashMap<>()}. */
    public abstract String freshExpression(String container);

    /** The expression that replaces a partly drained map with a right-sized copy. */
    public abstract String copyExpression(String container);

    /**
     * The expression that makes a map of this container whose first table is one of
     * {@code capacity} slots, and so holds what a map grown to that capacity held, without growing:
     * for a reused map, the table it needs at each peak, from the start. E.g.
     * {@code new HashMap<>(262144)}.
     */
    public String sizedExpression(String container, int capacity) {
        return "a new " + container + " created with a " + String.format(java.util.Locale.ROOT, "%,d", capacity)
                + "-slot table";
    }

    /**
     * Why the table stays, in a few words that end the advice's first clause, e.g.
     * {@code "a HashMap never shrinks"}.
     */
    public String whyItStays(String container) {
        return "a " + container + " never shrinks";
    }

    /** What ends the advice for a drained map, after the replacement it names. */
    public String afterDrainHint(String container) {
        return " instead of clearing or emptying it, or drop it once drained";
    }

    /** A plain container name for a subclass ({@code "a new SessionCache"}). */
    static String plainNew(String container) {
        return "a new " + container;
    }
}
