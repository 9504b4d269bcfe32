package dev.mapretention.agent;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a HashMap's {@code table} and {@code size} fields directly, so that the scanner never
 * calls the application's code (a subclass's {@code size()}, say) and never takes a lock.
 * The reads are racy by design: a map being changed is seen a little before or after.
 */
final class HashMapFields {

    private final VarHandle table;
    private final VarHandle size;

    private HashMapFields(VarHandle table, VarHandle size) {
        this.table = table;
        this.size = size;
    }

    /**
     * Opens {@code java.util} to the agent's module (the agent holds the Instrumentation that may
     * do so; the application's command line is left alone) and looks up the two fields.
     */
    static HashMapFields open(Instrumentation instrumentation) throws ReflectiveOperationException {
        Module javaBase = HashMap.class.getModule();
        Module agent = HashMapFields.class.getModule();
        if (!javaBase.isOpen("java.util", agent)) {
            instrumentation.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.util", Set.of(agent)),
                    Set.of(), Map.of());
        }
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(HashMap.class, MethodHandles.lookup());
        Class<?> nodeArray = Class.forName("[Ljava.util.HashMap$Node;", false, null);
        return new HashMapFields(lookup.findVarHandle(HashMap.class, "table", nodeArray),
                lookup.findVarHandle(HashMap.class, "size", int.class));
    }

    /** The length of the map's table: its capacity (0 before the first put). */
    int capacity(Object map) {
        Object[] tab = (Object[]) table.get((HashMap<?, ?>) map);
        return tab == null ? 0 : tab.length;
    }

    /** The map's size field. */
    int size(Object map) {
        return (int) size.get((HashMap<?, ?>) map);
    }
}
