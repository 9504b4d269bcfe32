package dev.mapretention.agent.boot;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reads a HashMap's {@code table} length and {@code size} field directly, for the scanner, so that
 * it never calls the application's code (a subclass's {@code size()}, say) and never takes a
 * lock. The reads are racy by design: a map being changed is seen a little before or after.
 *
 * <p>The fields are looked up from this module (the boot class loader's unnamed module, which
 * holds only the tracker), to which the agent opens {@code java.util}: the application's own
 * modules, and its class path, are left as encapsulated as they were. Never used inside a
 * HashMap operation. Public because the agent, in another class loader, calls it; what it hands
 * out is a map's size and table length, nothing an application could not learn anyway.
 */
public final class MapFields {

    /** HashMap's table getter, typed {@code (Object)Object[]} so that it is invoked exactly. */
    private final MethodHandle table;
    /** HashMap's size getter, typed {@code (Object)int}. */
    private final MethodHandle size;

    private MapFields(MethodHandle table, MethodHandle size) {
        this.table = table;
        this.size = size;
    }

    /**
     * Looks up the two fields of {@code java.util.HashMap}, passed in by the agent (the tracker
     * names no HashMap-family class itself).
     *
     * @throws IllegalAccessException when {@code java.util} is not open to this module
     */
    public static MapFields lookUp(Class<?> hashMap) throws ReflectiveOperationException {
        if (!hashMap.getName().equals("java.util.HashMap") || hashMap.getClassLoader() != null) {
            throw new IllegalArgumentException("not java.util.HashMap: " + hashMap);
        }
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(hashMap, MethodHandles.lookup());
        Class<?> nodeArray = Class.forName("[Ljava.util.HashMap$Node;", false, null);
        return new MapFields(
                lookup.findGetter(hashMap, "table", nodeArray).asType(MethodType.methodType(Object[].class, Object.class)),
                lookup.findGetter(hashMap, "size", int.class).asType(MethodType.methodType(int.class, Object.class)));
    }

    /** The length of the map's table: its capacity (0 before the first put). */
    public int capacity(Object map) {
        try {
            Object[] tab = (Object[]) table.invokeExact(map);
            return tab == null ? 0 : tab.length;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The map's size field. */
    public int size(Object map) {
        try {
            return (int) size.invokeExact(map);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
