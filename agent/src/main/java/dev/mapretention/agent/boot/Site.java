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

    // ---- heap census (issue 11): kept apart for the merge ----
    /** The map was found by a heap census: no code site is known, only what holds it. */
    public static final int CENSUS = 3;

    /** The one site of every map a census found and started tracking: no frames. */
    static final Site FOUND_BY_CENSUS = new Site(CENSUS, new String[0]);
    // ---- end heap census ----

    private final int kind;
    private final String[] frames;

    Site(int kind, String[] frames) {
        this.kind = kind;
        this.frames = frames;
    }

    /** {@link #GROWTH}, {@link #DRAIN_AFTER_ATTACH}, {@link #REGROWTH_AFTER_ATTACH} or {@link #CENSUS}. */
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
