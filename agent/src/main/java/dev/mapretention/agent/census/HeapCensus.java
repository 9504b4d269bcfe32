package dev.mapretention.agent.census;

import dev.mapretention.agent.boot.TrackingState;
import dev.mapretention.agent.report.CensusSummary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Takes a heap census: every live map of the kinds the agent tracks, with what holds it, found by
 * the native census library's heap walks (JVMTI; each walk is a safepoint, so the application is
 * paused for it, and the summary says for how long). Every map found at or above
 * {@code minCapacity} is tracked from then on, weakly as any other, with the census's site and
 * the holder it found; a sparse one is oversized at once. One census at a time in a JVM.
 */
public final class HeapCensus {

    /**
     * The most maps, wrappers, arrays and map entries one census records: its records take about
     * 24 MB of native memory at most (HotSpot's tags for them about as much again).
     */
    static final int MAX_RECORDS = 1 << 20;

    /** Test-only switches, read at each census: a lower record limit and a shorter budget, to see a census stop. */
    static final String MAX_RECORDS_PROPERTY = "dev.mapretention.test.censusMaxRecords";
    static final String BUDGET_PROPERTY = "dev.mapretention.test.censusBudgetMillis";

    /** What {@link #status()} says when a census can be taken. */
    public static final String READY = "ready";

    /** What {@link #status()} says when the library is not loaded: the census command loads it. */
    public static final String NOT_LOADED = "the census library is not loaded in this JVM";

    /** One census at a time in this JVM, whatever agent instance asks: the library has one tag space. */
    private static final Object ONE_AT_A_TIME = new Object();

    private final TrackingState state;
    private final List<CensusKind> kinds;
    private final List<Wrapper> wrappers;
    private final long budgetMillis;
    private final Object[] own;

    /**
     * @param kinds        the kinds of map to look for
     * @param budgetMillis how long a census may take; past it, it stops and says it is partial
     * @param own          the agent's own objects, whose maps are not the application's
     */
    public HeapCensus(TrackingState state, List<CensusKind> kinds, long budgetMillis, Object... own) {
        this.state = state;
        this.kinds = List.copyOf(kinds);
        this.wrappers = Wrapper.known();
        this.budgetMillis = budgetMillis;
        this.own = own.clone();
    }

    /**
     * Loads the class with the census's natives, for the agent's start: a census library loaded at
     * start-up ({@code -agentpath}) binds them when that class is prepared, and stops watching
     * class loading then.
     */
    public static void bindLibrary() {
        NativeHeap.bound();
    }

    /** {@link #READY}, or one line saying why no census can be taken in this JVM. */
    public static String status() {
        if (!CensusPlatform.supported()) {
            return CensusPlatform.notAvailable();
        }
        return NativeHeap.bound() ? READY : NOT_LOADED;
    }

    /**
     * Takes a census; the maps it found are tracked when it returns.
     *
     * @throws IllegalStateException when no census can be taken here, or JVMTI failed (one line)
     */
    public CensusSummary take() {
        synchronized (ONE_AT_A_TIME) {
            return takeAlone();
        }
    }

    private CensusSummary takeAlone() {
        String status = status();
        if (!status.equals(READY)) {
            throw new IllegalStateException(status);
        }
        long started = System.nanoTime();
        Instant takenAt = Instant.now();
        int minCapacity = state.settings().minCapacity();
        int count = kinds.size();
        Class<?>[] types = new Class<?>[count];
        String[] tableFields = new String[count];
        String[] thresholdFields = new String[count];
        String[] loadFactorFields = new String[count];
        int[] minLengths = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = kinds.get(i).type();
            tableFields[i] = kinds.get(i).tableField();
            thresholdFields[i] = kinds.get(i).thresholdField();
            loadFactorFields[i] = kinds.get(i).loadFactorField();
            // A table's length is at least the capacity for every kind: a first, cheap filter.
            minLengths[i] = minCapacity;
        }
        Class<?>[] wrapperTypes = new Class<?>[wrappers.size()];
        String[] wrapperFields = new String[wrappers.size()];
        for (int i = 0; i < wrappers.size(); i++) {
            wrapperTypes[i] = wrappers.get(i).type();
            wrapperFields[i] = wrappers.get(i).field();
        }
        CensusSink sink = new CensusSink((map, kind) -> triage(map, kind, minCapacity));
        long budget = budgetMillis();
        NativeHeap.census(types, tableFields, thresholdFields, loadFactorFields, minLengths, wrapperTypes,
                wrapperFields, own, budget * 1_000_000L, maxRecords(), sink);
        CensusStats stats = CensusStats.of(sink.stats(), count);
        long[] large = new long[count];
        long tracked = adopt(sink, stats, minCapacity, large);
        List<CensusSummary.KindCount> byKind = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byKind.add(new CensusSummary.KindCount(kinds.get(i).name(), stats.mapsByKind()[i], large[i]));
        }
        String partial = partialReason(stats, budget);
        List<Long> walks = new ArrayList<>();
        for (long nanos : stats.walkNanos()) {
            walks.add(nanos / 1_000_000L);
        }
        return new CensusSummary(takenAt, stats.pauseNanos() / 1_000_000L, List.copyOf(walks),
                (System.nanoTime() - started) / 1_000_000L, stats.walks(), List.copyOf(byKind), tracked, partial != null,
                partial, stats.tagsLeft());
    }

    /** Whether the census keeps a map whose table is long enough, and how far it traces its holders. */
    private int triage(Object map, int kindIndex, int minCapacity) {
        if (kindIndex < 0 || kindIndex >= kinds.size()) {
            return CensusSink.LEAVE;
        }
        CensusKind kind = kinds.get(kindIndex);
        int capacity = kind.capacity(map);
        if (capacity < minCapacity) {
            return CensusSink.LEAVE;
        }
        return state.settings().isSparse(kind.size(map), capacity) ? CensusSink.HOLDERS : CensusSink.HOLDER;
    }

    /** Tracks every found map at or above minCapacity; returns how many. */
    private long adopt(CensusSink sink, CensusStats stats, int minCapacity, long[] large) {
        Holders holders = new Holders(sink.hops(), wrappers);
        long tracked = 0;
        try {
            for (CensusSink.Found found : sink.found()) {
                if (found.kind() < 0 || found.kind() >= kinds.size()) {
                    continue;
                }
                CensusKind kind = kinds.get(found.kind());
                Object map = found.map();
                int capacity;
                int size;
                try {
                    capacity = kind.capacity(map);
                    size = kind.size(map);
                } catch (RuntimeException unreadable) {
                    continue; // changed shape under us: it will be seen when it next grows or drains
                }
                if (capacity < minCapacity) {
                    continue;
                }
                large[found.kind()]++;
                Holders.Resolved holder = holders.resolve(found.record(), Containers.name(map.getClass().getName()));
                if (holders.agentsOwn(found.record())) {
                    continue; // held by the agent itself (reached through its own objects): not the application's
                }
                if (state.adoptFound(map, found.kind(), holder.container(), state.settings().isSparse(size, capacity),
                        holder.owner())) {
                    tracked++;
                }
            }
        } finally {
            sink.forgetMaps();
        }
        return tracked;
    }

    private static int maxRecords() {
        return Integer.getInteger(MAX_RECORDS_PROPERTY, MAX_RECORDS);
    }

    private long budgetMillis() {
        return Long.getLong(BUDGET_PROPERTY, budgetMillis);
    }

    private static String partialReason(CensusStats stats, long budgetMillis) {
        String budget = "the time budget (censusBudget=" + duration(budgetMillis) + ")";
        if ((stats.stopped() & CensusStats.STOP_TIME) != 0) {
            return budget + " ran out during heap walk " + stats.walks() + ": maps it had not reached by then are not"
                    + " in this census, and what holds those it found may not be known";
        }
        if ((stats.stopped() & CensusStats.STOP_RECORDS) != 0) {
            return String.format(Locale.ROOT, "the census recorded the most maps and sets it may (%,d): maps beyond"
                    + " those are not in it", maxRecords());
        }
        if ((stats.stopped() & CensusStats.STOP_MEMORY) != 0) {
            return "native memory ran out: maps beyond those recorded are not in this census";
        }
        if ((stats.stopped() & CensusStats.STOP_HOLDERS) != 0) {
            return budget + " left no time for all the walks that trace holders: what holds " + stats.unresolved()
                    + " of the maps found is not known, or not all the way";
        }
        return null;
    }

    private static String duration(long millis) {
        Duration d = Duration.ofMillis(millis);
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() + "s";
    }

    /** One line for the agent's log: what the census found and what it cost. */
    public static String describe(CensusSummary summary) {
        StringBuilder found = new StringBuilder();
        for (CensusSummary.KindCount k : summary.kinds()) {
            found.append(found.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,d", k.maps())).append(' ')
                    .append(k.kind()).append(k.maps() == 1 ? "" : "s").append(" (").append(k.large())
                    .append(" at or above minCapacity)");
        }
        return "census: found " + found + " in " + summary.durationMillis() + " ms, the JVM paused "
                + summary.pauseMillis() + " ms over " + summary.walks() + " heap walk" + (summary.walks() == 1 ? "" : "s")
                + " " + summary.walkMillis()
                + "; " + summary.tracked() + " tracked from now on"
                + (summary.partial() ? "; partial: " + summary.partialReason() : "");
    }
}
