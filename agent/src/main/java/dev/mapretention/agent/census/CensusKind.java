package dev.mapretention.agent.census;

import java.util.function.ToIntFunction;

/**
 * One kind of map a heap census looks for, and how the agent reads a map of that kind that the
 * census found: the one seam between the census and the map kinds the agent tracks.
 *
 * <p>The native walk finds instances of {@link #type()} and its subclasses, and reads the length
 * of {@link #tableField()} to skip small maps early; everything else about a found map is read
 * here, on the Java side, through {@link #capacity} and {@link #size} (fields, never the
 * application's methods).
 */
public interface CensusKind {

    /** The kind's name in the report's {@code census.mapsFound}: {@code HashMap}. */
    String name();

    /** Maps of this kind are instances of this class or of its subclasses. */
    Class<?> type();

    /** The field, declared by {@link #type()}, that holds the map's table (an array). */
    String tableField();

    /** The map's capacity, as the contract defines it (0 while it has no table). */
    int capacity(Object map);

    /** The number of entries the map holds. */
    int size(Object map);

    /** A kind from its parts; {@code capacity} and {@code size} read a map of it. */
    static CensusKind of(String name, Class<?> type, String tableField, ToIntFunction<Object> capacity,
                         ToIntFunction<Object> size) {
        return new CensusKind() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Class<?> type() {
                return type;
            }

            @Override
            public String tableField() {
                return tableField;
            }

            @Override
            public int capacity(Object map) {
                return capacity.applyAsInt(map);
            }

            @Override
            public int size(Object map) {
                return size.applyAsInt(map);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
