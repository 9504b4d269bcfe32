package dev.mapretention.agent.scan;

import dev.mapretention.agent.AgentOptions;
import dev.mapretention.agent.kinds.MapKind;
import dev.mapretention.agent.report.CensusRemedy;
import dev.mapretention.agent.report.CensusSummary;
import dev.mapretention.agent.report.Owner;
import dev.mapretention.agent.report.Remedy;
import dev.mapretention.agent.report.Report;

import dev.mapretention.agent.boot.Site;
import dev.mapretention.agent.boot.TrackedMap;
import dev.mapretention.agent.boot.TrackingState;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Re-reads every tracked map and builds a {@link Report}: which maps are sparse, which have been
 * sparse for the grace period (oversized), grouped by site and container.
 *
 * <p>It reads the maps' fields directly, never their methods, and groups with identity maps, not
 * HashMaps, so that building a report from any thread never feeds the tracker.
 */
public final class ScanPass {

    private final TrackingState state;
    private final ArrayLayout layout;
    private final AgentOptions options;
    /** The last heap census's summary, for the report's census block; null until one ran. */
    private volatile CensusSummary census;

    public ScanPass(TrackingState state, ArrayLayout layout, AgentOptions options) {
        this.state = state;
        this.layout = layout;
        this.options = options;
    }

    /** Puts the summary of a heap census that has just been taken into every report from now on. */
    public void censusTaken(CensusSummary summary) {
        census = summary;
    }

    /**
     * Makes one pass over the tracked maps.
     *
     * @param nowNanos      {@code System.nanoTime()} now
     * @param newlyOversized told of each map that has just become oversized; the caller sets
     *                       its flag once it has logged it and committed its event (the pass
     *                       clears the flag of maps no longer oversized)
     */
    Report take(long nowNanos, Consumer<Flagged> newlyOversized) {
        state.expungeCollected(Integer.MAX_VALUE);
        long graceNanos = options.graceMillis() * 1_000_000L;
        IdentityHashMap<Site, List<Group>> bySite = new IdentityHashMap<>();
        // Maps a census found have no site: they group by what holds them. A TreeMap (keyed by
        // the owner's JSON), not a HashMap: this runs on any reader's thread, tracked ones too.
        TreeMap<String, Group> byOwner = new TreeMap<>();
        long tracked = 0;
        long oversized = 0;
        long sparseUnderGrace = 0;
        long longestUnderGraceNanos = 0;
        long wasted = 0;
        for (TrackedMap record : state.trackedMaps()) {
            Object map = record.get();
            if (map == null || record.site() == null) {
                // Collected, or tracked during this pass and its site not resolved yet: next pass.
                continue;
            }
            tracked++;
            MapKind kind = MapKind.of(record.kind());
            int capacity;
            int size;
            try {
                capacity = kind.capacity(map);
                size = (int) Math.min(Integer.MAX_VALUE,
                        kind.size(map, state.settings().sparseLimit(Math.max(capacity, 1))));
            } catch (RuntimeException e) {
                // Not the map its hooks said (a hook called by other code than the JDK's): drop it.
                state.forget(record);
                continue;
            }
            // A WeakHashMap may give up a new table in resize; below the minimum it is not tracked.
            boolean large = capacity >= options.minCapacity();
            record.observe(large && state.settings().isSparse(size, capacity), nowNanos);
            long since = record.sparseSinceNanos();
            boolean isOversized = large && since != 0 && nowNanos - since >= graceNanos;
            // Found sparse by a census: sparse since an unknown time, so no grace is owed.
            boolean beforeCensus = since != 0 && record.sparseBeforeCensus();
            isOversized |= large && beforeCensus;
            if (large && since != 0 && !isOversized) {
                sparseUnderGrace++;
                longestUnderGraceNanos = Math.max(longestUnderGraceNanos, nowNanos - since);
            }
            Report.MapInfo info = null;
            if (isOversized) {
                Owner owner = record.owner() instanceof Owner ? (Owner) record.owner() : null;
                info = new Report.MapInfo(record.typeName(), capacity, size,
                        beforeCensus ? Report.SPARSE_SINCE_BEFORE_CENSUS : (nowNanos - since) / 1_000_000L,
                        kind.wastedBytes(layout, capacity, size, record.container()), owner);
                oversized++;
                wasted += info.wastedBytes();
                Group g = record.site().kind() == Site.CENSUS ? byOwner(byOwner, record, owner) : group(bySite, record);
                g.add(info, record.neverFilled());
            }
            if (isOversized && !record.isOversized()) {
                newlyOversized.accept(new Flagged(record, info));
            } else if (!isOversized) {
                record.setOversized(false);
            }
            map = null;
        }
        List<Report.Finding> findings = new ArrayList<>();
        for (List<Group> groups : bySite.values()) {
            for (Group g : groups) {
                findings.add(g.toFinding());
            }
        }
        for (Group g : byOwner.values()) {
            findings.add(g.toFinding());
        }
        findings.sort(Comparator.comparingLong(Report.Finding::wastedBytes).reversed());
        return new Report(Instant.now(), ProcessHandle.current().pid(), System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getUptime(), options, tracked, oversized, wasted,
                new Report.UnderGrace(sparseUnderGrace, longestUnderGraceNanos / 1_000_000L), List.copyOf(findings),
                new Report.AgentHealth(state.failures(), state.isDisabled(),
                        state.refusedMaps(), state.siteCount(), state.trackedTotal(), state.jdkMapEvents()), census);
    }

    private static Group byOwner(TreeMap<String, Group> byOwner, TrackedMap record, Owner owner) {
        StringBuilder key = new StringBuilder(record.container()).append('\u0000');
        key.append(owner == null ? "" : owner.toJsonString());
        return byOwner.computeIfAbsent(key.toString(), k -> new Group(record.site(), MapKind.of(record.kind()), record.container()));
    }

    private static Group group(IdentityHashMap<Site, List<Group>> bySite, TrackedMap record) {
        List<Group> groups = bySite.computeIfAbsent(record.site(), s -> new ArrayList<>(1));
        for (Group g : groups) {
            if (g.container.equals(record.container())) {
                return g;
            }
        }
        Group g = new Group(record.site(), MapKind.of(record.kind()), record.container());
        groups.add(g);
        return g;
    }

    /**
     * A map that has just become oversized, for the log and the JFR event; the scanner sets its
     * record's flag once both are done.
     */
    public record Flagged(TrackedMap record, Report.MapInfo map) {

        public Site site() {
            return record.site();
        }

        public String container() {
            return record.container();
        }
    }

    /** The oversized maps of one (site, container), while counting. */
    private static final class Group {
        final Site site;
        final MapKind kind;
        final String container;
        final List<Report.MapInfo> maps = new ArrayList<>();
        long wasted;
        int emptyMaps;
        int neverFilled;
        /** Distinct owners, by their JSON, with the waste of the maps they hold. */
        final TreeMap<String, OwnerWaste> owners = new TreeMap<>();

        Group(Site site, MapKind kind, String container) {
            this.site = site;
            this.kind = kind;
            this.container = container;
        }

        void add(Report.MapInfo info, boolean neverFilledMap) {
            maps.add(info);
            wasted += info.wastedBytes();
            emptyMaps += info.size() == 0 ? 1 : 0;
            neverFilled += neverFilledMap ? 1 : 0;
            if (info.owner() != null) {
                owners.computeIfAbsent(info.owner().toJsonString(), k -> new OwnerWaste(info.owner())).wasted
                        += info.wastedBytes();
            }
        }

        List<Owner> ownersByWaste() {
            List<OwnerWaste> all = new ArrayList<>(owners.values());
            all.sort(Comparator.comparingLong((OwnerWaste o) -> o.wasted).reversed());
            List<Owner> result = new ArrayList<>(all.size());
            for (OwnerWaste o : all) {
                result.add(o.owner);
            }
            return List.copyOf(result);
        }

        Report.Finding toFinding() {
            maps.sort(Comparator.comparingLong(Report.MapInfo::wastedBytes).reversed()
                    .thenComparing(Comparator.comparingInt(Report.MapInfo::capacity).reversed()));
            List<Report.MapInfo> largest = List.copyOf(maps.subList(0, Math.min(maps.size(), Report.MAPS_PER_FINDING)));
            String advice = site.kind() == Site.CENSUS
                    ? CensusRemedy.forFinding(container, maps.size(), emptyMaps, largest.get(0))
                    : Remedy.forFinding(kind, container, maps.size(), emptyMaps, neverFilled, largest.get(0));
            return new Report.Finding(List.of(site.frames()), siteKind(site.kind()), container, maps.size(), wasted,
                    largest, advice, ownersByWaste());
        }
    }

    /** One owner of a group's maps and the bytes its maps waste. */
    private static final class OwnerWaste {
        final Owner owner;
        long wasted;

        OwnerWaste(Owner owner) {
            this.owner = owner;
        }
    }

    public static String siteKind(int kind) {
        switch (kind) {
            case Site.DRAIN_AFTER_ATTACH: return "drain-after-attach";
            case Site.REGROWTH_AFTER_ATTACH: return "regrowth-after-attach";
            case Site.CENSUS: return "census";
            default: return "growth";
        }
    }
}
