package dev.mapretention.agent.census;

/**
 * The native census's own figures, as it hands them over in one array.
 *
 * @param walkNanos   the length of each heap walk (each a safepoint: the application paused)
 * @param records     maps, wrappers, arrays and entries recorded
 * @param stopped     what it left out: {@link #STOP_TIME}, {@link #STOP_RECORDS}, {@link #STOP_MEMORY},
 *                    {@link #STOP_HOLDERS} bits
 * @param found       maps whose table reached the minimum length
 * @param classes     loaded classes it tagged
 * @param totalNanos  all of it, the walks included
 * @param unresolved  found maps whose holder, or a holder on whose chain, was not traced
 * @param tagsLeft    objects still tagged after the census cleared its tags (its own check: 0)
 * @param mapsByKind  maps of each kind in the heap, any size, with a table or none yet (garbage too)
 */
record CensusStats(long[] walkNanos, long records, int stopped, long found, long classes, long totalNanos,
                   long unresolved, long tagsLeft, long[] mapsByKind) {

    static final int STOP_TIME = 1;
    static final int STOP_RECORDS = 2;
    static final int STOP_MEMORY = 4;
    static final int STOP_HOLDERS = 8;

    static CensusStats of(long[] values, int kinds) {
        if (values.length < 10 + kinds || values[8] != kinds || values.length != 10 + kinds + values[0]) {
            throw new IllegalStateException("census: the library handed back figures of another shape");
        }
        long[] byKind = new long[kinds];
        System.arraycopy(values, 10, byKind, 0, kinds);
        long[] walks = new long[(int) values[0]];
        System.arraycopy(values, 10 + kinds, walks, 0, walks.length);
        return new CensusStats(walks, values[2], (int) values[3], values[4], values[5], values[6], values[7], values[9],
                byKind);
    }

    int walks() {
        return walkNanos.length;
    }

    long pauseNanos() {
        long sum = 0;
        for (long nanos : walkNanos) {
            sum += nanos;
        }
        return sum;
    }
}
