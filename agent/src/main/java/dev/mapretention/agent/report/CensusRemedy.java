package dev.mapretention.agent.report;

import java.util.Locale;

/**
 * The one sentence of advice for maps a heap census found: no code site is known, nor whether a
 * map drained or was sized for more than it ever held, so it says what to do where it is held.
 */
public final class CensusRemedy {

    private CensusRemedy() {
    }

    public static String forFinding(String container, long maps, long emptyMaps, Report.MapInfo largest) {
        String capacity = String.format(Locale.ROOT, "%,d", largest.capacity());
        boolean one = maps == 1;
        String these = one ? "This " + container : "These " + maps + " " + container + "s";
        String state = emptyMaps == maps ? (one ? " is empty" : " are empty") : (one ? " holds few entries" : " hold few entries");
        String table = one ? " but keeps a " + capacity + "-slot table" : " but keep tables of up to " + capacity + " slots";
        return these + state + table + ": where " + (one ? "it is" : "they are") + " held, replace "
                + (one ? "it" : "each") + " with a copy (the copy's table fits what it holds), or drop "
                + (one ? "it" : "them") + " if no longer needed; the census cannot tell whether "
                + (one ? "it" : "they") + " drained or " + (one ? "was" : "were") + " sized too large.";
    }
}
