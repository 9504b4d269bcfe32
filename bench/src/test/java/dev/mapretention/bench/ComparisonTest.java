package dev.mapretention.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arithmetic behind the printed ratios: what a reader of the table relies on. */
class ComparisonTest {

    private static Measurement forks(double[]... forks) {
        Measurement m = new Measurement();
        for (double[] fork : forks) {
            m.addFork(fork);
        }
        return m;
    }

    /** A start-up target is met or missed only by three pairs in four; between, the sample cannot say. */
    @Test
    void aTargetBetweenTheQuartilesIsNotConclusive() {
        // Today's Spring Boot pairs on Java 17: a median of -80 ms, quartiles -156 .. 59.
        Stats wide = new Stats(new double[] {-415, -200, -156, -120, -80, -40, 0, 59, 100, 216});
        assertTrue(wide.verdict(40).startsWith("not conclusive"), wide.verdict(40));
        assertEquals("ok", new Stats(new double[] {10, 20, 30, 35, 80}).verdict(40));
        assertEquals("OVER", new Stats(new double[] {0, 45, 50, 60, 70}).verdict(40));
        assertEquals("ok", new Stats(new double[] {40, 40}).verdict(40), "at the target is at most the target");
    }

    @Test
    void medianAndQuartilesInterpolate() {
        Stats stats = new Stats(new double[] {40, 10, 30, 20});
        assertEquals(25, stats.median(), 1e-9);
        assertEquals(17.5, stats.quantile(0.25), 1e-9);
        assertEquals(10, stats.min(), 1e-9);
        assertEquals(40, stats.max(), 1e-9);
        assertEquals(30, new Stats(new double[] {30}).median(), 1e-9);
    }

    @Test
    void measurementPoolsIterationsAndKeepsForkMeans() {
        Measurement m = forks(new double[] {10, 12}, new double[] {14, 14}, new double[] {100, 102});
        assertEquals(42, m.mean(), 1e-9);
        assertEquals(3, m.forkCount());
        assertEquals(14, m.medianOfForks(), 1e-9);
        assertTrue(m.error() > 0);
        assertTrue(Double.isNaN(forks(new double[] {5}).error()), "one iteration has no error");
    }

    @Test
    void ratioIsAgentOverBaselineWithPropagatedError() {
        Measurement baseline = forks(new double[] {99, 100, 101});
        Measurement agent = forks(new double[] {109, 110, 111});
        Comparison c = new Comparison("X.y", "ns/op", 1.05, baseline, agent, null);
        assertEquals(1.1, c.ratio(), 1e-9);
        double relBase = baseline.error() / 100;
        double relAgent = agent.error() / 110;
        assertEquals(1.1 * Math.sqrt(relBase * relBase + relAgent * relAgent), c.ratioError(), 1e-9);
        assertEquals(1.1, c.medianRatio(), 1e-9);
        assertFalse(c.meetsTarget());
    }

    @Test
    void targetsAreCheckedOnTheMedianOverForks() {
        // One slow agent fork pulls the mean up but not the median.
        Measurement baseline = forks(new double[] {100}, new double[] {100}, new double[] {100});
        Measurement agent = forks(new double[] {101}, new double[] {101}, new double[] {200});
        Comparison c = new Comparison("X.y", "ns/op", 1.02, baseline, agent, null);
        assertEquals(1.01, c.medianRatio(), 1e-9);
        assertTrue(c.meetsTarget());
        assertTrue(c.ratio() > 1.3);
        assertEquals(1.01, c.iterationMedianRatio(), 1e-9);
    }

    @Test
    void aTargetInsideTheErrorIsNotConclusive() {
        Measurement baseline = forks(new double[] {90, 100, 110});
        Measurement agent = forks(new double[] {92, 102, 112});
        assertTrue(new Comparison("X.y", "ns/op", 1.02, baseline, agent, null).targetInsideError());
        Measurement tight = forks(new double[] {99.9, 100, 100.1});
        Measurement slow = forks(new double[] {149.9, 150, 150.1});
        assertFalse(new Comparison("X.y", "ns/op", 1.02, tight, slow, null).targetInsideError());
    }
}
