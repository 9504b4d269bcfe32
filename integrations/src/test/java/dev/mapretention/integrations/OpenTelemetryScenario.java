package dev.mapretention.integrations;

import java.io.IOException;
import java.util.Map;

/**
 * An application run with the OpenTelemetry Java agent and ours: it drains a map, waits until
 * our agent flags it, prints our agent's report and then keeps running (the map alive) until
 * its standard input closes, while the OpenTelemetry agent exports metrics.
 *
 * <p>Output: {@code REPORT <json>}, then {@code RUNNING}.
 */
public final class OpenTelemetryScenario {

    private OpenTelemetryScenario() {
    }

    public static void main(String[] args) throws Exception {
        Map<Integer, String> map = AgentMBean.growAndDrain();
        AgentMBean.awaitOversized();
        System.out.println("REPORT " + AgentMBean.reportJson());
        System.out.println("RUNNING");
        waitForEndOfInput();
        System.out.println("map still held: " + map.isEmpty());
    }

    private static void waitForEndOfInput() throws IOException {
        while (System.in.read() >= 0) {
            // until the test closes our standard input
        }
    }
}
