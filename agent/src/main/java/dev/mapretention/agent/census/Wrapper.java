package dev.mapretention.agent.census;

import java.util.ArrayList;
import java.util.List;

/**
 * A class whose instances hold a map (or the array of elements a map is in) for the application,
 * so that what holds the wrapper holds the map: a {@code HashSet}'s {@code map}, a synchronized
 * map's {@code m}, an {@code ArrayList}'s {@code elementData}.
 *
 * @param type      the class (its subclasses too)
 * @param field     the field, declared by {@code type}, that holds the map (or another wrapper)
 * @param container true when the wrapper is what the application holds and names ({@code HashSet},
 *                  {@code Properties}); false for a view whose map keeps its own name
 *                  ({@code Collections.synchronizedMap})
 */
public record Wrapper(Class<?> type, String field, boolean container) {

    /** The wrappers of the JDK the census looks through; those this JDK lacks are left out. */
    public static List<Wrapper> known() {
        List<Wrapper> wrappers = new ArrayList<>();
        add(wrappers, "java.util.HashSet", "map", true);
        add(wrappers, "java.util.Properties", "map", true);
        add(wrappers, "java.util.concurrent.ConcurrentHashMap$CollectionView", "map", true);
        add(wrappers, "java.util.Collections$SetFromMap", "m", false);
        add(wrappers, "java.util.Collections$UnmodifiableMap", "m", false);
        add(wrappers, "java.util.Collections$SynchronizedMap", "m", false);
        add(wrappers, "java.util.Collections$CheckedMap", "m", false);
        add(wrappers, "java.util.Collections$UnmodifiableCollection", "c", false);
        add(wrappers, "java.util.Collections$SynchronizedCollection", "c", false);
        add(wrappers, "java.util.Collections$CheckedCollection", "c", false);
        // Lists and deques keep their elements in an array: a map in one is held by what holds it.
        add(wrappers, "java.util.ArrayList", "elementData", true);
        add(wrappers, "java.util.Vector", "elementData", true);
        add(wrappers, "java.util.ArrayDeque", "elements", true);
        add(wrappers, "java.util.concurrent.CopyOnWriteArrayList", "array", true);
        add(wrappers, "java.util.Arrays$ArrayList", "a", true);
        return List.copyOf(wrappers);
    }

    private static void add(List<Wrapper> wrappers, String className, String field, boolean container) {
        try {
            wrappers.add(new Wrapper(Class.forName(className, false, null), field, container));
        } catch (ClassNotFoundException | LinkageError e) {
            // not in this JDK: nothing of it to look through
        }
    }
}
