package dev.mapretention.agent.boot;

/**
 * The control over the tracker, held by the one agent that {@linkplain MapTracker#claim claimed}
 * it: installing and uninstalling a {@link TrackingState}, reaching it, and marking agent code so
 * that the maps it uses are not tracked. Only its holder can do any of this.
 */
public final class TrackerControl {

    TrackerControl() {
    }

    /** Makes the tracker live: from now on, maps reaching the minimum capacity are tracked in {@code state}. */
    public void install(TrackingState state) {
        MapTracker.install(state);
    }

    /** Stops all tracking; the hooks become a few loads and compares that find nothing to do. */
    public void uninstall() {
        MapTracker.uninstall();
    }

    /** The installed state, or null (never installed, uninstalled, or switched off after failures). */
    public TrackingState state() {
        return MapTracker.state();
    }

    /** Gives the control back, so that an agent attached later can claim it. */
    public void release() {
        MapTracker.uninstall();
        MapTracker.release(this);
    }

    /**
     * Marks the calling thread as the agent's own for as long as it lives: maps it grows or
     * drains are not tracked. For the agent's threads.
     */
    public void ignoreCurrentThread() {
        MapTracker.enterAgentCode();
    }

    /**
     * Marks the calling thread as running agent code until {@link #leaveAgentCode}: maps it
     * touches meanwhile are not tracked. For work the agent does on the application's threads (a
     * JMX read, start-up); use it as {@code int t = enterAgentCode(); try { ... } finally {
     * leaveAgentCode(t); }}, not through a lambda, whose first linkage uses maps of its own.
     *
     * @return what to pass to {@link #leaveAgentCode}
     */
    public int enterAgentCode() {
        return MapTracker.enterAgentCode();
    }

    /** Ends what {@link #enterAgentCode} began. */
    public void leaveAgentCode(int token) {
        MapTracker.leaveAgentCode(token);
    }
}
