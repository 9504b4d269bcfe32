package dev.mapretention.agent.jfr;

import dev.mapretention.agent.scan.ScanPass;

import java.util.List;

/**
 * Commits {@link OversizedMapEvent}s; does nothing on a runtime without the {@code jdk.jfr} module
 * or when no recording asks for the event.
 */
public final class OversizedMapEvents {

    /** Whether {@code jdk.jfr} is there: asked at the first map to report, not at the agent's start. */
    private Boolean available;

    /** Commits an event for each flagged map, if a recording asks for them; under the scanner's lock. */
    public void commit(List<ScanPass.Flagged> flagged) {
        if (flagged.isEmpty() || !available()) {
            return;
        }
        for (ScanPass.Flagged f : flagged) {
            OversizedMapEvent event = new OversizedMapEvent();
            if (!event.isEnabled()) {
                return;
            }
            event.site = String.join("\n", f.site().frames());
            event.siteKind = ScanPass.siteKind(f.site().kind());
            event.container = f.container();
            event.mapType = f.map().type();
            event.capacity = f.map().capacity();
            event.size = f.map().size();
            event.wastedBytes = f.map().wastedBytes();
            // A map a census found sparse has been so for an unknown time: 0 rather than a guess.
            event.sparseFor = f.map().sparseSinceBeforeCensus() ? 0 : f.map().sparseForMillis();
            event.pattern = f.pattern().label();
            event.refills = f.map().history().refills();
            event.peakSize = f.map().history().peakSize();
            event.commit();
        }
    }

    private boolean available() {
        if (available == null) {
            boolean loaded;
            try {
                Class.forName("jdk.jfr.Event", false, OversizedMapEvents.class.getClassLoader());
                loaded = true;
            } catch (ClassNotFoundException | LinkageError e) {
                loaded = false;
            }
            available = loaded;
        }
        return available;
    }
}
