package dev.mapretention.bench.footprint;

import dev.mapretention.bench.AgentBean;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The child side of {@link TrackedMapsProbe}: grows {@code maps} maps to 4,096 slots from
 * {@code sites} distinct sites, holds them, and prints (as {@code key=value} lines) the live heap's
 * class histogram before and after; with the agent, also the agent's counts and the time of
 * {@code reportJson()} through the platform MBeanServer, {@code reports} times after two
 * untimed calls.
 *
 * <pre>TrackedMapsWorkload MAPS SITES REPORTS AGENT(on|off)</pre>
 */
public final class TrackedMapsWorkload {

    private TrackedMapsWorkload() {
    }

    public static void main(String[] args) throws Exception {
        int maps = Integer.parseInt(args[0]);
        int sites = Integer.parseInt(args[1]);
        int reports = Integer.parseInt(args[2]);
        boolean agent = args[3].equals("on");

        // JMX is set up in both variants before the first heap reading, so that it counts in neither.
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        AgentBean bean = new AgentBean();
        if (agent) {
            bean.awaitRegistered(30);
        } else if (bean.isRegistered()) {
            throw new IllegalStateException("the agent is running in the no-agent variant");
        }
        Object[] held = new Object[maps];
        printHistogram("histogramBefore", server);
        long buildStart = System.nanoTime();
        for (int i = 0; i < maps; i++) {
            held[i] = SiteFan.grownAt(i % sites);
        }
        long buildNanos = System.nanoTime() - buildStart;
        System.out.println("buildMillis=" + buildNanos / 1_000_000);
        printHistogram("histogramAfter", server);
        if (agent) {
            String json = bean.reportJson();
            System.out.println("trackedMaps=" + AgentBean.number(json, "trackedMaps"));
            System.out.println("oversizedMaps=" + AgentBean.number(json, "oversizedMaps"));
            System.out.println("refusedMaps=" + AgentBean.number(json, "refusedMaps"));
            System.out.println("sites=" + AgentBean.number(json, "sites"));
            System.out.println("trackerFailures=" + AgentBean.number(json, "trackerFailures"));
            bean.reportJson();
            StringBuilder times = new StringBuilder();
            int length = 0;
            for (int i = 0; i < reports; i++) {
                long start = System.nanoTime();
                String report = bean.reportJson();
                long nanos = System.nanoTime() - start;
                length = report.length();
                times.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", nanos / 1e6));
            }
            System.out.println("reportMillis=" + times);
            System.out.println("reportChars=" + length);
        }
        // Keep the maps reachable until every reading is taken.
        System.out.println("held=" + (held[maps - 1] != null ? maps : 0));
    }

    /**
     * What is live on the heap, class by class (what {@code jcmd PID GC.class_histogram} prints), as
     * {@code key=CLASS INSTANCES BYTES} lines.
     */
    private static void printHistogram(String key, MBeanServer server) throws Exception {
        String histogram = (String) server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
        StringBuilder lines = new StringBuilder();
        for (String line : histogram.split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length >= 4 && cells[0].endsWith(":")) {
                lines.append(key).append('=').append(cells[3]).append(' ').append(cells[1]).append(' ')
                        .append(cells[2]).append('\n');
            }
        }
        System.out.print(lines);
    }
}
