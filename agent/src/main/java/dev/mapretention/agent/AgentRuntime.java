package dev.mapretention.agent;

import dev.mapretention.agent.instrument.BootClasses;
import dev.mapretention.agent.instrument.MapInstrumentation;
import dev.mapretention.agent.kinds.MapKind;
import dev.mapretention.agent.census.CensusKinds;
import dev.mapretention.agent.census.HeapCensus;
import dev.mapretention.agent.jfr.OversizedMapEvents;
import dev.mapretention.agent.jmx.MapRetentionBean;
import dev.mapretention.agent.jmx.MapRetentionMXBean;
import dev.mapretention.agent.report.CensusSummary;
import dev.mapretention.agent.report.Report;
import dev.mapretention.agent.report.ReportFile;
import dev.mapretention.agent.scan.ArrayLayout;
import dev.mapretention.agent.scan.ScanPass;
import dev.mapretention.agent.scan.Scanner;

import dev.mapretention.agent.boot.MapFields;
import dev.mapretention.agent.boot.MapTracker;
import dev.mapretention.agent.boot.TrackerControl;
import dev.mapretention.agent.boot.TrackingSettings;
import dev.mapretention.agent.boot.TrackingState;

import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running agent: its options, the tracker's control and state, the hooks in the JDK's maps,
 * the scanner thread and the MXBean. At most one runs in a JVM; {@link #stop} takes it all out again.
 */
public final class AgentRuntime {

    /**
     * Set while the agent runs in this JVM, to the options it runs with ({@code defaults} when none
     * were given), and cleared when it stops. The command line's {@code list} and {@code attach}
     * read it over the attach API, which needs no JMX connector in the JVMs they look at. Not named
     * {@code mapretention.*}: those system properties are options.
     */
    public static final String LOADED_PROPERTY = "dev.mapretention.agent.loaded";

    /** Test-only switch: makes every tracker event fail, to prove failures never reach the map. */
    static final String INJECT_FAILURES_PROPERTY = "dev.mapretention.test.injectTrackerFailures";

    /** Test-only switch: makes {@link #scanPass} fail as on a JDK whose maps lack the fields read. */
    static final String FAIL_PREPARATION_PROPERTY = "dev.mapretention.test.failScanPreparation";

    private static AgentRuntime current;

    private final AgentOptions options;
    private final AgentLog log;
    private final TrackerControl control;
    private final TrackingState state;
    private final Instrumentation instrumentation;
    private final List<MapKind> kinds;
    /** Made by {@link #scanPass} at its first call: the agent's thread, as it starts. */
    private volatile ScanPass scanPass;
    private final Object preparing = new Object();
    private final AtomicBoolean preparationFailed = new AtomicBoolean();
    /** Made at the first census: its kinds' accessors and the wrappers' classes stay off the start path. */
    private HeapCensus heapCensus;
    private final Scanner scanner;
    private final ReportFile reportFile;
    private final AtomicLong scanFailures = new AtomicLong();
    private MapInstrumentation.Installed installed;
    private Thread shutdownHook;
    private ObjectName registeredName;
    /** How many times {@link #reinstateHooks} put hooks back; only the scanner's thread counts. */
    private int reinstated;

    private AgentRuntime(AgentOptions options, AgentLog log, TrackerControl control, TrackingState state,
                         Instrumentation instrumentation, List<MapKind> kinds) {
        this.options = options;
        this.log = log;
        this.control = control;
        this.state = state;
        this.instrumentation = instrumentation;
        this.kinds = kinds;
        this.reportFile = options.report() == null ? null : new ReportFile(options.report(), log);
        this.scanner = new Scanner(this, log, options.scanIntervalMillis(), reportFile, new OversizedMapEvents());
    }

    /**
     * Starts the agent; never throws. A bad option or a failure to instrument is one line on
     * standard error and the application goes on without the agent.
     *
     * @param agentArgs  the agent argument ({@code key=value,...}), or null
     * @param lateAttach true when loaded into a running JVM
     */
    static synchronized void start(String agentArgs, Instrumentation instrumentation, boolean lateAttach,
                                   PrintStream err) {
        long startNanos = System.nanoTime();
        AgentOptions options;
        try {
            options = AgentOptions.parse(agentArgs, System.getProperties());
        } catch (AgentOptions.OptionException e) {
            AgentLog.error(err, e.getMessage() + "; the agent is not installed");
            return;
        }
        AgentLog log = new AgentLog(options.log(), err);
        if (current != null) {
            log.info("already loaded in this JVM (" + current.options + "); nothing changed");
            return;
        }
        TrackerControl control = MapTracker.claim();
        if (control == null) {
            log.error("another agent holds this JVM's map tracker; the agent is not installed");
            return;
        }
        // The agent's own start-up uses maps (module and option tables, the scan pass's first
        // tables): none of them is the application's, so none is tracked.
        int agentCode = control.enterAgentCode();
        try {
            startClaimed(options, log, control, instrumentation, lateAttach, startNanos);
        } finally {
            control.leaveAgentCode(agentCode);
        }
    }

    /**
     * The start path, before the application's {@code main}: only what tracking needs from the
     * first map on (the tracker's state, the hooks, the JDK's maps opened to the tracker). What
     * only the scans need (the kinds' field readers, how sites tell methods apart, the array
     * layout, the scan pass) is made by the agent's thread as it starts: {@link #scanPass}.
     */
    private static void startClaimed(AgentOptions options, AgentLog log, TrackerControl control,
                                     Instrumentation instrumentation, boolean lateAttach, long startNanos) {
        try {
            openJdkMapsToTracker(instrumentation);
            List<MapKind> kinds = MapKind.all();
            TrackingState state = new TrackingState(new TrackingSettings(options.minCapacity(), options.sparseFill(),
                    options.maxTrackedMaps(), options.maxSites(), options.siteDepth(), lateAttach,
                    Boolean.getBoolean(INJECT_FAILURES_PROPERTY)));
            AgentRuntime runtime = new AgentRuntime(options, log, control, state, instrumentation, kinds);
            long preparedNanos = System.nanoTime();
            control.install(state);
            try {
                runtime.installed = MapInstrumentation.install(instrumentation, kinds);
                log.debug("prepared in " + (preparedNanos - startNanos) / 1_000_000 + " ms, maps instrumented in "
                        + (System.nanoTime() - preparedNanos) / 1_000_000 + " ms");
            } catch (RuntimeException | LinkageError e) {
                control.uninstall();
                throw e;
            }
            current = runtime;
            runtime.addShutdownHook();
            System.setProperty(LOADED_PROPERTY, options.toString());
            System.setProperty(BootClasses.BUILD_PROPERTY, BootClasses.BUILD);
            // Plain concatenation: String.format would load locale data, whose HashMaps would be the
            // first to train the JIT's profile of the just retransformed HashMap.
            log.info("tracking hash maps of " + options.minCapacity() + " slots or more (" + options
                    + "); " + AgentVersion.name() + " started in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
            // After the line: what the agent's thread says (that the scan side could not be made,
            // say) comes after it.
            runtime.scanner.start();
        } catch (Throwable t) {
            control.release();
            log.error("could not start, the application runs without it: " + t);
        }
    }

    /**
     * Opens {@code java.util} and {@code java.util.concurrent} (for the tracker's MapFields: the
     * scanner reads the maps' fields, never their methods) and {@code java.lang} and
     * {@code java.lang.invoke} (for the tracker's FrameMethods: telling a stack frame's method
     * without asking the JVM for its name; and Redefinitions, which the instrumentation reads as
     * it installs) to the tracker's module: the boot class loader's unnamed module, which holds
     * only the tracker's classes. The application's modules and class path stay as encapsulated
     * as they were.
     */
    private static final String JDK_ASM = "jdk.internal.org.objectweb.asm";

    private static void openJdkMapsToTracker(Instrumentation instrumentation) {
        Module javaBase = Object.class.getModule();
        Module tracker = MapTracker.class.getModule();
        Map<String, Set<Module>> opens = new TreeMap<>();
        for (String pkg : new String[] {"java.util", "java.util.concurrent", "java.lang", "java.lang.invoke"}) {
            if (!javaBase.isOpen(pkg, tracker)) {
                opens.put(pkg, Set.of(tracker));
            }
        }
        // The JDK's own ASM, where it has one (up to Java 23), for HookWriter: already loaded and
        // archived in CDS, it patches the maps' classes faster at start than the agent's copy.
        Map<String, Set<Module>> exports = new TreeMap<>();
        if (javaBase.getPackages().contains(JDK_ASM) && !javaBase.isExported(JDK_ASM, tracker)) {
            exports.put(JDK_ASM, Set.of(tracker));
        }
        if (!opens.isEmpty() || !exports.isEmpty()) {
            instrumentation.redefineModule(javaBase, Set.of(), exports, opens, Set.of(), Map.of());
        }
    }

    /** The running agent, or null. */
    static synchronized AgentRuntime current() {
        return current;
    }

    /**
     * Takes the agent out: the maps' original bytecode back, scanner stopped, MXBean unregistered,
     * every tracked entry dropped, the tracker's control given back. Afterwards the agent can be
     * started again.
     *
     * @return what was done, or null when the agent was not running
     */
    public static synchronized Detached stop() {
        AgentRuntime runtime = current;
        if (runtime == null) {
            return null;
        }
        Detached detached = runtime.takeOut();
        runtime.log.info(detached.message());
        return detached;
    }

    /** Takes this, the running agent, out; under the class's lock. */
    private Detached takeOut() {
        current = null;
        System.clearProperty(LOADED_PROPERTY);
        control.uninstall();
        List<Class<?>> failed = installed.reset();
        scanner.stop();
        unregisterBean();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
        state.clear();
        control.release();
        List<String> restored = new ArrayList<>();
        List<String> notRestored = new ArrayList<>();
        for (Class<?> c : installed.classes()) {
            (failed.contains(c) ? notRestored : restored).add(c.getName());
        }
        return new Detached(restored, notRestored);
    }

    /**
     * What a detach did.
     *
     * @param restored    the JDK classes whose original bytecode is back
     * @param notRestored those that could not be retransformed back (their hooks find nothing to do)
     */
    public record Detached(List<String> restored, List<String> notRestored) {

        /** One line saying it. */
        public String message() {
            return notRestored.isEmpty()
                    ? "detached: " + String.join(", ", restored) + " restored, tracking stopped"
                    : "detached: tracking stopped, but " + String.join(", ", notRestored)
                    + " could not be retransformed back (its hooks now do nothing)";
        }
    }

    /** The tracker's control, for the agent's own threads and its work on the application's. */
    public TrackerControl control() {
        return control;
    }

    public AgentOptions options() {
        return options;
    }

    /**
     * The scan pass, made at the first call: by the agent's thread as it starts, or by whoever
     * needs it first (the report at exit of a JVM that ends sooner). With it what
     * only the scans and sites need, off the application's start path: the kinds' field
     * readers, how sites tell methods apart, the census library's binding, the array layout.
     *
     * @throws IllegalStateException when the JDK's maps do not have the fields the agent reads
     */
    public ScanPass scanPass() {
        ScanPass pass = scanPass;
        return pass != null ? pass : prepareScans();
    }

    /** True once {@link #scanPass} has made what the scans need. */
    public boolean scansPrepared() {
        return scanPass != null;
    }

    private ScanPass prepareScans() {
        synchronized (preparing) {
            if (scanPass == null) {
                long start = System.nanoTime();
                int agentCode = control.enterAgentCode();
                try {
                    if (Boolean.getBoolean(FAIL_PREPARATION_PROPERTY)) {
                        throw new NoSuchFieldException("test switch " + FAIL_PREPARATION_PROPERTY);
                    }
                    MapFields[] sizeFields = new MapFields[kinds.size()];
                    for (MapKind kind : kinds) {
                        kind.prepare();
                        sizeFields[kind.id()] = kind.fields();
                    }
                    state.useSizeFields(sizeFields);
                    state.prepareSites();
                    HeapCensus.bindLibrary();
                    scanPass = new ScanPass(state, ArrayLayout.measure(instrumentation), options);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot read the JDK's maps: " + e, e);
                } finally {
                    control.leaveAgentCode(agentCode);
                }
                log.debug("scans prepared in " + (System.nanoTime() - start) / 1_000_000
                        + " ms; sites tell methods apart by "
                        + (state.numbersMethods() ? "number" : "name"));
            }
            return scanPass;
        }
    }

    /**
     * The agent's thread could not make what the scans need (a JDK whose maps lack the fields the
     * agent reads): one line, and the agent takes itself out (the maps' original bytecode back).
     */
    public void failedToPrepare(Throwable t) {
        if (!preparationFailed.compareAndSet(false, true)) {
            return;
        }
        log.error("could not start, the application runs without it: " + t);
        synchronized (AgentRuntime.class) {
            if (current == this) {
                takeOut();
            }
        }
    }

    /** A fresh report of what is tracked now: a scan pass on the caller's thread. */
    public Report report() {
        return scanner.scan();
    }

    /**
     * The report of the last pass, if it is no older than one scan interval (else a new pass):
     * for attribute reads, which must not make the agent scan more often than it does by itself.
     */
    public Report snapshot() {
        return scanner.recent(options.scanIntervalMillis());
    }

    /**
     * Takes a heap census (pausing the JVM for its walks, as the report then says), tracks what
     * it found from then on, and returns a fresh report.
     *
     * @throws IllegalStateException when no census can be taken here, with the one-line reason
     */
    public Report census() {
        ScanPass pass = scanPass();
        CensusSummary summary = heapCensus().take();
        pass.censusTaken(summary);
        log.info(HeapCensus.describe(summary));
        return report();
    }

    /**
     * Puts back the hooks that another agent took out by retransforming a map class (the JVM
     * starts such a class again from its original bytes); on the scanner's schedule, so what
     * those maps did in between was not seen. Says so once at info, then at debug. Never throws.
     */
    public void reinstateHooks() {
        try {
            List<Class<?>> back = installed.reinstate();
            if (!back.isEmpty()) {
                String line = "the hooks are back in " + classNames(back) + ", which another agent had retransformed"
                        + " without them (what those maps did meanwhile was not seen)";
                if (reinstated++ == 0) {
                    log.info(line);
                } else {
                    log.debug(line);
                }
            }
        } catch (Throwable t) {
            log.error("could not put the hooks back into a map class another agent retransformed (its maps are"
                    + " not followed as they change any more): " + t);
        }
    }

    private static String classNames(List<Class<?>> classes) {
        List<String> names = new ArrayList<>();
        for (Class<?> c : classes) {
            names.add(c.getName());
        }
        return String.join(", ", names);
    }

    private synchronized HeapCensus heapCensus() {
        if (heapCensus == null) {
            // The census does not follow the agent's own objects: their maps are not the application's.
            heapCensus = new HeapCensus(state, CensusKinds.tracked(), options.censusBudgetMillis(), state, this);
        }
        return heapCensus;
    }

    public void countScanFailure(Throwable t) {
        if (scanFailures.getAndIncrement() == 0) {
            log.error("a scan failed (the application is not affected; later failures are not said): " + t);
        }
    }

    /**
     * Registers the MXBean if the platform MBeanServer is running; true once it is registered
     * (or cannot be). Called on the scanner thread until then.
     *
     * <p>The agent never starts the platform MBeanServer itself: that start loads about a
     * thousand classes (JMX, the diagnostic commands, JFR's among them) and does some 200 ms of
     * HashMap-heavy work, in the application's start-up and, worse, right after HashMap was
     * retransformed: it trained the JIT's fresh profile of {@code HashMap.putVal} with its
     * LinkedHashMaps and String keys, and C2 then compiled putVal "into a big method" that it no
     * longer inlined into the application's hot loops (seen with {@code -XX:+PrintInlining};
     * {@code BenchmarkInliningIT} pins it). Whoever starts JMX (the application, JConsole or the
     * command line through the attach API, a Micrometer registry) finds the MXBean there within
     * {@link Scanner#JMX_POLL_MILLIS}.
     */
    public boolean registerBeanIfJmxRuns() {
        try {
            if (!platformServerRuns()) {
                return false;
            }
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(MapRetentionMXBean.OBJECT_NAME);
            try {
                server.registerMBean(new MapRetentionBean(this), name);
            } catch (InstanceAlreadyExistsException e) {
                log.error("another " + MapRetentionMXBean.OBJECT_NAME + " is registered; JMX shows that one");
                return true;
            }
            synchronized (this) {
                registeredName = name;
            }
        } catch (Throwable t) {
            log.error("could not register the MXBean " + MapRetentionMXBean.OBJECT_NAME + ": " + t);
        }
        return true;
    }

    /**
     * True when the platform MBeanServer exists, asked without creating it: an MBeanServer made
     * by {@link MBeanServerFactory} (as the platform one is) holding the platform's runtime MXBean.
     */
    private static boolean platformServerRuns() throws MalformedObjectNameException {
        List<MBeanServer> servers;
        try {
            servers = MBeanServerFactory.findMBeanServer(null);
        } catch (SecurityException e) {
            return true;
        }
        ObjectName runtime = null;
        for (MBeanServer server : servers) {
            if (runtime == null) {
                runtime = new ObjectName(ManagementFactory.RUNTIME_MXBEAN_NAME);
            }
            if (server.isRegistered(runtime)) {
                return true;
            }
        }
        return false;
    }

    private synchronized void unregisterBean() {
        if (registeredName != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(registeredName);
            } catch (Exception e) {
                log.debug("could not unregister the MXBean: " + e);
            }
            registeredName = null;
        }
    }

    private void addShutdownHook() {
        Thread hook = new Thread(new Runnable() {
            @Override
            public void run() {
                control.ignoreCurrentThread();
                scanner.scanAtExit();
            }
        }, "map-retention-final-report");
        Runtime.getRuntime().addShutdownHook(hook);
        shutdownHook = hook;
    }
}
