package dev.mapretention.agent.boot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How many times the JVM has redefined or retransformed one of the JDK's hash map classes: the
 * count it keeps in {@code java.lang.Class} for its reflection caches. The agent reads it to
 * notice that another agent retransformed a map class, which takes the hooks out (the JVM starts
 * that class again from its original bytes, and the agent keeps no transformer registered to put
 * them back: a registered one is called at every class load, some 6 µs each on Java 17).
 *
 * <p>Read from this module, to which the agent opens {@code java.lang}; only for the classes
 * {@link MapFields} may read. A {@code VarHandle} rather than a {@code Field}: its first read costs
 * 0.2-1 ms, a field's 3-6 ms on Java 25 (its accessor is built from method handles there).
 */
public final class Redefinitions {

    /** What {@link #count} says when the count cannot be read on this JVM. */
    public static final int UNKNOWN = -1;

    private static final VarHandle COUNT = lookUp();

    private Redefinitions() {
    }

    /**
     * The class's redefinition count, or {@link #UNKNOWN} when this JVM has no such count or does
     * not let the tracker read it.
     *
     * @param mapClass one of the JDK's hash map classes
     * @throws IllegalArgumentException for any other class
     */
    public static int count(Class<?> mapClass) {
        if (mapClass.getClassLoader() != null || !MapFields.readable(mapClass.getName())) {
            throw new IllegalArgumentException("not one of the JDK's hash maps: " + mapClass);
        }
        if (COUNT == null) {
            return UNKNOWN;
        }
        try {
            return (int) COUNT.getVolatile(mapClass);
        } catch (RuntimeException e) {
            return UNKNOWN;
        }
    }

    private static VarHandle lookUp() {
        try {
            return MethodHandles.privateLookupIn(Class.class, MethodHandles.lookup())
                    .findVarHandle(Class.class, "classRedefinedCount", int.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
