package dev.mapretention.agent;

import java.util.Locale;

/** The one sentence of advice for a finding: what to change at its site. */
final class Remedy {

    private Remedy() {
    }

    static String forFinding(String container, long maps, long emptyMaps, long neverFilled, Report.MapInfo largest) {
        String copy = copyExpression(container);
        String capacity = String.format(Locale.ROOT, "%,d", largest.capacity());
        String these = maps == 1 ? "This " + container : "These " + maps + " " + container + "s";
        if (neverFilled == maps) {
            return these + (maps == 1 ? " was" : " were") + " given a table of up to " + capacity
                    + " slots that never filled: size it for what it really holds (a smaller initial capacity,"
                    + " or none) at this site.";
        }
        if (emptyMaps == maps) {
            return these + " drained to empty but " + (maps == 1 ? "keeps its" : "keep their")
                    + " table (up to " + capacity + " slots): a HashMap never shrinks, so drop it or replace it"
                    + " with a new one (" + copy + ", or a fresh instance instead of clear()) once it is drained.";
        }
        return these + " shrank far below " + (maps == 1 ? "its" : "their") + " peak but " + (maps == 1 ? "keeps its" : "keep their")
                + " table (up to " + capacity + " slots): after a large removal, replace it with " + copy
                + ", which sizes the table for what is left.";
    }

    private static String copyExpression(String container) {
        switch (container) {
            case "HashMap": return "map = new HashMap<>(map)";
            case "LinkedHashMap": return "map = new LinkedHashMap<>(map)";
            case "HashSet": return "set = new HashSet<>(set)";
            case "LinkedHashSet": return "set = new LinkedHashSet<>(set)";
            default: return "a copy: new " + container + "<>(old)";
        }
    }
}
