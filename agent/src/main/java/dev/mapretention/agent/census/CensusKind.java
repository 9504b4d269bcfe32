package dev.mapretention.agent.census;

import java.util.function.ToIntFunction;

/**
 * One kind of map a heap census looks for, and how the agent reads a map of that kind that the
 * census found: the one seam between the census and the map kinds the agent tracks.
 *
 * <p>The native scan finds instances of {@link #type()} and its subclasses, skips those whose
 * {@link #thresholdField()} says the table is small, and reads the length of
 * {@link #tableField()} of the others; everything else about a found map is read here, on the
 * Java side, through {@link #capacity} and {@link #size} (fields, never the application's
 * methods).
 */
public interface CensusKind {

    /** The kind's name in the report's {@code census.mapsFound}: {@code HashMap}. */
    String name();

    /** Maps of this kind are instances of this class or of its subclasses. */
    Class<?> type();

    /** The field, declared by {@link #type()}, that holds the map's table (an array). */
    String tableField();

    /**
     * The int field, declared by {@link #type()}, that is the table's length times
     * {@link #loadFactorField()} (0.75 when that is null), or negative while a table is being made
     * or replaced; null when the kind has none (every map's table is then read).
     */
    String thresholdField();

    /** The float field, declared by {@link #type()}, holding the load factor of {@link #thresholdField()}; or null. */
    String loadFactorField();

    /** The map's capacity, as the contract defines it (0 while it has no table). */
    int capacity(Object map);

    /** The number of entries the map holds. */
    int size(Object map);

    /**
     * A kind from its parts ({@code thresholdField} and {@code loadFactorField} may be null);
     * {@code capacity} and {@code size} read a map of it.
     */
    static CensusKind of(String name, Class<?> type, String tableField, String thresholdField,
                         String loadFactorField, ToIntFunction<Object> capacity, ToIntFunction<Object> size) {
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
            public String thresholdField() {
                return thresholdField;
            }

            @Override
            public String loadFactorField() {
                return loadFactorField;
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
