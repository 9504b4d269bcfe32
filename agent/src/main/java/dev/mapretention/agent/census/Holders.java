package dev.mapretention.agent.census;

import dev.mapretention.agent.report.Owner;

import java.util.List;
import java.util.Map;

/**
 * Turns the records of a census's walks into what a report says holds a map: through the
 * wrappers that hold maps for the application (a HashSet is what its map's holder holds), up
 * from arrays to what holds the array, and from a map entry to the map it is in and what holds
 * that. The constants match the native side's ({@code census.h}).
 */
final class Holders {

    static final int MAP = 1;
    static final int WRAPPER = 2;
    static final int ARRAY = 3;
    static final int ENTRY = 4;

    static final int H_NONE = 0;
    static final int H_FIELD = 1;
    static final int H_STATIC = 2;
    static final int H_ARRAY = 3;
    static final int H_TABLE = 4;
    static final int H_LOCAL = 5;
    static final int H_JNI_GLOBAL = 6;
    static final int H_JNI_LOCAL = 7;
    static final int H_OTHER = 8;

    /** How many records up a holder is followed (maps in maps in arrays ...). */
    private static final int MAX_DEPTH = 12;

    /** What holds a found map, and what the application holds it as. */
    record Resolved(Owner owner, String container) {
    }

    private final Map<Integer, Hop> hops;
    private final List<Wrapper> wrappers;

    Holders(Map<Integer, Hop> hops, List<Wrapper> wrappers) {
        this.hops = hops;
        this.wrappers = wrappers;
    }

    /**
     * @param record         the found map's record (0 when the census lost track of it)
     * @param ownContainer   what the map is, when nothing wraps it: {@code HashMap}, ...
     */
    Resolved resolve(int record, String ownContainer) {
        String[] container = {null};
        Owner owner = ownerOf(hops.get(record), 0, container);
        return new Resolved(owner, container[0] != null ? container[0] : ownContainer);
    }

    /**
     * What holds the object of this hop; null when not known. Passing through a wrapper that is
     * a container sets {@code container[0]} (the first such, from the map outwards).
     */
    private Owner ownerOf(Hop hop, int depth, String[] container) {
        if (hop == null || depth > MAX_DEPTH) {
            return null;
        }
        Hop parent = hop.parent() != 0 ? hops.get(hop.parent()) : null;
        switch (hop.holderKind()) {
            case H_FIELD:
                if (parent != null && parent.recordKind() == WRAPPER) {
                    if (container != null && container[0] == null && isContainer(parent)) {
                        container[0] = Containers.name(parent.objectClass());
                    }
                    return ownerOf(parent, depth + 1, container);
                }
                if (parent != null && parent.recordKind() == ENTRY) {
                    return inEntry(parent, "key".equals(hop.member()), depth);
                }
                return Owner.field(hop.holderClass(), hop.member(), hop.referrerClass());
            case H_STATIC:
                return Owner.staticField(hop.holderClass(), hop.member());
            case H_ARRAY:
                if (parent != null && parent.recordKind() == ARRAY) {
                    if (parent.holderKind() == H_TABLE) {
                        return inMap(hops.get(parent.parent()), false, depth); // the array is a map's own table
                    }
                    String[] list = {null};
                    Owner arrayHolder = ownerOf(parent, depth + 1, list);
                    return Owner.arrayElement(hop.referrerClass(), list[0], arrayHolder);
                }
                return Owner.arrayElement(hop.referrerClass(), null, null);
            case H_TABLE:
                return inMap(parent, false, depth);
            case H_LOCAL:
                return Owner.local(hop.thread(), hop.frame());
            case H_JNI_GLOBAL:
                return Owner.jni(true, null, null);
            case H_JNI_LOCAL:
                return Owner.jni(false, hop.thread(), hop.frame());
            case H_OTHER:
                return Owner.other(hop.member());
            default:
                return null;
        }
    }

    /** Held by a map entry: by the map whose table the entry is in, when the walks found it. */
    private Owner inEntry(Hop entry, boolean key, int depth) {
        Hop parent = entry.parent() != 0 ? hops.get(entry.parent()) : null;
        if (entry.holderKind() == H_TABLE) {
            return inMap(parent, key, depth);
        }
        if (entry.holderKind() == H_ARRAY && parent != null && parent.recordKind() == ARRAY
                && parent.holderKind() == H_TABLE) {
            return inMap(parent.parent() != 0 ? hops.get(parent.parent()) : null, key, depth); // in a map's table
        }
        return Owner.inMap(key, Containers.ofEntry(entry.objectClass()), null);
    }

    /**
     * True when the chain from this record passes through the agent's own classes: a map the
     * agent holds (its side tables), reached through the agent's objects, is not the application's.
     */
    boolean agentsOwn(int record) {
        Hop hop = hops.get(record);
        for (int depth = 0; hop != null && depth <= MAX_DEPTH; depth++) {
            if (isAgents(hop.holderClass()) || isAgents(hop.referrerClass()) || isAgents(hop.objectClass())) {
                return true;
            }
            hop = hop.parent() != 0 ? hops.get(hop.parent()) : null;
        }
        return false;
    }

    private static boolean isAgents(String className) {
        return className != null && (className.startsWith("dev.mapretention.agent.")
                || className.startsWith("dev.mapretention.shaded."));
    }

    /** Held in the map of this hop: a value (or key) of it, and that map's own holder. */
    private Owner inMap(Hop map, boolean key, int depth) {
        if (map == null) {
            return Owner.inMap(key, "map", null);
        }
        String[] container = {null};
        Owner outer = ownerOf(map, depth + 1, container);
        return Owner.inMap(key, container[0] != null ? container[0] : Containers.name(map.objectClass()), outer);
    }

    private boolean isContainer(Hop wrapper) {
        int index = wrapper.definition();
        return index >= 0 && index < wrappers.size() && wrappers.get(index).container();
    }
}
