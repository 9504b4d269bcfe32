package dev.mapretention.agent.scan;

import dev.mapretention.agent.boot.Site;
import dev.mapretention.agent.boot.TrackingStateDriver;
import dev.mapretention.agent.report.Pattern;
import dev.mapretention.agent.report.Report;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The log's policy, with passes given by hand: a site is said once, again only when its waste
 * has at least doubled or a day has passed, and a line tells apart two sites that share their
 * innermost frame.
 */
class SiteLogTest {

    private static final long HOUR = 3_600_000_000_000L;
    private static final Site CACHE = TrackingStateDriver.growthSite("com.example.Cache.load(Cache.java:6)",
            "com.example.Main.main(Main.java:10)");

    private final List<String> said = new ArrayList<>();
    private final SiteLog log = new SiteLog(said::add);

    private static ScanPass.Oversized oversized(Site site, Pattern pattern, long maps, long wasted) {
        Report.MapInfo largest = new Report.MapInfo("java.util.HashMap", 262_144, 0, 5_000, wasted / maps, null, 0,
                new Report.History(100_000, 0, 0, -1));
        return new ScanPass.Oversized(site, new Report.Finding(List.of(site.frames()), "growth", "HashMap", maps,
                wasted, List.of(largest), "advice", List.of(), pattern, 0, 0));
    }

    @Test
    void aSiteIsSaidOnceThenWhenItsWasteDoubledOrADayLater() {
        log.log(List.of(oversized(CACHE, Pattern.RETAINED, 1, 1_048_592)), 0);
        assertEquals(List.of("oversized: 1 HashMap wasting 1.0 MiB (capacity 262,144, size 0), grown at"
                + " com.example.Cache.load(Cache.java:6)"), said);
        for (int pass = 1; pass <= 100; pass++) {
            log.log(List.of(oversized(CACHE, Pattern.RETAINED, 1, 1_048_592)), pass * 10_000_000_000L);
        }
        log.log(List.of(oversized(CACHE, Pattern.RETAINED, 1, 2_000_000)), 2 * HOUR);
        assertEquals(1, said.size(), "not twice the waste yet: " + said);
        log.log(List.of(oversized(CACHE, Pattern.RETAINED, 2, 2_097_184)), 3 * HOUR);
        assertEquals("oversized: 2 maps of HashMap wasting 2.0 MiB, up from 1.0 MiB (capacity 262,144, size 0 for"
                + " the largest), grown at com.example.Cache.load(Cache.java:6)", said.get(1));
        log.log(List.of(oversized(CACHE, Pattern.RETAINED, 2, 2_097_184)), 26 * HOUR);
        assertEquals(2, said.size(), "less than a day since it was last said: " + said);
        log.log(List.of(oversized(CACHE, Pattern.RETAINED, 2, 2_097_184)), 27 * HOUR);
        assertEquals(3, said.size(), said.toString());
        assertEquals("oversized: 2 maps of HashMap still wasting 2.0 MiB (capacity 262,144, size 0 for the largest),"
                + " grown at com.example.Cache.load(Cache.java:6)", said.get(2));
    }

    @Test
    void aNeverFilledMapOfTheSameSiteIsSaidApartAndSizedThere() {
        log.log(List.of(oversized(CACHE, Pattern.RETAINED, 1, 1_048_592),
                oversized(CACHE, Pattern.NEVER_FILLED, 1, 4_194_272)), 0);
        assertEquals(2, said.size(), said.toString());
        assertEquals("oversized: 1 HashMap wasting 4.0 MiB (capacity 262,144, size 0, never filled), sized at"
                + " com.example.Cache.load(Cache.java:6)", said.get(1));
    }

    @Test
    void sitesThatShareTheirInnermostFrameAreToldApartByTheFirstFrameWhereTheyDiffer() {
        Site viaImport = TrackingStateDriver.growthSite("com.example.Cache.fill(Cache.java:9)",
                "com.example.Cache.load(Cache.java:6)", "com.example.Import.run(Import.java:20)");
        Site viaRefresh = TrackingStateDriver.growthSite("com.example.Cache.fill(Cache.java:9)",
                "com.example.Cache.load(Cache.java:6)", "com.example.Refresh.run(Refresh.java:44)");
        log.log(List.of(oversized(viaImport, Pattern.RETAINED, 1, 1_048_592)), 0);
        assertEquals("oversized: 1 HashMap wasting 1.0 MiB (capacity 262,144, size 0), grown at"
                + " com.example.Cache.fill(Cache.java:9)", said.get(0), "alone, its innermost frame is enough");
        log.log(List.of(oversized(viaImport, Pattern.RETAINED, 1, 1_048_592),
                oversized(viaRefresh, Pattern.RETAINED, 1, 1_048_592)), HOUR);
        assertEquals(2, said.size(), said.toString());
        assertEquals("oversized: 1 HashMap wasting 1.0 MiB (capacity 262,144, size 0), grown at"
                + " com.example.Cache.fill(Cache.java:9) via com.example.Refresh.run(Refresh.java:44)", said.get(1));
    }
}
