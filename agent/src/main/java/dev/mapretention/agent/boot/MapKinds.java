package dev.mapretention.agent.boot;

/**
 * The kinds of map the hooks report, by number: each tracked record carries one, and the agent
 * maps it to what it knows of that kind (fields, capacity, copy sizing, remedy).
 */
public final class MapKinds {

    /** java.util.HashMap and what is built on it: LinkedHashMap, HashSet, LinkedHashSet. */
    public static final int HASH_MAP = 0;
    /** java.util.concurrent.ConcurrentHashMap, its key-set views and Properties. */
    public static final int CONCURRENT_HASH_MAP = 1;
    /** java.util.Hashtable. */
    public static final int HASHTABLE = 2;
    /** java.util.IdentityHashMap: its capacity counts key slots, half its table. */
    public static final int IDENTITY_HASH_MAP = 3;
    /** java.util.WeakHashMap. */
    public static final int WEAK_HASH_MAP = 4;

    /** How many kinds there are; kind numbers run from 0 to this, exclusive. */
    public static final int COUNT = 5;

    private MapKinds() {
    }
}
