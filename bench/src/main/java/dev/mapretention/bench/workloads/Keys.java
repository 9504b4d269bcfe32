package dev.mapretention.bench.workloads;

import java.util.Random;

/** Boxed keys made once per trial, so that the benchmarks time the maps, not {@code Integer.valueOf}. */
final class Keys {

    private Keys() {
    }

    /** {@code count} distinct Integer keys, in a fixed pseudo-random order. */
    static Integer[] shuffled(int count, long seed) {
        Integer[] keys = new Integer[count];
        for (int i = 0; i < count; i++) {
            // Spread over the int range so that the keys are not HashMap's best case (0..n-1).
            keys[i] = i * 0x9E3779B1;
        }
        Random random = new Random(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer swap = keys[i];
            keys[i] = keys[j];
            keys[j] = swap;
        }
        return keys;
    }
}
