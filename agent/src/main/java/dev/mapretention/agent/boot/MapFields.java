package dev.mapretention.agent.boot;

import java.lang.ref.Reference;
import java.lang.reflect.Field;

/**
 * Reads a JDK map's table length and size straight from its fields, for the scanner, so that it
 * never calls the application's code (a subclass's {@code size()}, say, or WeakHashMap's, which
 * expunges and so changes the map) and never takes a lock. The reads are racy by design: a map
 * being changed is seen a little before or after.
 *
 * <p>The fields are looked up from this module (the boot class loader's unnamed module, which
 * holds only the tracker), to which the agent opens {@code java.util} and
 * {@code java.util.concurrent}: the application's own modules, and its class path, are left as
 * encapsulated as they were. Only the JDK's own hash map classes can be read. Used inside a map
 * operation only by the tracker's slow path, for the size before a clear ({@link #sizeIfReady}),
 * and only once the agent's own reads have made the accessors it needs. Public because the agent, in another class loader, calls it; what it hands out
 * is a map's size and table length, nothing an application could not learn anyway.
 */
public final class MapFields {

    private static final String[] READABLE = {
        "java.util.HashMap", "java.util.concurrent.ConcurrentHashMap", "java.util.Hashtable",
        "java.util.IdentityHashMap", "java.util.WeakHashMap",
    };

    /*
     * Plain reflection, not method handles: looking up and adapting ten method handles spun about
     * a dozen LambdaForm classes in the agent's premain (some 15 ms of every JVM's start); a
     * Field's own accessor is made when the scanner first reads it, off the start-up path.
     */
    /** The table field (an array of entries). */
    private final Field table;
    /** The size field (int or long). */
    private final Field size;
    /** ConcurrentHashMap's counter cells, or null. */
    private Field cells;
    /** A counter cell's value (long), or null. */
    private Field cellValue;
    /** An entry's next entry in its bucket, for weak entries; or null. */
    private Field entryNext;

    private final Class<?> owner;
    /**
     * Set once the agent's side has read a size (and a counter cell) with this reader: reflection
     * makes a field's accessor at its first read, work the tracker must not do inside a map's
     * operation.
     */
    private volatile boolean sizeReady;
    private volatile boolean cellsReady;

    private MapFields(Class<?> owner, Field table, Field size) {
        this.owner = owner;
        this.table = table;
        this.size = size;
    }

    /**
     * Looks up a map class's table and size fields.
     *
     * @param owner      one of the JDK's hash map classes, passed in by the agent
     * @param tableField the name of its table field (an array of entries)
     * @param sizeField  the name of its size field (int or long)
     * @throws java.lang.reflect.InaccessibleObjectException when the class's package is not open
     *                                                       to this module
     */
    public static MapFields lookUp(Class<?> owner, String tableField, String sizeField)
            throws ReflectiveOperationException {
        if (owner.getClassLoader() != null || !readable(owner.getName())) {
            throw new IllegalArgumentException("not one of the JDK's hash maps: " + owner);
        }
        return new MapFields(owner, accessible(owner, tableField), accessible(owner, sizeField));
    }

    /**
     * Adds ConcurrentHashMap's counter cells to the size: the size is the size field (its
     * {@code baseCount}) plus the value of every cell.
     */
    public MapFields withCounterCells(String cellsField, String valueField) throws ReflectiveOperationException {
        cells = accessible(owner, cellsField);
        cellValue = accessible(cells.getType().getComponentType(), valueField);
        return this;
    }

    /**
     * Lets {@link #liveEntries} walk the table's weak entries (their referent is the key) through
     * each entry's {@code nextField}.
     */
    public MapFields withWeakEntries(String nextField) throws ReflectiveOperationException {
        entryNext = accessible(table.getType().getComponentType(), nextField);
        return this;
    }

    /** The length of the map's table (0 before its first put). */
    public int tableLength(Object map) {
        Object[] tab = table(map);
        return tab == null ? 0 : tab.length;
    }

    /** The map's size as its fields tell it (for a WeakHashMap, an upper bound). */
    public long size(Object map) {
        try {
            long sum = size.getLong(map);
            if (cells != null) {
                Object[] counters = (Object[]) cells.get(map);
                if (counters != null) {
                    for (Object cell : counters) {
                        if (cell != null) {
                            sum += cellValue.getLong(cell);
                            if (!cellsReady) {
                                cellsReady = true;
                            }
                        }
                    }
                }
            }
            if (!sizeReady) {
                sizeReady = true;
            }
            return Math.max(0, sum);
        } catch (IllegalAccessException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * The map's size, for the tracker's slow path inside a map's operation (at a clear's start:
     * the size before it); -1 while the agent's own reads have not yet made the field accessors
     * this read needs.
     */
    long sizeIfReady(Object map) {
        if (!sizeReady) {
            return -1;
        }
        try {
            long sum = size.getLong(map);
            if (cells != null) {
                Object[] counters = (Object[]) cells.get(map);
                if (counters != null) {
                    for (Object cell : counters) {
                        if (cell != null) {
                            if (!cellsReady) {
                                return -1;
                            }
                            sum += cellValue.getLong(cell);
                        }
                    }
                }
            }
            return Math.max(0, sum);
        } catch (IllegalAccessException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * The entries whose keys have not been collected, counted up to {@code enough} (a map with
     * that many is not sparse, so the walk stops there) and over at most {@code maxSteps} entries;
     * for other maps than weak ones, the size. Reading a weak entry's key with
     * {@link Reference#refersTo} neither changes the map nor keeps the key alive.
     */
    public long liveEntries(Object map, long enough, long maxSteps) {
        if (entryNext == null) {
            return size(map);
        }
        Object[] tab = table(map);
        if (tab == null) {
            return 0;
        }
        long live = 0;
        long steps = 0;
        try {
            for (int i = 0; i < tab.length && live < enough && steps < maxSteps; i++) {
                for (Object e = tab[i]; e != null && steps < maxSteps; e = entryNext.get(e)) {
                    steps++;
                    if (!((Reference<?>) e).refersTo(null)) {
                        live++;
                    }
                }
            }
        } catch (IllegalAccessException impossible) {
            throw new IllegalStateException(impossible);
        }
        return steps >= maxSteps ? Math.max(live, size(map)) : live;
    }

    private Object[] table(Object map) {
        try {
            return (Object[]) table.get(map);
        } catch (IllegalAccessException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The declared field, made accessible (its package is open to this module only). */
    private static Field accessible(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    static boolean readable(String name) {
        for (String readable : READABLE) {
            if (readable.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
