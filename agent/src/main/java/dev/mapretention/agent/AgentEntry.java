package dev.mapretention.agent;

import dev.mapretention.agent.instrument.BootClasses;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points ({@code Premain-Class} and {@code Agent-Class}). They do as little as
 * possible: make the boot-side tracker visible to the boot loader, hand off, and never let
 * anything escape into the application.
 */
public final class AgentEntry {

    private AgentEntry() {
    }

    /** {@code -javaagent:map-retention-agent.jar[=OPTIONS]}. */
    public static void premain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation, false);
    }

    /** Loaded into a running JVM (the {@code attach} command, or any attach tool). */
    public static void agentmain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation, true);
    }

    private static void start(String agentArgs, Instrumentation instrumentation, boolean lateAttach) {
        try {
            // Before any class that refers to the tracker is loaded, or it would be loaded twice.
            BootClasses.ensureVisible(instrumentation);
            AgentRuntime.start(agentArgs, instrumentation, lateAttach, System.err);
        } catch (Throwable t) {
            try {
                AgentLog.error(System.err, "could not start, the application runs without it: " + t);
            } catch (Throwable ignored) {
                // nothing more can be done without risking the application
            }
        }
    }
}
