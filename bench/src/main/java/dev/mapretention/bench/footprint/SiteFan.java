package dev.mapretention.bench.footprint;

import java.util.HashMap;

/**
 * Grows maps from as many distinct sites as asked, with no generated code: a call chain of fixed
 * depth whose every level calls on from one of four lines, picked by one base-4 digit of the site
 * number. With the agent's default {@code siteDepth} (12 frames: {@code grow} and the 11 levels
 * above it) site numbers 0 to 4^11-1 are 4^11 distinct sites, and every chain has the same depth,
 * so one site and many sites cost the same stack walk.
 */
final class SiteFan {

    /** Levels of {@link #descend} above {@link #grow}, each one site digit. */
    static final int LEVELS = 11;

    /** One more than 1,536, the threshold of a 2,048-slot table: the last put grows it to 4,096. */
    static final int ENTRIES = 1_537;

    private static final Object VALUE = new Object();
    private static final Integer[] KEYS = new Integer[ENTRIES];

    static {
        for (int i = 0; i < ENTRIES; i++) {
            KEYS[i] = i;
        }
    }

    private SiteFan() {
    }

    /** A map grown to 4,096 slots at site number {@code site}, then cleared (its table kept). */
    static HashMap<Integer, Object> grownAt(int site) {
        return descend(LEVELS, site);
    }

    private static HashMap<Integer, Object> descend(int level, int digits) {
        int rest = digits >>> 2;
        // Each case is its own line: the frame of this level shows which digit it took.
        switch (digits & 3) {
            case 0:
                return level == 1 ? grow() : descend(level - 1, rest);
            case 1:
                return level == 1 ? grow() : descend(level - 1, rest);
            case 2:
                return level == 1 ? grow() : descend(level - 1, rest);
            default:
                return level == 1 ? grow() : descend(level - 1, rest);
        }
    }

    private static HashMap<Integer, Object> grow() {
        HashMap<Integer, Object> map = new HashMap<>();
        for (Integer key : KEYS) {
            map.put(key, VALUE);
        }
        map.clear();
        return map;
    }
}
