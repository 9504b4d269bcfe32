package dev.mapretention.agent.report;

import java.util.Locale;

/** The one sentence of advice for a finding: what to change at its site. */
public final class Remedy {

    private Remedy() {
    }

    public static String forFinding(String container, long maps, long emptyMaps, long neverFilled, Report.MapInfo largest) {
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
            return these + " drained to empty but " + (one ? "keeps " : "keep ") + table
                    + ": a HashMap never shrinks, so replace " + (one ? "it" : "each") + " with a new one ("
                    + freshExpression(container) + ") instead of clearing or emptying it, or drop it once drained.";
        }
        return these + " shrank far below " + (one ? "its" : "their") + " peak but " + (one ? "keeps " : "keep ")
                + table + ": after a large removal, replace " + (one ? "it" : "each") + " with a copy ("
                + copyExpression(container) + "), whose table fits what is left.";
    }

    private static String freshExpression(String container) {
        switch (container) {
            case "HashMap": return "map = new HashMap<>()";
            case "LinkedHashMap": return "map = new LinkedHashMap<>()";
            case "HashSet": return "set = new HashSet<>()";
            case "LinkedHashSet": return "set = new LinkedHashSet<>()";
            default: return "a new " + container;
        }
    }

    private static String copyExpression(String container) {
        switch (container) {
            case "HashMap": return "map = new HashMap<>(map)";
            case "LinkedHashMap": return "map = new LinkedHashMap<>(map)";
            case "HashSet": return "set = new HashSet<>(set)";
            case "LinkedHashSet": return "set = new LinkedHashSet<>(set)";
            default: return "a new " + container + " holding the old one's entries";
        }
    }
}
