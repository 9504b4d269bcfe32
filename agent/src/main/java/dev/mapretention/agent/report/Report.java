package dev.mapretention.agent.report;

import dev.mapretention.agent.AgentOptions;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * One report: what the agent tracks and the oversized maps it found, grouped by site and
 * container. It is rendered as the JSON of the contract ({@code map-retention-report/1}) or as a
 * readable text table. Neither ever contains a key or a value of any map.
 *
 * @param generatedAt   when it was made
 * @param pid           this JVM's process id
 * @param javaVersion   {@code java.version}
 * @param uptimeMillis  this JVM's uptime
 * @param options       the agent's settings
 * @param trackedMaps   maps tracked now
 * @param oversizedMaps oversized maps (retained and never-filled), over all findings
 * @param wastedBytes   bytes wasted by them
 * @param underGrace    maps sparse now that are not judged yet
 * @param findings      one per (site, container, pattern), largest waste first, then reused ones
 * @param agent         the agent's own health
 * @param census        the last heap census taken in this JVM, or null when none was
 */
public record Report(Instant generatedAt, long pid, String javaVersion, long uptimeMillis, AgentOptions options,
                     long trackedMaps, long oversizedMaps, long wastedBytes, UnderGrace underGrace,
                     List<Finding> findings, AgentHealth agent, CensusSummary census) {

    /** A report of a JVM where no heap census was taken. */
    public Report(Instant generatedAt, long pid, String javaVersion, long uptimeMillis, AgentOptions options,
                  long trackedMaps, long oversizedMaps, long wastedBytes, UnderGrace underGrace, List<Finding> findings,
                  AgentHealth agent) {
        this(generatedAt, pid, javaVersion, uptimeMillis, options, trackedMaps, oversizedMaps, wastedBytes, underGrace,
                findings, agent, null);
    }

    /** The format name in every JSON report. */
    public static final String FORMAT = "map-retention-report/1";

    /** The most maps listed in one finding. */
    public static final int MAPS_PER_FINDING = 10;

    /**
     * The sparse maps of one site (or, for maps a census found, one holder), container and
     * pattern: oversized ones (retained or never-filled), or reused ones, which are not counted as
     * oversized.
     *
     * @param site            frames, innermost first
     * @param siteKind        {@code growth}, {@code drain-after-attach}, {@code regrowth-after-attach} or {@code census}
     * @param container       what the application holds
     * @param oversizedMaps   how many oversized maps, all counted (0 for a reused finding)
     * @param wastedBytes     their waste, all counted (0 for a reused finding)
     * @param maps            the largest of them, at most {@link #MAPS_PER_FINDING}
     * @param advice          one sentence: what to change at this site
     * @param owners          what holds its maps, as heap censuses found it: distinct, largest waste
     *                        first (empty when no census found them)
     * @param pattern         what their history says: retained, reused or never-filled
     * @param reusedMaps      how many reused maps, all counted (0 unless reused)
     * @param reusedIdleBytes what their tables hold beyond copies while idle between cycles (0 unless reused)
     */
    public record Finding(List<String> site, String siteKind, String container, long oversizedMaps,
                          long wastedBytes, List<MapInfo> maps, String advice, List<Owner> owners, Pattern pattern,
                          long reusedMaps, long reusedIdleBytes) {
    }

    /**
     * The tracked maps that are sparse but not judged yet: not findings, but what a short-lived
     * program wants to hear of at exit.
     *
     * @param maps                how many are sparse for less than the grace period
     * @param longestSparseMillis the longest any of those has been sparse
     * @param awaitingRefill      how many, refilled before (but fewer than {@code reuseRefills}
     *                            times), are sparse for the grace period but not for
     *                            {@code reuseCycles} of their own cycles: reused or retained is
     *                            decided at their next refill, or when those cycles are over
     */
    public record UnderGrace(long maps, long longestSparseMillis, long awaitingRefill) {
    }

    /**
     * One sparse map, oversized or reused.
     *
     * @param sparseForMillis how long it has been sparse, or {@link #SPARSE_SINCE_BEFORE_CENSUS}
     * @param wastedBytes     its table minus a copy's (0 for a reused map)
     * @param owner           what holds it, as the last heap census found it, or null
     * @param idleBytes       for a reused map, its table minus a copy's while it is idle (else 0)
     * @param history         what the agent saw of it over time
     */
    public record MapInfo(String type, int capacity, int size, long sparseForMillis, long wastedBytes, Owner owner,
                          long idleBytes, History history) {

        /** True when a census found it sparse already, so that how long it has been is not known. */
        public boolean sparseSinceBeforeCensus() {
            return sparseForMillis == SPARSE_SINCE_BEFORE_CENSUS;
        }
    }

    /** {@link MapInfo#sparseForMillis()} of a map a census found sparse: since when is not known. */
    public static final long SPARSE_SINCE_BEFORE_CENSUS = -1;

    /**
     * A map's history.
     *
     * @param peakSize            the most entries it was seen holding
     * @param refills             how many times it went back to the sparse limit after being sparse
     * @param cycleMillis         its usual time from one fill to the next (the last ones weigh
     *                            most); 0 before its first refill
     * @param lastRefillAgoMillis how long ago it was last refilled, or -1 if never
     */
    public record History(int peakSize, int refills, long cycleMillis, long lastRefillAgoMillis) {
    }

    /** Reused maps, over all findings: not counted in {@link #oversizedMaps()}. */
    public long reusedMaps() {
        long n = 0;
        for (Finding f : findings) {
            n += f.reusedMaps();
        }
        return n;
    }

    /** What the reused maps' tables hold beyond copies while idle between cycles. */
    public long reusedIdleBytes() {
        long n = 0;
        for (Finding f : findings) {
            n += f.reusedIdleBytes();
        }
        return n;
    }

    /**
     * The agent's own health: counted failures, refused maps, and so on.
     *
     * @param trackerFailures failures inside HashMap operations, each suppressed
     * @param trackingDisabled true when repeated failures switched tracking off
     * @param refusedMaps     maps not tracked because {@code maxTrackedMaps} were tracked already
     * @param sites           distinct sites kept
     * @param trackedTotal    maps tracked since start
     * @param jdkMapEvents    events of large maps left untracked because only the JDK's own code grew them
     */
    public record AgentHealth(long trackerFailures, boolean trackingDisabled, long refusedMaps, long sites,
                              long trackedTotal, long jdkMapEvents) {
    }

    /** The JSON report, as the contract defines it, with the agent's health added. */
    public String toJson() {
        StringBuilder out = new StringBuilder(jsonLengthEstimate());
        out.append("{\n  \"format\": \"").append(FORMAT).append("\",\n");
        out.append("  \"generatedAt\": \"").append(generatedAt.truncatedTo(ChronoUnit.MILLIS)).append("\",\n");
        out.append("  \"jvm\": {\"pid\": ").append(pid).append(", \"javaVersion\": ");
        Json.string(out, javaVersion).append(", \"uptimeMillis\": ").append(uptimeMillis).append("},\n");
        out.append("  \"settings\": {\"minCapacity\": ").append(options.minCapacity())
                .append(", \"sparseFill\": ").append(options.sparseFill())
                .append(", \"graceMillis\": ").append(options.graceMillis())
                .append(", \"scanIntervalMillis\": ").append(options.scanIntervalMillis())
                .append(", \"report\": ");
        if (options.report() == null) {
            out.append("null");
        } else {
            Json.string(out, options.report().toString());
        }
        out.append(", \"log\": ");
        Json.string(out, options.log().name().toLowerCase(Locale.ROOT))
                .append(", \"maxTrackedMaps\": ").append(options.maxTrackedMaps())
                .append(", \"maxSites\": ").append(options.maxSites())
                .append(", \"siteDepth\": ").append(options.siteDepth())
                .append(", \"censusBudgetMillis\": ").append(options.censusBudgetMillis())
                .append(", \"reuseRefills\": ").append(options.reuseRefills())
                .append(", \"reuseCycles\": ").append(options.reuseCycles()).append("},\n");
        out.append("  \"summary\": {\"trackedMaps\": ").append(trackedMaps)
                .append(", \"oversizedMaps\": ").append(oversizedMaps)
                .append(", \"wastedBytes\": ").append(wastedBytes)
                .append(", \"reusedMaps\": ").append(reusedMaps())
                .append(", \"reusedIdleBytes\": ").append(reusedIdleBytes())
                .append(", \"sparseUnderGrace\": ").append(underGrace.maps())
                .append(", \"awaitingRefill\": ").append(underGrace.awaitingRefill()).append("},\n");
        out.append("  \"agent\": {\"trackerFailures\": ").append(agent.trackerFailures())
                .append(", \"trackingDisabled\": ").append(agent.trackingDisabled())
                .append(", \"refusedMaps\": ").append(agent.refusedMaps())
                .append(", \"sites\": ").append(agent.sites())
                .append(", \"trackedTotal\": ").append(agent.trackedTotal())
                .append(", \"jdkMapEvents\": ").append(agent.jdkMapEvents()).append("},\n");
        if (census != null) {
            census.toJson(out.append("  \"census\": "));
            out.append(",\n");
        }
        out.append("  \"findings\": [");
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("    {\n      \"site\": [");
            for (int j = 0; j < f.site().size(); j++) {
                Json.string(out.append(j == 0 ? "" : ", "), f.site().get(j));
            }
            out.append("],\n      \"siteKind\": ");
            Json.string(out, f.siteKind()).append(",\n      \"container\": ");
            Json.string(out, f.container()).append(",\n      \"pattern\": ");
            Json.string(out, f.pattern().label()).append(",\n      \"oversizedMaps\": ").append(f.oversizedMaps())
                    .append(",\n      \"wastedBytes\": ").append(f.wastedBytes())
                    .append(",\n      \"reusedMaps\": ").append(f.reusedMaps())
                    .append(",\n      \"reusedIdleBytes\": ").append(f.reusedIdleBytes())
                    .append(",\n      \"maps\": [");
            for (int j = 0; j < f.maps().size(); j++) {
                MapInfo m = f.maps().get(j);
                out.append(j == 0 ? "\n" : ",\n").append("        {\"type\": ");
                Json.string(out, m.type()).append(", \"capacity\": ").append(m.capacity())
                        .append(", \"size\": ").append(m.size());
                if (m.sparseSinceBeforeCensus()) {
                    out.append(", \"sparseForMillis\": null, \"sparseSince\": \"before-census\"");
                } else {
                    out.append(", \"sparseForMillis\": ").append(m.sparseForMillis());
                }
                out.append(", \"wastedBytes\": ").append(m.wastedBytes())
                        .append(", \"idleBytes\": ").append(m.idleBytes())
                        .append(", \"peakSize\": ").append(m.history().peakSize())
                        .append(", \"refills\": ").append(m.history().refills())
                        .append(", \"cycleMillis\": ").append(m.history().cycleMillis())
                        .append(", \"lastRefillAgoMillis\": ");
                long ago = m.history().lastRefillAgoMillis();
                out.append(ago < 0 ? "null" : Long.toString(ago));
                if (m.owner() != null) {
                    m.owner().toJson(out.append(", \"owner\": "));
                }
                out.append('}');
            }
            out.append(f.maps().isEmpty() ? "" : "\n      ").append("],\n");
            if (!f.owners().isEmpty()) {
                out.append("      \"owners\": [");
                for (int j = 0; j < f.owners().size(); j++) {
                    f.owners().get(j).toJson(out.append(j == 0 ? "" : ", "));
                }
                out.append("],\n");
            }
            out.append("      \"advice\": ");
            Json.string(out, f.advice()).append("\n    }");
        }
        out.append(findings.isEmpty() ? "" : "\n  ").append("]\n}\n");
        return out.toString();
    }

    /** About the JSON's length, so that a report of thousands of findings is not copied as it grows. */
    private int jsonLengthEstimate() {
        long length = 1024;
        for (Finding f : findings) {
            length += 320 + f.advice().length() + 224L * f.maps().size() + 160L * f.owners().size();
            for (String frame : f.site()) {
                length += frame.length() + 4;
            }
        }
        return (int) Math.min(length, Integer.MAX_VALUE - 16);
    }

    /** The readable report: a summary, then each finding with its site, largest map and advice. */
    public String toText() {
        StringBuilder out = new StringBuilder(512 + findings.size() * 512);
        out.append("map-retention report for pid ").append(pid).append(" (Java ").append(javaVersion)
                .append(", up ").append(duration(uptimeMillis)).append(", ")
                .append(generatedAt.truncatedTo(ChronoUnit.SECONDS)).append(")\n");
        out.append("settings: minCapacity=").append(options.minCapacity()).append(" sparseFill=")
                .append(options.sparseFill()).append(" grace=").append(duration(options.graceMillis()))
                .append(" scanInterval=").append(duration(options.scanIntervalMillis())).append('\n');
        out.append("tracked maps: ").append(trackedMaps).append("   oversized: ").append(oversizedMaps)
                .append("   wasted: ").append(bytes(wastedBytes)).append('\n');
        long reused = reusedMaps();
        if (reused > 0) {
            out.append("reused: ").append(reused == 1 ? "1 map" : reused + " maps").append(", ")
                    .append(bytes(reusedIdleBytes())).append(" idle between cycles (not counted as oversized)\n");
        }
        if (agent.trackerFailures() > 0 || agent.trackingDisabled() || agent.refusedMaps() > 0) {
            out.append("agent: ").append(agent.trackerFailures()).append(" tracker failures")
                    .append(agent.trackingDisabled() ? ", tracking switched off after repeated failures" : "")
                    .append(agent.refusedMaps() > 0 ? ", " + agent.refusedMaps()
                            + " maps not tracked (maxTrackedMaps=" + options.maxTrackedMaps() + " reached)" : "")
                    .append('\n');
        }
        if (underGrace.maps() > 0) {
            out.append(underGraceLine()).append('\n');
        }
        if (underGrace.awaitingRefill() > 0) {
            out.append(awaitingRefillLine()).append('\n');
        }
        if (census != null) {
            out.append(census.toText()).append('\n');
        }
        if (oversizedMaps == 0) {
            out.append("\nNo oversized maps.\n");
        }
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            out.append('\n').append('#').append(i + 1).append("  ");
            if (f.pattern() == Pattern.REUSED) {
                out.append(bytes(f.reusedIdleBytes())).append(" idle between cycles in ").append(f.reusedMaps())
                        .append(" reused ").append(f.container()).append(f.reusedMaps() == 1 ? "" : " maps");
            } else {
                out.append(bytes(f.wastedBytes())).append(" wasted by ").append(f.oversizedMaps()).append(' ')
                        .append(f.container()).append(f.oversizedMaps() == 1 ? "" : " maps");
            }
            out.append(f.pattern() == Pattern.NEVER_FILLED ? ", never filled\n" : "\n");
            String label = siteLabel(f.siteKind(), f.pattern());
            for (int j = 0; j < f.site().size(); j++) {
                out.append(j == 0 ? "    " + label + " " : " ".repeat(5 + label.length()))
                        .append(f.site().get(j)).append('\n');
            }
            if (f.siteKind().equals("census")) {
                out.append("    found by the heap census (it grew before the agent could see where)\n");
            }
            ownersText(out, f.owners());
            if (!f.maps().isEmpty()) {
                MapInfo m = f.maps().get(0);
                out.append("    largest: capacity ").append(String.format(Locale.ROOT, "%,d", m.capacity()))
                        .append(", size ").append(String.format(Locale.ROOT, "%,d", m.size()))
                        .append(m.sparseSinceBeforeCensus() ? ", sparse since before the census"
                                : ", sparse for " + duration(m.sparseForMillis()))
                        .append(", ").append(bytes(f.pattern() == Pattern.REUSED ? m.idleBytes() : m.wastedBytes()))
                        .append(f.pattern() == Pattern.REUSED ? " idle (" : " wasted (")
                        .append(m.type()).append(")\n");
                out.append("    history: ").append(historyLine(f, m)).append('\n');
            }
            out.append("    advice: ").append(f.advice()).append('\n');
        }
        return out.toString();
    }

    /**
     * One line on the maps sparse for less than the grace period, e.g. {@code 1 map sparse for
     * 2.1s, under grace=60.0s}: for a short-lived program, what it would have been told later.
     */
    public String underGraceLine() {
        long maps = underGrace.maps();
        return (maps == 1 ? "1 map" : maps + " maps") + " sparse for " + (maps == 1 ? "" : "up to ")
                + duration(underGrace.longestSparseMillis()) + ", under grace=" + duration(options.graceMillis())
                + " (not yet reported as oversized)";
    }

    /** At most three "held by" lines, the largest waste first. */
    private static void ownersText(StringBuilder out, List<Owner> owners) {
        int shown = Math.min(owners.size(), 3);
        for (int j = 0; j < shown; j++) {
            out.append("    held by ").append(owners.get(j).describe()).append('\n');
        }
        if (owners.size() > shown) {
            out.append("    and held by ").append(owners.size() - shown).append(" more\n");
        }
    }

    /**
     * One line on the maps refilled before that wait for their next refill, e.g. {@code 1 map
     * refilled before is sparse, within reuseCycles=3 of its cycles (not yet judged reused or retained)}.
     */
    String awaitingRefillLine() {
        long maps = underGrace.awaitingRefill();
        return (maps == 1 ? "1 map refilled before is" : maps + " maps refilled before are")
                + " sparse, within reuseCycles=" + options.reuseCycles() + " of " + (maps == 1 ? "its" : "their")
                + " cycles (not yet judged reused or retained)";
    }

    /**
     * A map's history in one line, e.g. {@code refilled 14 times, every ~5.0m, to ~180,000
     * entries; idle 6.0 MiB between}.
     */
    String historyLine(Finding f, MapInfo m) {
        History h = m.history();
        String peak = about(Math.max(h.peakSize(), m.size()));
        if (m.sparseSinceBeforeCensus()) {
            return "found sparse by a heap census, holding " + about(m.size()) + " entries: what it held before is not known";
        }
        if (f.pattern() == Pattern.NEVER_FILLED) {
            return "never filled: seen holding at most " + peak + " entries in its " + count(m.capacity()) + " slots";
        }
        if (h.refills() == 0) {
            return "seen holding up to " + peak + " entries, drained, never refilled";
        }
        String refilled = "refilled " + times(h.refills()) + ", every ~" + duration(h.cycleMillis()) + ", to "
                + peak + " entries";
        if (f.pattern() == Pattern.REUSED) {
            return refilled + "; idle " + bytes(f.reusedIdleBytes()) + " between"
                    + (f.reusedMaps() == 1 ? "" : " (all " + f.reusedMaps() + " maps)");
        }
        return refilled + "; not since " + duration(h.lastRefillAgoMillis()) + " ago (more than reuseCycles="
                + options.reuseCycles() + " of its cycles: its refills stopped)";
    }

    static String times(long n) {
        return n == 1 ? "once" : n == 2 ? "twice" : n + " times";
    }

    /** A count with thousands separators. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** An entry count as the agent knows it, from samples: to two significant digits from 1,000 up. */
    static String about(long n) {
        if (n < 1000) {
            return Long.toString(n);
        }
        long scale = 1;
        while (n / scale >= 100) {
            scale *= 10;
        }
        return "~" + count((n + scale / 2) / scale * scale);
    }

    /** What a finding's site is labelled with: where its maps grew, were sized, drained or regrew. */
    static String siteLabel(String siteKind, Pattern pattern) {
        switch (siteKind) {
            case "drain-after-attach": return "drained at";
            case "regrowth-after-attach": return "regrown at";
            default: return pattern == Pattern.NEVER_FILLED ? "sized at" : "grown at";
        }
    }

    /** Bytes in the largest binary unit that keeps a number of at least 1. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A duration as the options write them: 500ms, 30s, 5m, 1h (rounded for reading). */
    static String duration(long millis) {
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        if (millis < 3_600_000) {
            return String.format(Locale.ROOT, "%.1fm", millis / 60_000.0);
        }
        return String.format(Locale.ROOT, "%.1fh", millis / 3_600_000.0);
    }
}
