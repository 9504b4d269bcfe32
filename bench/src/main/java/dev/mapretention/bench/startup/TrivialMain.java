package dev.mapretention.bench.startup;

/** The program whose start-up is timed: it only says when {@code main} was entered. */
public final class TrivialMain {

    private TrivialMain() {
    }

    public static void main(String[] args) {
        // System.nanoTime() is CLOCK_MONOTONIC on Linux: comparable with the launching process's.
        long entered = System.nanoTime();
        System.out.println("mainEnteredNanos=" + entered);
    }
}
