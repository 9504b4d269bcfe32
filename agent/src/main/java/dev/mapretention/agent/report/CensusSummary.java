package dev.mapretention.agent.report;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The report's {@code census} block: the last heap census taken in this JVM.
 *
 * @param takenAt       when it started
 * @param pauseMillis   how long it held the JVM at a safepoint (the application paused), all walks
 * @param walkMillis    each walk's part of it
 * @param durationMillis how long it took in all, pauses included
 * @param walks         heap walks done: one finds the maps, then one for each class of object whose
 *                      holders are traced (the maps, then the sets, arrays and maps holding them)
 * @param kinds         per kind of map: the maps in the heap, with a table or none yet (the scan's
 *                      count: garbage not yet collected included), and the live ones at or above
 *                      minCapacity
 * @param tracked       maps at or above minCapacity it found (all tracked from then on, up to
 *                      maxTrackedMaps)
 * @param partial       true when it stopped early; {@code partialReason} says why
 * @param partialReason one sentence, or null
 * @param tagsLeft      objects the census left tagged after clearing its tags: its own check, 0
 */
public record CensusSummary(Instant takenAt, long pauseMillis, List<Long> walkMillis, long durationMillis, int walks,
                            List<KindCount> kinds, long tracked, boolean partial, String partialReason, long tagsLeft) {

    /** The maps of one kind a census found: all those in the heap, and the live large ones. */
    public record KindCount(String kind, long maps, long large) {
    }

    void toJson(StringBuilder out) {
        out.append("{\"takenAt\": \"").append(takenAt.truncatedTo(ChronoUnit.MILLIS)).append("\", \"pauseMillis\": ")
                .append(pauseMillis).append(", \"mapsFound\": {");
        for (int i = 0; i < kinds.size(); i++) {
            Json.string(out.append(i == 0 ? "" : ", "), kinds.get(i).kind()).append(": ").append(kinds.get(i).maps());
        }
        out.append("}, \"largeMapsFound\": {");
        for (int i = 0; i < kinds.size(); i++) {
            Json.string(out.append(i == 0 ? "" : ", "), kinds.get(i).kind()).append(": ").append(kinds.get(i).large());
        }
        out.append("}, \"tracked\": ").append(tracked)
                .append(", \"durationMillis\": ").append(durationMillis).append(", \"walks\": ").append(walks)
                .append(", \"walkMillis\": ").append(walkMillis.toString()).append(", \"tagsLeft\": ").append(tagsLeft)
                .append(", \"partial\": ").append(partial);
        if (partialReason != null) {
            Json.string(out.append(", \"partialReason\": "), partialReason);
        }
        out.append('}');
    }

    /** One line for the text report. */
    String toText() {
        StringBuilder found = new StringBuilder();
        for (KindCount k : kinds) {
            found.append(found.length() == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%,d", k.maps()))
                    .append(' ').append(k.kind()).append(" (").append(k.large()).append(" large)");
        }
        return "census: taken " + takenAt.truncatedTo(ChronoUnit.SECONDS) + ", paused the JVM " + pauseMillis
                + " ms, found " + found + (partial ? "; PARTIAL: " + partialReason : "");
    }
}
