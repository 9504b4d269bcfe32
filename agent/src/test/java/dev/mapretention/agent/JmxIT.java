package dev.mapretention.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.tools.attach.VirtualMachine;
import dev.mapretention.scenarios.JmxScenario;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import dev.mapretention.testing.ParsedReport;
import org.junit.jupiter.params.ParameterizedTest;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MXBean as JConsole or VisualVM reads it: over a real JMX connector (the target's local
 * management agent, started through the Attach API) from another JVM, on Java 17 and Java 25.
 * Attributes, findings, JSON and text must all tell the same story, in open types only.
 */
class JmxIT {

    private static final String SCENARIO = JmxScenario.class.getName();

    @ParameterizedTest
    @JdkSource
    void attributesFindingsAndReportsAgreeOverARemoteConnector(Jdk jdk) throws Exception {
        try (ForkedJvm.Running target = ForkedJvm.on(jdk)
                .agent("grace=200ms,scanInterval=100ms")
                .main(JmxScenario.class)
                .start()) {
            target.awaitOutput("FLAGGED", Duration.ofSeconds(90));
            String address = localManagementAgent(target.pid());
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection jmx = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName("dev.mapretention:type=MapRetention");
                assertOpenTypesOnly(jmx.getMBeanInfo(name));

                long tracked = (Long) jmx.getAttribute(name, "TrackedMaps");
                long oversized = (Long) jmx.getAttribute(name, "OversizedMaps");
                long wasted = (Long) jmx.getAttribute(name, "WastedBytes");
                CompositeData[] findings = (CompositeData[]) jmx.getAttribute(name, "Findings");
                String json = (String) jmx.invoke(name, "reportJson", new Object[0], new String[0]);
                String text = (String) jmx.invoke(name, "reportText", new Object[0], new String[0]);
                ParsedReport report = ParsedReport.parse(json);
                String context = "\n" + json + "\n" + text;

                assertEquals(2, oversized, context);
                assertEquals(0L, jmx.getAttribute(name, "ReusedMaps"), context);
                assertEquals(2, tracked, context);
                assertEquals(tracked, report.summary().get("trackedMaps").asLong(), context);
                assertEquals(oversized, report.summary().get("oversizedMaps").asLong(), context);
                assertEquals(wasted, report.summary().get("wastedBytes").asLong(), context);
                assertEquals(2, findings.length, context);
                assertEquals(findings.length, report.findings().size(), context);

                long sum = 0;
                for (int i = 0; i < findings.length; i++) {
                    CompositeData finding = findings[i];
                    JsonNode expected = report.findings().get(i);
                    List<String> site = new ArrayList<>();
                    expected.get("site").forEach(frame -> site.add(frame.asText()));
                    assertArrayEquals(site.toArray(new String[0]), (String[]) finding.get("site"), context);
                    assertEquals(expected.get("container").asText(), finding.get("container"), context);
                    assertEquals(expected.get("siteKind").asText(), finding.get("siteKind"), context);
                    assertEquals(expected.get("oversizedMaps").asLong(), finding.get("oversizedMaps"), context);
                    assertEquals(expected.get("wastedBytes").asLong(), finding.get("wastedBytes"), context);
                    JsonNode largest = expected.get("maps").get(0);
                    assertEquals(largest.get("capacity").asInt(), finding.get("largestCapacity"), context);
                    assertEquals(largest.get("size").asInt(), finding.get("largestSize"), context);
                    assertEquals(expected.get("advice").asText(), finding.get("advice"), context);
                    assertEquals(expected.get("pattern").asText(), finding.get("pattern"), context);
                    assertEquals(expected.get("reusedMaps").asLong(), finding.get("reusedMaps"), context);
                    sum += (Long) finding.get("wastedBytes");

                    // The text report names the same site and map.
                    assertTrue(text.contains(site.get(0)), context);
                    assertTrue(text.contains(String.format(Locale.ROOT, "largest: capacity %,d, size %,d",
                            largest.get("capacity").asInt(), largest.get("size").asInt())), context);
                    assertTrue(text.contains(" wasted by 1 " + expected.get("container").asText() + "\n"), context);
                }
                assertEquals(wasted, sum, context);
                assertTrue(text.contains("tracked maps: 2   oversized: 2   wasted: "), context);

                // Largest waste first: the HashMap of 262,144 slots, then the LinkedHashSet.
                assertTrue(((String[]) findings[0].get("site"))[0].startsWith(SCENARIO + ".growMap("), context);
                assertEquals("HashMap", findings[0].get("container"), context);
                assertEquals(262_144, findings[0].get("largestCapacity"), context);
                assertTrue(((String[]) findings[1].get("site"))[0].startsWith(SCENARIO + ".growSet("), context);
                assertEquals("LinkedHashSet", findings[1].get("container"), context);
                assertEquals(32_768, findings[1].get("largestCapacity"), context);
                assertTrue((Long) findings[0].get("wastedBytes") > (Long) findings[1].get("wastedBytes"), context);
                assertEquals(0L, jmx.getAttribute(name, "TrackerFailures"), context);
            }
            target.process().getOutputStream().close();
            ForkedJvm.Result result = target.await(Duration.ofSeconds(30));
            assertEquals(0, result.exitCode(), result.describe());
        }
    }

    /** Starts the target's local JMX agent through the Attach API; returns its connector address. */
    private static String localManagementAgent(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            return vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
    }

    /**
     * Every attribute and operation of the bean is of an open type (java.lang or
     * javax.management.openmbean), so a client without the agent's classes can read it all.
     */
    private static void assertOpenTypesOnly(MBeanInfo info) {
        assertNotNull(info.getDescriptor().getFieldValue("mxbean"), "not an MXBean: " + info);
        assertEquals("true", String.valueOf(info.getDescriptor().getFieldValue("mxbean")));
        List<String> types = new ArrayList<>();
        for (MBeanAttributeInfo attribute : info.getAttributes()) {
            assertNotNull(attribute.getDescriptor().getFieldValue("openType"), attribute.getName());
            types.add(attribute.getType());
        }
        for (MBeanOperationInfo operation : info.getOperations()) {
            assertNotNull(operation.getDescriptor().getFieldValue("openType"), operation.getName());
            types.add(operation.getReturnType());
        }
        for (String type : types) {
            assertTrue(type.equals("long") || type.startsWith("java.lang.")
                    || type.startsWith("[Ljavax.management.openmbean.") || type.startsWith("javax.management.openmbean."),
                    "not an open type: " + type + " in " + Arrays.toString(info.getAttributes()));
        }
        assertTrue(types.contains("[Ljavax.management.openmbean.CompositeData;"), types.toString());
    }

    /**
     * A scrape reads one snapshot: 200 scrapes of three attributes each, as fast as they go, all
     * see the same values, and cause at most a pass per scan interval (here one or two passes in
     * all, counted in the agent's debug lines), not one per attribute read.
     */
    @ParameterizedTest
    @JdkSource
    void scrapesReadOneSnapshotPerScanInterval(Jdk jdk) throws Exception {
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("grace=0s,scanInterval=5s,log=debug")
                .main(dev.mapretention.scenarios.ScrapeScenario.class)
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("SCRAPES DONE consistent=true"), result.describe());
        String afterFlagged = result.stderr();
        long passes = result.agentLines().stream().filter(l -> l.matches("\\[map-retention\\] scan \\d+: .*")).count();
        assertTrue(passes <= 4, passes + " passes for 600 attribute reads\n" + afterFlagged);
    }

    /**
     * A program shorter than the grace period hears at exit of the maps that were sparse, though
     * none was old enough to be reported as oversized.
     */
    @ParameterizedTest
    @JdkSource
    void atExitSparseMapsUnderGraceAreSaidInOneLine(Jdk jdk) throws Exception {
        ForkedJvm.Result result = ForkedJvm.on(jdk)
                .agent("scanInterval=100ms")
                .main(dev.mapretention.scenarios.CoreScenarios.class, "300")
                .run();
        assertEquals(0, result.exitCode(), result.describe());
        List<String> atExit = result.agentLines().stream().filter(l -> l.contains("at exit:")).toList();
        assertEquals(1, atExit.size(), result.describe());
        assertTrue(atExit.get(0).matches("\\[map-retention\\] at exit: 12 maps sparse for up to [0-9.]+(ms|s), "
                + "under grace=1\\.0m \\(not yet reported as oversized\\)"), atExit.get(0));
        assertTrue(result.agentLines().stream().noneMatch(l -> l.contains("oversized:")), result.describe());
    }
}
