package dev.mapretention.agent.census;

/**
 * The natives of the census library ({@code libmapretention.so}). They are bound by the library
 * itself, with JNI {@code RegisterNatives}, when it is loaded as a JVMTI agent ({@code -agentpath}
 * or the attach API's {@code loadAgentPath}); never through {@code System.load}, which JDK 24
 * and later warn about in the application's output. The library also sets {@link #boundAbi}:
 * a native is called only once that says it is bound, since calling an unbound one would make
 * the JVM look it up (the restricted linking JDK 24 warns about too).
 */
final class NativeHeap {

    /** The version of the contract with the library; the library writes the same number. */
    static final int ABI = 2;

    /** Written by the library when it binds the natives; 0 until then. */
    private static volatile int boundAbi;

    private NativeHeap() {
    }

    static boolean bound() {
        return boundAbi == ABI;
    }

    /**
     * Takes the census: the walks happen at safepoints (the application paused), the rest
     * outside. Hands every live map whose table is at least its kind's minimum length to
     * {@code sink}, with the records of what holds it. Throws IllegalStateException naming the
     * step and the JVMTI error when JVMTI fails.
     *
     * @param kinds           the map classes, subclasses included
     * @param tableFields     for each kind, the field (declared by it) that holds the table
     * @param thresholdFields for each kind, the int field (declared by it) that is the table's
     *                        length times the load factor, negative while a table is made; or null
     * @param loadFactorFields for each kind, the float field (declared by it) with that load
     *                        factor; or null (then 0.75)
     * @param minTableLengths for each kind, the shortest table worth reporting
     * @param wrappers        classes whose instances hold a map for the application
     * @param wrappedFields   for each wrapper, the field (declared by it) that holds the map
     * @param own             the agent's own objects: not followed (what only they hold is not the
     *                        application's)
     * @param budgetNanos     how long the census may take; past it, it stops and says so
     * @param maxRecords      the most maps, wrappers and intermediates it records (its memory)
     */
    static native void census(Class<?>[] kinds, String[] tableFields, String[] thresholdFields,
                              String[] loadFactorFields, int[] minTableLengths, Class<?>[] wrappers,
                              String[] wrappedFields, Object[] own, long budgetNanos, int maxRecords,
                              CensusSink sink);
}
