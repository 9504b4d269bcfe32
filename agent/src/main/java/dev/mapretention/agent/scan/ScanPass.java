package dev.mapretention.agent.scan;

import dev.mapretention.agent.AgentOptions;
import dev.mapretention.agent.kinds.MapKind;
import dev.mapretention.agent.report.CensusRemedy;
import dev.mapretention.agent.report.CensusSummary;
import dev.mapretention.agent.report.Owner;
import dev.mapretention.agent.report.Pattern;
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

/**
 * Re-reads every tracked map and builds a {@link Report}: which maps are sparse, which have been
 * sparse for the grace period, and what their history makes of them (retained, reused or
 * never-filled: {@link Pattern}), grouped by site, container and pattern.
 *
 * <p>It reads the maps' fields directly, never their methods, and groups with identity maps, not
 * HashMaps, so that building a report from any thread never feeds the tracker.
 */
public final class ScanPass {

    /** The least time a map must have been sparse before a pass's read of it full counts as a refill. */
    static final long MIN_SETTLE_MILLIS = 100;

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
     * Makes one pass over the tracked maps: observes every one, judges the sparse ones by their history
     * ({@link #verdict}), groups them by site, container and pattern.
     *
     * @param nowNanos {@code System.nanoTime()} now, before any map is read
     * @return the report, the maps that have just become oversized (the caller sets their flag
     *         once it has logged them and committed their events; the pass clears the flag of maps
     *         no longer oversized) and the oversized groups, for the log
     */
    Pass take(long nowNanos) {
        state.expungeCollected(Integer.MAX_VALUE);
        long graceNanos = options.graceMillis() * 1_000_000L;
        long settleNanos = Math.max(options.scanIntervalMillis(), MIN_SETTLE_MILLIS) * 1_000_000L;
        IdentityHashMap<Site, List<Group>> bySite = new IdentityHashMap<>();
        // Maps a census found have no site: they group by what holds them. A TreeMap (keyed by
        // the owner's JSON), not a HashMap: this runs on any reader's thread, tracked ones too.
        TreeMap<String, Group> byOwner = new TreeMap<>();
        List<Flagged> flagged = new ArrayList<>();
        long tracked = 0;
        long oversized = 0;
        long sparseUnderGrace = 0;
        long awaitingRefill = 0;
        long longestUnderGraceNanos = 0;
        long wasted = 0;
        for (TrackedMap record : state.trackedMaps()) {
            Object map = record.get();
            if (map == null) {
                continue;
            }
            tracked++;
            if (record.site() == null) {
                // Tracked since this pass resolved the waiting sites: judged from the next pass on.
                continue;
            }
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
            boolean sparse = large && state.settings().isSparse(size, capacity);
            if (large) {
                record.observe(sparse, size, nowNanos, settleNanos);
            }
            // This pass's own read decides whether the map is sparse now; the record, since when.
            long since = record.sparseSinceNanos();
            long sparseNanos = sparse && since != 0 ? Math.max(0, nowNanos - since) : -1;
            // Found sparse by a census: sparse since an unknown time, so no grace is owed.
            boolean beforeCensus = sparseNanos >= 0 && record.sparseBeforeCensus();
            Pattern pattern = sparseNanos >= graceNanos || beforeCensus ? verdict(record, sparseNanos) : null;
            if (sparseNanos >= 0 && pattern == null) {
                if (sparseNanos < graceNanos) {
                    sparseUnderGrace++;
                    longestUnderGraceNanos = Math.max(longestUnderGraceNanos, sparseNanos);
                } else {
                    awaitingRefill++;
                }
            }
            boolean isOversized = pattern != null && pattern.oversized();
            Report.MapInfo info = null;
            if (pattern != null) {
                long bytes = kind.wastedBytes(layout, capacity, size, record.container());
                Owner owner = record.owner() instanceof Owner ? (Owner) record.owner() : null;
                info = new Report.MapInfo(record.typeName(), capacity, size,
                        beforeCensus ? Report.SPARSE_SINCE_BEFORE_CENSUS : sparseNanos / 1_000_000L,
                        isOversized ? bytes : 0, owner, isOversized ? 0 : bytes, history(record, nowNanos));
                Group g = record.site().kind() == Site.CENSUS ? byOwner(byOwner, record, owner, pattern)
                        : group(bySite, record, pattern);
                g.add(info);
                if (isOversized) {
                    oversized++;
                    wasted += bytes;
                }
            }
            if (isOversized && !record.isOversized()) {
                flagged.add(new Flagged(record, info, pattern));
            } else if (!isOversized) {
                record.setOversized(false);
            }
            map = null;
        }
        List<Report.Finding> findings = new ArrayList<>();
        List<Oversized> oversizedGroups = new ArrayList<>();
        for (List<Group> groups : bySite.values()) {
            for (Group g : groups) {
                Report.Finding finding = g.toFinding(options.reuseCycles());
                findings.add(finding);
                if (g.pattern.oversized()) {
                    oversizedGroups.add(new Oversized(g.site, finding));
                }
            }
        }
        for (Group g : byOwner.values()) {
            Report.Finding finding = g.toFinding(options.reuseCycles());
            findings.add(finding);
            if (g.pattern.oversized()) {
                oversizedGroups.add(new Oversized(g.site, finding));
            }
        }
        findings.sort(Comparator.comparingLong(Report.Finding::wastedBytes)
                .thenComparingLong(Report.Finding::reusedIdleBytes).reversed());
        Report report = new Report(Instant.now(), ProcessHandle.current().pid(), System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getUptime(), options, tracked, oversized, wasted,
                new Report.UnderGrace(sparseUnderGrace, longestUnderGraceNanos / 1_000_000L, awaitingRefill),
                List.copyOf(findings), new Report.AgentHealth(state.failures(), state.isDisabled(),
                        state.refusedMaps(), state.siteCount(), state.trackedTotal(), state.jdkMapEvents()), census);
        return new Pass(report, flagged, oversizedGroups);
    }

    /**
     * What a map sparse for {@code sparseNanos}, at least the grace period, is; null while that is
     * not decided yet. Never filled: its table was sized beyond anything it held. Never refilled,
     * or sparse for more than {@code reuseCycles} of its own cycles (its refills stopped):
     * retained; so is a map a census found sparse, whose history is not known. Refilled at least
     * {@code reuseRefills} times and sparse for no longer: reused. Refilled fewer times and sparse
     * for no longer: undecided until its next refill.
     */
    Pattern verdict(TrackedMap record, long sparseNanos) {
        if (record.sparseBeforeCensus()) {
            // A census found it sparse: what it held before is not known, only that it is left so.
            return Pattern.RETAINED;
        }
        if (record.neverFilled()) {
            return Pattern.NEVER_FILLED;
        }
        int refills = record.refills();
        if (refills == 0 || sparseNanos > options.reuseCycles() * (record.cycleMillis() * 1_000_000L)) {
            return Pattern.RETAINED;
        }
        return refills >= options.reuseRefills() ? Pattern.REUSED : null;
    }

    private static Report.History history(TrackedMap record, long nowNanos) {
        int refills = record.refills();
        long lastFill = record.lastFillNanos();
        return new Report.History(record.peakSize(), refills, refills == 0 ? 0 : record.cycleMillis(),
                refills == 0 ? -1 : Math.max(0, nowNanos - lastFill) / 1_000_000L);
    }

    private static Group byOwner(TreeMap<String, Group> byOwner, TrackedMap record, Owner owner, Pattern pattern) {
        StringBuilder key = new StringBuilder(record.container()).append('\u0000').append(pattern.label())
                .append('\u0000').append(owner == null ? "" : owner.toJsonString());
        return byOwner.computeIfAbsent(key.toString(),
                k -> new Group(record.site(), MapKind.of(record.kind()), record.container(), pattern));
    }

    private static Group group(IdentityHashMap<Site, List<Group>> bySite, TrackedMap record, Pattern pattern) {
        List<Group> groups = bySite.computeIfAbsent(record.site(), s -> new ArrayList<>(1));
        for (Group g : groups) {
            if (g.pattern == pattern && g.container.equals(record.container())) {
                return g;
            }
        }
        Group g = new Group(record.site(), MapKind.of(record.kind()), record.container(), pattern);
        groups.add(g);
        return g;
    }

    /**
     * One pass's outcome.
     *
     * @param report    the report
     * @param flagged   the maps that have just become oversized, for their JFR events
     * @param oversized the oversized findings with their sites, for the log
     */
    record Pass(Report report, List<Flagged> flagged, List<Oversized> oversized) {
    }

    /** An oversized (retained or never-filled) finding and the site it belongs to. */
    record Oversized(Site site, Report.Finding finding) {
    }

    /**
     * A map that has just become oversized, for its JFR event; the scanner sets its record's flag
     * once that is done.
     */
    public record Flagged(TrackedMap record, Report.MapInfo map, Pattern pattern) {

        public Site site() {
            return record.site();
        }

        public String container() {
            return record.container();
        }
    }

    /** The sparse maps of one (site, container, pattern), while counting. */
    private static final class Group {
        final Site site;
        final MapKind kind;
        final String container;
        final Pattern pattern;
        final List<Report.MapInfo> maps = new ArrayList<>();
        long bytes;
        int emptyMaps;
        /** Distinct owners, by their JSON, with the waste of the maps they hold. */
        final TreeMap<String, OwnerWaste> owners = new TreeMap<>();

        Group(Site site, MapKind kind, String container, Pattern pattern) {
            this.site = site;
            this.kind = kind;
            this.container = container;
            this.pattern = pattern;
        }

        void add(Report.MapInfo info) {
            maps.add(info);
            bytes += info.wastedBytes() + info.idleBytes();
            emptyMaps += info.size() == 0 ? 1 : 0;
            if (info.owner() != null) {
                owners.computeIfAbsent(info.owner().toJsonString(), k -> new OwnerWaste(info.owner())).wasted
                        += info.wastedBytes() + info.idleBytes();
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

        Report.Finding toFinding(int reuseCycles) {
            maps.sort(Comparator.comparingLong((Report.MapInfo m) -> m.wastedBytes() + m.idleBytes()).reversed()
                    .thenComparing(Comparator.comparingInt(Report.MapInfo::capacity).reversed()));
            List<Report.MapInfo> largest = List.copyOf(maps.subList(0, Math.min(maps.size(), Report.MAPS_PER_FINDING)));
            boolean reused = pattern == Pattern.REUSED;
            // What a census found sparse has no known history or site: its own advice. Once the
            // hooks have seen it refilled, it has a history like any other map.
            String advice = site.kind() == Site.CENSUS && largest.get(0).history().refills() == 0
                    ? CensusRemedy.forFinding(container, maps.size(), emptyMaps, largest.get(0))
                    : Remedy.forFinding(kind, container, pattern, maps.size(), emptyMaps, largest.get(0), reuseCycles);
            return new Report.Finding(List.of(site.frames()), siteKind(site.kind()), container,
                    reused ? 0 : maps.size(), reused ? 0 : bytes, largest, advice, ownersByWaste(),
                    pattern, reused ? maps.size() : 0, reused ? bytes : 0);
        }
    }

    /** One owner of a group's maps and the bytes its maps waste (or hold idle). */
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
