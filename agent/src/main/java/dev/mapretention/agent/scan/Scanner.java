package dev.mapretention.agent.scan;

import dev.mapretention.agent.AgentLog;
import dev.mapretention.agent.AgentRuntime;
import dev.mapretention.agent.jfr.OversizedMapEvents;
import dev.mapretention.agent.kinds.MapKind;
import dev.mapretention.agent.report.Report;
import dev.mapretention.agent.report.ReportFile;

import dev.mapretention.agent.boot.TrackingState;


/**
 * The agent's daemon thread: every {@code scanInterval} it re-reads the tracked maps, logs the
 * sites whose maps have become oversized (once, then again only when their waste doubled, or a
 * day later: {@link SiteLog}), records each map that has just become oversized as a JFR event and
 * rewrites the report file. Its own HashMaps are never tracked. A read of the report (JMX, the
 * command line) is a pass too, on the reader's thread.
 */
public final class Scanner implements Runnable {

    static final String THREAD_NAME = "map-retention-scanner";

    private final AgentRuntime runtime;
    private final AgentLog log;
    private final long intervalMillis;
    private final ReportFile reportFile;
    private final OversizedMapEvents events;
    private volatile boolean stopped;
    private Thread thread;
    private long scans;
    private boolean trackingOffSaid;
    /** The last pass's report, and when it was made: what attribute reads are answered from. */
    private volatile Report latest;
    private volatile long latestNanos;
    private boolean capSaid;
    /** True once the field readers have been readied ({@link #warmUpOnce}). */
    private volatile boolean warmed;
    /** What has been logged of each site. */
    private final SiteLog sites;
    /**
     * Set by the pass at exit, under this scanner's lock: no pass after it writes the report file.
     * The scanner's daemon thread may start one more pass while the JVM exits, and the JVM halts
     * it wherever it is, which in the middle of a write would leave the temporary file beside the
     * report.
     */
    private boolean exited;

    public Scanner(AgentRuntime runtime, AgentLog log, long intervalMillis, ReportFile reportFile, OversizedMapEvents events) {
        this.runtime = runtime;
        this.log = log;
        this.intervalMillis = intervalMillis;
        this.reportFile = reportFile;
        this.events = events;
        this.sites = new SiteLog(new InfoLines(log));
    }

    /**
     * The log's info lines, as a named class: a method reference here spun the agent's first
     * lambda (LambdaMetafactory, about 2 ms) on the application's start path.
     */
    private static final class InfoLines implements java.util.function.Consumer<String> {
        private final AgentLog log;

        InfoLines(AgentLog log) {
            this.log = log;
        }

        @Override
        public void accept(String line) {
            log.info(line);
        }
    }

    /**
     * How often the thread looks whether the platform MBeanServer has been started (by the
     * application, a JMX client, a metrics library), until it has and the MXBean is registered.
     */
    public static final long JMX_POLL_MILLIS = 1_000;

    /**
     * After tidying, how long the thread waits before it lets the next tracked map wake it: maps
     * tracked meanwhile are taken as one batch, so that a stream of them costs a few wake-ups a
     * second, not one per map.
     */
    static final long BATCH_MILLIS = 10;

    /**
     * Waits {@code millis} (cut short by {@link #stop}'s interrupt), meanwhile doing the tracker's
     * work that the application's threads leave to the agent: the sites of newly tracked maps,
     * and forgetting collected ones. False when the scanner was stopped meanwhile.
     */
    private boolean pause(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        for (long left; !stopped && (left = deadline - System.nanoTime()) > 0; ) {
            TrackingState state = runtime.control().state();
            if (state == null) {
                sleep(left);
            } else if (state.awaitAndTidy(left) > 0) {
                warmUpOnce();
                sleep(Math.min(left, BATCH_MILLIS * 1_000_000L));
            } else {
                // Woken with nothing to do: the time is up, or an interrupt (which would keep
                // waking it; stop() also sets stopped).
                Thread.interrupted();
            }
        }
        return !stopped;
    }

    /**
     * Makes the field readers' accessors, once, when the first maps are tracked (or at the first
     * pass): until then the tracker reads no size inside a map's operation (at a clear), since
     * reflection makes an accessor at its first read. A JVM with no large map never pays for it
     * (some 25 ms of class spinning on Java 25).
     */
    private void warmUpOnce() {
        if (warmed) {
            return;
        }
        warmed = true;
        for (MapKind kind : MapKind.all()) {
            try {
                kind.warmUp();
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Then the tracker reads no size at a clear of this kind: a ConcurrentHashMap's
                // clear counts no refill, the other kinds' no peak; the scanner still sees both.
            }
        }
    }

    /**
     * Makes what the scans and the sites need ({@link AgentRuntime#scanPass}), first thing on the
     * agent's thread: beside the application's start rather than before its {@code main}, and
     * still while the application is cold. Not later (at the first tracked map, say): that work
     * uses the JDK's maps (a ClassValue's, the module system's, the lambda factory's), whose
     * compiled code and type profiles the application's hot code shares. False when it cannot
     * be made: the agent has then said so and taken itself out.
     */
    private boolean prepared() {
        try {
            runtime.scanPass();
            return true;
        } catch (Throwable t) {
            runtime.failedToPrepare(t);
            return false;
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        } catch (InterruptedException e) {
            // stop() interrupts; any other interrupt only shortens this wait
        }
    }

    public synchronized void start() {
        thread = new Thread(this, THREAD_NAME);
        thread.setDaemon(true);
        thread.setPriority(Thread.NORM_PRIORITY - 1);
        thread.start();
    }

    /** Stops the thread and waits (briefly) for it to end. */
    public void stop() {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        runtime.control().ignoreCurrentThread();
        if (!prepared()) {
            return;
        }
        boolean registered = false;
        long nextScan = System.nanoTime() + intervalMillis * 1_000_000L;
        while (!stopped) {
            if (!registered) {
                registered = runtime.registerBeanIfJmxRuns();
            }
            long untilScanMillis = (nextScan - System.nanoTime()) / 1_000_000L;
            if (untilScanMillis <= 0) {
                runtime.reinstateHooks();
                scanOnce();
                nextScan = System.nanoTime() + intervalMillis * 1_000_000L;
            } else if (!pause(registered ? untilScanMillis : Math.min(untilScanMillis, JMX_POLL_MILLIS))) {
                return;
            }
        }
    }

    /** One pass, on the scanner's own schedule. Never throws. */
    public void scanOnce() {
        try {
            scan();
        } catch (Throwable t) {
            runtime.countScanFailure(t);
        }
    }

    /**
     * The last pass, at exit: also says in one line how many maps were sparse but not yet for the
     * grace period, which a program that ran for less than it would otherwise never hear of.
     */
    public void scanAtExit() {
        TrackingState state = runtime.control().state();
        if (reportFile == null && !runtime.scansPrepared() && (state == null || state.trackedTotal() == 0)) {
            // Nothing was ever tracked and no report file waits for the last pass: a JVM that
            // never grew a large map does not make what the scans need at its exit either.
            return;
        }
        if (!prepared()) {
            return;
        }
        try {
            Report report;
            synchronized (this) {
                report = scan();
                exited = true;
            }
            if (report.underGrace().maps() > 0) {
                log.info("at exit: " + report.underGraceLine());
            }
        } catch (Throwable t) {
            runtime.countScanFailure(t);
        }
    }

    /**
     * The report of a pass at most {@code maxAgeMillis} old: the last one if it is that recent,
     * else a new one. Attribute reads (a Micrometer or Prometheus scrape reads several) come here,
     * so that one scrape sees one snapshot, made by a pass that has logged and recorded what it
     * shows, and readers cannot make the agent scan more often than that.
     */
    public Report recent(long maxAgeMillis) {
        Report last = latest;
        if (last != null && System.nanoTime() - latestNanos < maxAgeMillis * 1_000_000L) {
            return last;
        }
        synchronized (this) {
            last = latest;
            if (last != null && System.nanoTime() - latestNanos < maxAgeMillis * 1_000_000L) {
                return last;
            }
            return scan();
        }
    }

    /**
     * One pass: re-read the tracked maps, log, JFR events, report file; returns the report. Reads (JMX, the command
     * line) go through here too, so that whatever they show as oversized has been logged and
     * recorded first, even if the application drops the map at once.
     */
    public synchronized Report scan() {
        ScanPass scanPass = runtime.scanPass();
        warmUpOnce();
        ScanPass.Pass pass = scanPass.take(System.nanoTime());
        Report report = pass.report();
        scans++;
        sites.log(pass.oversized(), System.nanoTime());
        events.commit(pass.flagged());
        for (ScanPass.Flagged f : pass.flagged()) {
            f.record().setOversized(true);
        }
        sayAgentHealth(report.agent());
        if (reportFile != null && !exited) {
            reportFile.write(report.toJson());
        }
        latest = report;
        latestNanos = System.nanoTime();
        if (log.isDebug()) {
            log.debug("scan " + scans + ": " + report.trackedMaps() + " tracked, " + report.oversizedMaps()
                    + " oversized, " + Report.bytes(report.wastedBytes()) + " wasted");
        }
        return report;
    }

    private void sayAgentHealth(Report.AgentHealth health) {
        if (health.trackingDisabled() && !trackingOffSaid) {
            trackingOffSaid = true;
            log.error("tracking switched itself off after " + health.trackerFailures()
                    + " failures inside HashMap operations (each was suppressed; the application was not affected)");
        }
        if (health.refusedMaps() > 0 && !capSaid) {
            capSaid = true;
            log.info("maxTrackedMaps=" + runtime.options().maxTrackedMaps()
                    + " maps are tracked: further large maps are counted but not tracked until some are collected");
        }
    }

}
