package dev.mapretention.agent.report;

/**
 * What a sparse map's history says of it: the verdict that decides whether it counts as
 * oversized and what the advice is.
 */
public enum Pattern {

    /** Drained and left sparse: its table is waste; counted as oversized. */
    RETAINED("retained"),
    /**
     * Refilled again and again, and sparse now for no longer than a few of its own cycles: its
     * table is needed at the next peak; reported apart, not counted as oversized.
     */
    REUSED("reused"),
    /** Its table was sized far above anything it ever held; counted as oversized. */
    NEVER_FILLED("never-filled");

    private final String label;

    Pattern(String label) {
        this.label = label;
    }

    /** The name in the reports: {@code retained}, {@code reused} or {@code never-filled}. */
    public String label() {
        return label;
    }

    /** True for the patterns counted as oversized (in the summary, the MXBean and the gauges). */
    public boolean oversized() {
        return this != REUSED;
    }
}
