package dev.mapretention.agent.report;

import java.util.Locale;

/**
 * The one sentence of advice for maps a heap census found: no code site is known and neither is
 * the map's history (drained, or sized for more than it ever held), so it names what to do to the
 * map where it is held.
 */
public final class CensusRemedy {

    private CensusRemedy() {
    }

    public static String forFinding(String container, long maps, long emptyMaps, Report.MapInfo largest) {
        String capacity = String.format(Locale.ROOT, "%,d", largest.capacity());
        boolean one = maps == 1;
        String these = one ? "This " + container : "These " + maps + " " + container + "s";
        String table = one ? "a " + capacity + "-slot table" : "tables of up to " + capacity + " slots";
        String holds = emptyMaps == maps ? (one ? " is empty but keeps " : " are empty but keep ")
                : (one ? " holds a few entries in " : " hold a few entries each in ");
        return these + holds + table + " (it grew, or was sized, before the agent could see it): where "
                + (one ? "it is" : "they are") + " held, replace " + (one ? "it" : "each")
                + " with a copy, which sizes its table for what it holds, or drop " + (one ? "it" : "them")
                + " if no longer needed; and size or replace the map where it is filled and emptied.";
    }
}
