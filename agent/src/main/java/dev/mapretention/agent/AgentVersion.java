package dev.mapretention.agent;

/**
 * The agent's name and version, as the agent jar's manifest gives them
 * ({@code Implementation-Version}, which the build sets to the project's version). The class
 * loader read the manifest when it loaded this package, so asking costs no I/O: it is on the
 * agent's start-up path.
 */
public final class AgentVersion {

    private AgentVersion() {
    }

    /** {@code map-retention 0.1.0}, or {@code map-retention (version unknown)} when not run from the built jar. */
    public static String name() {
        String version = AgentVersion.class.getPackage().getImplementationVersion();
        return "map-retention " + (version == null ? "(version unknown)" : version);
    }
}
