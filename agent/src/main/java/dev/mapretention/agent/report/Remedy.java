package dev.mapretention.agent.report;

import dev.mapretention.agent.kinds.MapKind;

import java.util.Locale;

/**
 * The one sentence of advice for a finding: what to change at its site. The expressions it
 * names come from the map's {@link MapKind}, so it never advises a method the class lacks.
 */
public final class Remedy {

    private Remedy() {
    }

    public static String forFinding(MapKind kind, String container, long maps, long emptyMaps, long neverFilled,
                                    Report.MapInfo largest) {
        String capacity = String.format(Locale.ROOT, "%,d", largest.capacity());
        boolean one = maps == 1;
        String these = one ? "This " + container : "These " + maps + " " + container + "s";
        String table = one ? "its " + capacity + "-slot table" : "their tables (up to " + capacity + " slots)";
        if (neverFilled == maps) {
            return these + (one ? " was" : " were") + " given " + table + " but never filled " + (one ? "it" : "them")
                    + ": size " + (one ? "it" : "them") + " for what " + (one ? "it holds" : "they hold")
                    + " (a smaller initial capacity, or none) at this site.";
        }
        if (emptyMaps == maps) {
            return these + " drained to empty but " + (one ? "keeps " : "keep ") + table + ": "
                    + kind.whyItStays(container) + ", so replace " + (one ? "it" : "each") + " with a new one ("
                    + kind.freshExpression(container) + ")" + kind.afterDrainHint(container) + ".";
        }
        return these + " shrank far below " + (one ? "its" : "their") + " peak but " + (one ? "keeps " : "keep ")
                + table + ": " + kind.whyItStays(container) + ", so after a large removal replace "
                + (one ? "it" : "each") + " with a copy (" + kind.copyExpression(container)
                + "), whose table fits what is left.";
    }
}
