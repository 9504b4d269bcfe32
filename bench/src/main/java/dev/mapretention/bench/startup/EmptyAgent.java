package dev.mapretention.bench.startup;

import java.lang.instrument.Instrumentation;

/**
 * A Java agent that does nothing: what any {@code -javaagent} costs a JVM's start (the
 * instrument module, the agent jar, the module graph resolved again rather than taken from the
 * CDS archive), the floor under the map-retention agent's own cost. {@link FrameworkStartupProbe}
 * puts it in a jar of its own.
 */
public final class EmptyAgent {

    private EmptyAgent() {
    }

    public static void premain(String options, Instrumentation instrumentation) {
        // nothing: the point is what the JVM does for an agent before and after this call
    }
}
