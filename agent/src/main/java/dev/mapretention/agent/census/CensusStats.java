package dev.mapretention.agent.census;

/**
 * The native census's own figures, as it hands them over in one array.
 *
 * @param walkNanos   the length of each walk (each a safepoint: the application paused)
 * @param passes      walks done (1 or 2)
 * @param records     maps, wrappers, arrays and entries recorded
 * @param stopped     what it left out: {@link #STOP_TIME}, {@link #STOP_RECORDS}, {@link #STOP_MEMORY},
 *                    {@link #STOP_NO_SECOND} bits
 * @param found       maps whose table reached the minimum length
 * @param classes     loaded classes it tagged
 * @param totalNanos  all of it, the walks included
 * @param unresolved  arrays and entries on found maps' chains whose own holder is not known
 * @param mapsByKind  live maps of each kind reached, any size
 */
record CensusStats(long[] walkNanos, int passes, long records, int stopped, long found, long classes,
                   long totalNanos, long unresolved, long[] mapsByKind) {

    static final int STOP_TIME = 1;
    static final int STOP_RECORDS = 2;
    static final int STOP_MEMORY = 4;
    static final int STOP_NO_SECOND = 8;

    static CensusStats of(long[] values, int kinds) {
        if (values.length < 10 + kinds) {
            throw new IllegalStateException("census: the library handed back no figures");
        }
        long[] byKind = new long[kinds];
        System.arraycopy(values, 10, byKind, 0, kinds);
        return new CensusStats(new long[] {values[0], values[1]}, (int) values[2], values[3], (int) values[4],
                values[5], values[6], values[7], values[8], byKind);
    }

    long pauseNanos() {
        return walkNanos[0] + walkNanos[1];
    }
}
