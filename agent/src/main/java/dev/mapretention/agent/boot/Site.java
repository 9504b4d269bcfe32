package dev.mapretention.agent.boot;

/**
 * A code site: the frames of the stack that grew (or drained) a map, shared by every map that
 * came from the same stack.
 */
public final class Site {

    /** The map reached the minimum capacity here. */
    public static final int GROWTH = 0;
    /** The map was already large when the agent attached; it was drained here. */
    public static final int DRAIN_AFTER_ATTACH = 1;
    /** The map was already large when the agent attached; it grew again here. */
    public static final int REGROWTH_AFTER_ATTACH = 2;

    private final int kind;
    private final String[] frames;

    Site(int kind, String[] frames) {
        this.kind = kind;
        this.frames = frames;
    }

    /** {@link #GROWTH}, {@link #DRAIN_AFTER_ATTACH} or {@link #REGROWTH_AFTER_ATTACH}. */
    public int kind() {
        return kind;
    }

    /** The frames, innermost first, as {@code StackTraceElement.toString()} writes them. */
    public String[] frames() {
        return frames.clone();
    }

    /** The number of frames. */
    public int depth() {
        return frames.length;
    }

    /** The frame at {@code index}, innermost first. */
    public String frame(int index) {
        return frames[index];
    }
}
