package dev.mapretention.agent.report;

import dev.mapretention.agent.kinds.MapKind;

import java.util.Locale;

/**
 * The one sentence of advice for a finding: what to change at its site, for its pattern. The
 * expressions it names come from the map's {@link MapKind}, so it never advises a method the
 * class lacks.
 */
public final class Remedy {

    private Remedy() {
    }

    /**
     * @param maps        how many maps the finding counts
     * @param emptyMaps   how many of them are empty
     * @param largest     the largest of them
     * @param reuseCycles the {@code reuseCycles} option, which a retained map with refills outlived
     */
    public static String forFinding(MapKind kind, String container, Pattern pattern, long maps, long emptyMaps,
                                    Report.MapInfo largest, int reuseCycles) {
        String capacity = String.format(Locale.ROOT, "%,d", largest.capacity());
        boolean one = maps == 1;
        String these = one ? "This " + container : "These " + maps + " " + container + "s";
        String table = one ? "its " + capacity + "-slot table" : "their tables (up to " + capacity + " slots)";
        String it = one ? "it" : "them";
        Report.History history = largest.history();
        if (pattern == Pattern.NEVER_FILLED) {
            return these + (one ? " was" : " were") + " given " + table + " but never filled " + it
                    + ": size " + it + " for what " + (one ? "it holds" : "they hold")
                    + " (a smaller initial capacity, or none) at this site.";
        }
        if (pattern == Pattern.REUSED) {
            int peak = Math.max(history.peakSize(), largest.size());
            return these + (one ? " is" : " are") + " reused (refilled " + (one ? "" : "up to ")
                    + Report.times(history.refills()) + ", every ~" + Report.duration(history.cycleMillis()) + ", to "
                    + Report.about(peak) + " entries): keep " + it + ", since " + table + (one ? " is" : " are")
                    + " needed at each peak, or create " + (one ? "it" : "each") + " with "
                    + (one ? "that table" : "such a table") + " from the start ("
                    + kind.sizedExpression(container, largest.capacity()) + ") so that it never regrows;"
                    + " replacing " + it + " with " + (one ? "a new one" : "new ones") + " would regrow the "
                    + (one ? "table" : "tables") + " every cycle.";
        }
        String replace = emptyMaps == maps
                ? "replace " + (one ? "it" : "each") + " with a new one (" + kind.freshExpression(container) + ")"
                : "replace " + (one ? "it" : "each") + " with a copy (" + kind.copyExpression(container)
                + "), whose table fits what is left";
        if (history.refills() > 0) {
            // Reused once, but its refills stopped: say both what to do if they are over and if not.
            return these + (one ? " was" : " were") + " refilled " + Report.times(history.refills()) + ", every ~"
                    + Report.duration(history.cycleMillis()) + ", but not for more than " + reuseCycles + " of "
                    + (one ? "its" : "their") + " cycles, and " + (one ? "keeps " : "keep ") + table + ": "
                    + kind.whyItStays(container) + ", so if the cycles are over, " + replace
                    + "; if they resume, keep " + it + ".";
        }
        if (emptyMaps == maps) {
            return these + " drained to empty but " + (one ? "keeps " : "keep ") + table + ": "
                    + kind.whyItStays(container) + ", so " + replace + kind.afterDrainHint(container) + ".";
        }
        return these + " shrank far below " + (one ? "its" : "their") + " peak but " + (one ? "keeps " : "keep ")
                + table + ": " + kind.whyItStays(container) + ", so after a large removal " + replace + ".";
    }
}
