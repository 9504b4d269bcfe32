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
 * @param oversizedMaps oversized maps, over all findings
 * @param wastedBytes   bytes wasted by them
 * @param underGrace    maps sparse now but not yet for the grace period
 * @param findings      one per (site, container), largest waste first
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
     * The oversized maps of one site and container.
     *
     * @param site          frames, innermost first
     * @param siteKind      {@code growth}, {@code drain-after-attach} or {@code regrowth-after-attach}
     * @param container     what the application holds
     * @param oversizedMaps how many maps, all counted
     * @param wastedBytes   their waste, all counted
     * @param maps          the largest of them, at most {@link #MAPS_PER_FINDING}
     * @param advice        one sentence: what to change at this site
     * @param owners        what holds its maps, as heap censuses found it: distinct, largest waste
     *                      first (empty when no census found them)
     */
    public record Finding(List<String> site, String siteKind, String container, long oversizedMaps,
                          long wastedBytes, List<MapInfo> maps, String advice, List<Owner> owners) {

        /** A finding no census has described. */
        public Finding(List<String> site, String siteKind, String container, long oversizedMaps, long wastedBytes,
                       List<MapInfo> maps, String advice) {
            this(site, siteKind, container, oversizedMaps, wastedBytes, maps, advice, List.of());
        }
    }

    /**
     * The tracked maps that are sparse but not yet for the grace period: not findings, but what a
     * short-lived program wants to hear of at exit.
     *
     * @param maps                 how many
     * @param longestSparseMillis  the longest any of them has been sparse
     */
    public record UnderGrace(long maps, long longestSparseMillis) {
    }

    /**
     * One oversized map.
     *
     * @param sparseForMillis how long it has been sparse, or {@link #SPARSE_SINCE_BEFORE_CENSUS}
     * @param owner           what holds it, as the last heap census found it, or null
     */
    public record MapInfo(String type, int capacity, int size, long sparseForMillis, long wastedBytes, Owner owner) {

        /** A map whose holder no census has found. */
        public MapInfo(String type, int capacity, int size, long sparseForMillis, long wastedBytes) {
            this(type, capacity, size, sparseForMillis, wastedBytes, null);
        }

        /** True when a census found it sparse already, so that how long it has been is not known. */
        public boolean sparseSinceBeforeCensus() {
            return sparseForMillis == SPARSE_SINCE_BEFORE_CENSUS;
        }
    }

    /** {@link MapInfo#sparseForMillis()} of a map a census found sparse: since when is not known. */
    public static final long SPARSE_SINCE_BEFORE_CENSUS = -1;

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
                .append(", \"censusBudgetMillis\": ").append(options.censusBudgetMillis()).append("},\n");
        out.append("  \"summary\": {\"trackedMaps\": ").append(trackedMaps)
                .append(", \"oversizedMaps\": ").append(oversizedMaps)
                .append(", \"wastedBytes\": ").append(wastedBytes)
                .append(", \"sparseUnderGrace\": ").append(underGrace.maps()).append("},\n");
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
            Json.string(out, f.container()).append(",\n      \"oversizedMaps\": ").append(f.oversizedMaps())
                    .append(",\n      \"wastedBytes\": ").append(f.wastedBytes()).append(",\n      \"maps\": [");
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
                out.append(", \"wastedBytes\": ").append(m.wastedBytes());
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
            length += 256 + f.advice().length() + 128L * f.maps().size() + 160L * f.owners().size();
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
        if (census != null) {
            out.append(census.toText()).append('\n');
        }
        if (findings.isEmpty()) {
            out.append("\nNo oversized maps.\n");
        }
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            out.append('\n').append('#').append(i + 1).append("  ").append(bytes(f.wastedBytes()))
                    .append(" wasted by ").append(f.oversizedMaps()).append(' ').append(f.container())
                    .append(f.oversizedMaps() == 1 ? "" : " maps").append('\n');
            String label = siteLabel(f.siteKind());
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
                        .append(", ").append(bytes(m.wastedBytes())).append(" wasted (")
                        .append(m.type()).append(")\n");
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

    private static String siteLabel(String siteKind) {
        switch (siteKind) {
            case "drain-after-attach": return "drained at";
            case "regrowth-after-attach": return "regrown at";
            default: return "grown at";
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
