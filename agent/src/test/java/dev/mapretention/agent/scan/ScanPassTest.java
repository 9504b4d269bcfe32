package dev.mapretention.agent.scan;

import dev.mapretention.agent.AgentOptions;
import dev.mapretention.agent.boot.MapFields;
import dev.mapretention.agent.boot.MapKinds;
import dev.mapretention.agent.boot.TrackedMap;
import dev.mapretention.agent.boot.TrackingSettings;
import dev.mapretention.agent.boot.TrackingState;
import dev.mapretention.agent.boot.TrackingStateDriver;
import dev.mapretention.agent.kinds.MapKind;
import dev.mapretention.agent.report.Pattern;
import dev.mapretention.agent.report.Report;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verdicts, on maps driven through the tracker's events as their hooks would drive them, and
 * passes taken at chosen moments: reused while the refills go on, retained once they stopped for
 * more than {@code reuseCycles} of the map's cycles, undecided after one refill only.
 */
class ScanPassTest {

    private static final int CAPACITY = 1 << 18;
    private static final int ENTRIES = 100_000;
    private static final long MS = 1_000_000L;

    @BeforeAll
    static void prepareKinds() throws ReflectiveOperationException {
        for (MapKind kind : MapKind.all()) {
            if (kind.fields() == null) {
                kind.prepare();
            }
            kind.warmUp(); // as the scanner does first
        }
    }

    private final TrackingState state = newState();
    private final TrackingStateDriver hooks = new TrackingStateDriver(state);
    private final ScanPass pass = new ScanPass(state, ArrayLayout.of(16, 4, 8), options("grace=0s"));

    private static TrackingState newState() {
        MapFields[] sizes = new MapFields[MapKinds.COUNT];
        for (MapKind kind : MapKind.all()) {
            sizes[kind.id()] = kind.fields();
        }
        return new TrackingState(new TrackingSettings(4096, 0.125, 100, 100, 8, false, false), sizes);
    }

    private static AgentOptions options(String args) {
        try {
            return AgentOptions.parse(args, new Properties());
        } catch (AgentOptions.OptionException e) {
            throw new AssertionError(e);
        }
    }

    /** Fills and clears the map {@code fills} times, {@code periodMillis} apart, as its hooks see it. */
    private void cycle(Map<Integer, Integer> map, int fills, long periodMillis) throws InterruptedException {
        for (int f = 0; f < fills; f++) {
            if (f > 0) {
                Thread.sleep(periodMillis);
            }
            for (int i = 0; i < ENTRIES; i++) {
                map.put(i, i);
            }
            if (f == 0) {
                hooks.resized(map, 98_305, CAPACITY);
            }
            hooks.drained(map, 0, CAPACITY); // clear()'s hook, at its start
            map.clear();
        }
    }

    private static Report.Finding only(Report report) {
        assertEquals(1, report.findings().size(), report.toJson());
        return report.findings().get(0);
    }

    @Test
    void aMapRefilledEachCycleIsReusedThenRetainedOnceItsRefillsStop() throws Exception {
        Map<Integer, Integer> map = new HashMap<>();
        cycle(map, 6, 30);
        TrackedMap record = state.trackedMaps().iterator().next();
        assertEquals(5, record.refills());
        long lastDrain = record.sparseSinceNanos();

        ScanPass.Pass reused = pass.take(lastDrain + MS);
        Report.Finding finding = only(reused.report());
        assertEquals(Pattern.REUSED, finding.pattern());
        assertEquals(0, reused.report().oversizedMaps());
        assertEquals(0, reused.report().wastedBytes());
        assertEquals(1, reused.report().reusedMaps());
        assertEquals(0, finding.oversizedMaps());
        assertEquals(1, finding.reusedMaps());
        assertTrue(finding.reusedIdleBytes() > 1_000_000, finding.toString());
        assertEquals(finding.reusedIdleBytes(), finding.maps().get(0).idleBytes());
        assertEquals(0, finding.maps().get(0).wastedBytes());
        assertEquals(ENTRIES, finding.maps().get(0).history().peakSize());
        assertTrue(finding.advice().contains("keep it"), finding.advice());
        assertTrue(reused.flagged().isEmpty(), "a reused map is not announced");
        assertTrue(reused.oversized().isEmpty(), "nor logged");

        // Sparse for far more than three of its ~30 ms cycles: the refills stopped.
        long cycle = record.cycleMillis() * MS;
        ScanPass.Pass retained = pass.take(lastDrain + 3 * cycle + 50 * MS);
        finding = only(retained.report());
        assertEquals(Pattern.RETAINED, finding.pattern());
        assertEquals(1, retained.report().oversizedMaps());
        assertEquals(0, retained.report().reusedMaps());
        assertEquals(finding.wastedBytes(), retained.report().wastedBytes());
        assertEquals(1, retained.flagged().size(), "a new episode: announced once");
        assertEquals(1, retained.oversized().size());
        assertTrue(finding.advice().contains("if the cycles are over, replace it"), finding.advice());
    }

    @Test
    void aMapRefilledOnceIsNotJudgedUntilItsNextRefillOrItsCyclesAreOver() throws Exception {
        Map<Integer, Integer> map = new HashMap<>();
        cycle(map, 2, 30);
        TrackedMap record = state.trackedMaps().iterator().next();
        assertEquals(1, record.refills());
        Report waiting = pass.take(record.sparseSinceNanos() + MS).report();
        assertEquals(List.of(), waiting.findings());
        assertEquals(1, waiting.underGrace().awaitingRefill());
        assertEquals(0, waiting.oversizedMaps());
        Report later = pass.take(record.sparseSinceNanos() + 3 * record.cycleMillis() * MS + 50 * MS).report();
        assertEquals(Pattern.RETAINED, only(later).pattern());
    }

    @Test
    void drainedOncePresizedAndPartlyDrainedMapsKeepTheirAdvice() {
        Map<Integer, Integer> drained = new HashMap<>();
        Map<Integer, Integer> presized = new HashMap<>(1 << 20);
        Map<Integer, Integer> partly = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            drained.put(i, i);
            partly.put(i, i);
        }
        for (int i = 0; i < 3; i++) {
            presized.put(i, i);
        }
        hooks.resized(drained, 98_305, CAPACITY);
        hooks.drained(drained, 0, CAPACITY);
        drained.clear();
        hooks.resized(presized, 0, 1 << 20);
        hooks.resized(partly, 98_305, CAPACITY);
        for (int i = ENTRIES / 20; i < ENTRIES; i++) {
            partly.remove(i);
            if (partly.size() == CAPACITY / 8 - 1) {
                hooks.drained(partly, partly.size(), CAPACITY);
            }
        }
        Report report = pass.take(System.nanoTime() + MS).report();
        assertEquals(3, report.oversizedMaps(), report.toJson());
        for (Report.Finding f : report.findings()) {
            Report.MapInfo m = f.maps().get(0);
            if (m.size() == 0) {
                assertEquals(Pattern.RETAINED, f.pattern());
                assertTrue(f.advice().contains("replace it with a new one (map = new HashMap<>())"), f.advice());
            } else if (m.size() == 3) {
                assertEquals(Pattern.NEVER_FILLED, f.pattern());
                assertTrue(f.advice().contains("never filled"), f.advice());
            } else {
                assertEquals(ENTRIES / 20, m.size());
                assertEquals(Pattern.RETAINED, f.pattern());
                assertTrue(f.advice().contains("replace it with a copy (map = new HashMap<>(map))"), f.advice());
            }
        }
    }

    @Test
    void reusedAndRetainedMapsOfOneSiteAreTwoFindings() throws Exception {
        Map<Integer, Integer> reused = new HashMap<>();
        Map<Integer, Integer> retained = new HashMap<>();
        for (Map<Integer, Integer> map : List.of(reused, retained)) {
            cycle(map, map == reused ? 4 : 1, 30);
        }
        Report report = pass.take(System.nanoTime() + MS).report();
        assertEquals(2, report.findings().size(), report.toJson());
        assertEquals(report.findings().get(0).site(), report.findings().get(1).site());
        assertEquals(Pattern.RETAINED, report.findings().get(0).pattern(), "largest waste first");
        assertEquals(Pattern.REUSED, report.findings().get(1).pattern());
        assertEquals(1, report.oversizedMaps());
        assertEquals(1, report.reusedMaps());
    }
}
