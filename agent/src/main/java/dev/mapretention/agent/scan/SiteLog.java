package dev.mapretention.agent.scan;

import dev.mapretention.agent.boot.Site;
import dev.mapretention.agent.report.Pattern;
import dev.mapretention.agent.report.Report;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The log's lines on oversized sites: one when a (site, container, pattern) first has oversized
 * maps, again only when its waste has at least doubled since it was last said, or a day after
 * that: never at every scan, nor at every cycle of a map. A line names the site's innermost frame
 * and, when another site said shares that frame, also the first frame where the two differ.
 *
 * <p>It remembers one entry per (site, container, pattern) said, so it is bounded as the sites
 * are ({@code maxSites}). Used by the scanner under its lock; no hash maps (a TreeMap keyed by
 * frame), so that it never trains the JIT's profile of HashMap.
 */
final class SiteLog {

    /** A site still oversized is said again after this long. */
    static final long REPEAT_AFTER_NANOS = 24L * 3_600_000_000_000L;

    /** A site whose waste grew by this factor since it was last said is said again. */
    static final int GROWTH_FACTOR = 2;

    /** Where a line goes: the agent's log at info level. */
    private final Consumer<String> info;
    private final IdentityHashMap<Site, List<Said>> said = new IdentityHashMap<>();
    /** The sites said, by innermost frame: to tell apart sites that share it. */
    private final TreeMap<String, List<Site>> saidByTopFrame = new TreeMap<>();

    SiteLog(Consumer<String> info) {
        this.info = info;
    }

    /** Says what is due of this pass's oversized findings. */
    void log(List<ScanPass.Oversized> oversized, long nowNanos) {
        List<ScanPass.Oversized> due = new ArrayList<>();
        List<String> openings = new ArrayList<>();
        for (ScanPass.Oversized o : oversized) {
            Report.Finding f = o.finding();
            Said before = said(o.site(), key(o), f.pattern());
            String opening;
            if (before == null) {
                opening = "oversized: " + maps(f) + " wasting " + Report.bytes(f.wastedBytes());
            } else if (f.wastedBytes() >= GROWTH_FACTOR * before.wastedBytes) {
                opening = "oversized: " + maps(f) + " wasting " + Report.bytes(f.wastedBytes()) + ", up from "
                        + Report.bytes(before.wastedBytes);
            } else if (nowNanos - before.atNanos >= REPEAT_AFTER_NANOS) {
                opening = "oversized: " + maps(f) + " still wasting " + Report.bytes(f.wastedBytes());
            } else {
                continue;
            }
            due.add(o);
            openings.add(opening);
        }
        for (int i = 0; i < due.size(); i++) {
            ScanPass.Oversized o = due.get(i);
            Report.Finding f = o.finding();
            Report.MapInfo largest = f.maps().get(0);
            info.accept(String.format(Locale.ROOT, "%s (capacity %,d, size %,d%s%s), %s", openings.get(i),
                    largest.capacity(), largest.size(), f.oversizedMaps() == 1 ? "" : " for the largest",
                    f.pattern() == Pattern.NEVER_FILLED ? ", never filled" : "", where(o, oversized)));
            remember(o, nowNanos);
        }
    }

    private static String maps(Report.Finding f) {
        return (f.oversizedMaps() == 1 ? "1 " : f.oversizedMaps() + " maps of ") + f.container();
    }

    /**
     * What a line is said for, beside its site and pattern: the container, and for maps a census
     * found (which share one site), what holds them.
     */
    private static String key(ScanPass.Oversized o) {
        Report.Finding f = o.finding();
        return o.site().kind() == Site.CENSUS && !f.owners().isEmpty()
                ? f.container() + '\u0000' + f.owners().get(0).toJsonString() : f.container();
    }

    private static String label(Site site, Pattern pattern) {
        switch (site.kind()) {
            case Site.DRAIN_AFTER_ATTACH: return "drained at";
            case Site.REGROWTH_AFTER_ATTACH: return "regrown at";
            default: return pattern == Pattern.NEVER_FILLED ? "sized at" : "grown at";
        }
    }

    /**
     * Where the maps come from: the site's innermost frame, and when other sites (said before, or
     * oversized in this pass) share it, {@code via} the first of its frames that differs from each
     * of theirs; for maps a census found, what holds (one of) them.
     */
    private String where(ScanPass.Oversized o, List<ScanPass.Oversized> pass) {
        Site site = o.site();
        Report.Finding f = o.finding();
        if (site.kind() == Site.CENSUS) {
            Report.MapInfo largest = f.maps().get(0);
            return "found by the census, " + (f.oversizedMaps() == 1 ? "" : "one of them ") + "held by "
                    + (largest.owner() != null ? largest.owner().describe() : "something the census did not trace");
        }
        String label = label(site, f.pattern());
        if (site.depth() == 0) {
            return label + " an unknown site";
        }
        String top = site.frame(0);
        int differs = -1;
        List<Site> before = saidByTopFrame.get(top);
        if (before != null) {
            for (Site other : before) {
                differs = Math.max(differs, firstDifference(site, other));
            }
        }
        for (ScanPass.Oversized other : pass) {
            if (other.site().depth() > 0 && other.site().frame(0).equals(top)) {
                differs = Math.max(differs, firstDifference(site, other.site()));
            }
        }
        return label + " " + (differs > 0 ? top + " via " + site.frame(differs) : top);
    }

    /** The index of the first of {@code site}'s frames that differs from {@code other}'s, or -1. */
    private static int firstDifference(Site site, Site other) {
        if (site == other) {
            return -1;
        }
        int i = 0;
        while (i < site.depth() && i < other.depth() && site.frame(i).equals(other.frame(i))) {
            i++;
        }
        return i < site.depth() ? i : -1;
    }

    private Said said(Site site, String container, Pattern pattern) {
        List<Said> atSite = said.get(site);
        if (atSite != null) {
            for (Said s : atSite) {
                if (s.pattern == pattern && s.container.equals(container)) {
                    return s;
                }
            }
        }
        return null;
    }

    private void remember(ScanPass.Oversized o, long nowNanos) {
        Site site = o.site();
        Report.Finding f = o.finding();
        Said s = said(site, key(o), f.pattern());
        if (s == null) {
            s = new Said(key(o), f.pattern());
            said.computeIfAbsent(site, k -> new ArrayList<>(1)).add(s);
            if (site.depth() > 0 && site.kind() != Site.CENSUS) {
                List<Site> sharing = saidByTopFrame.computeIfAbsent(site.frame(0), k -> new ArrayList<>(1));
                if (!sharing.contains(site)) {
                    sharing.add(site);
                }
            }
        }
        s.wastedBytes = f.wastedBytes();
        s.atNanos = nowNanos;
    }

    /** What was last said of one (site, container or holder, pattern). */
    private static final class Said {
        /** The container, and for maps a census found, what holds them ({@link #key}). */
        final String container;
        final Pattern pattern;
        long wastedBytes;
        long atNanos;

        Said(String container, Pattern pattern) {
            this.container = container;
            this.pattern = pattern;
        }
    }
}
