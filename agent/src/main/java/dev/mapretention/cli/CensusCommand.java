package dev.mapretention.cli;

import dev.mapretention.agent.census.CensusPlatform;
import dev.mapretention.agent.census.HeapCensus;

/**
 * {@code census PID [OPTIONS] [--json]}: a heap census of a running JVM. It loads the agent
 * there unless it runs already (with OPTIONS, as {@code attach} does), then the census library
 * (a JVMTI agent, from this jar), takes the census through the agent's MXBean and prints the
 * report, in which the maps the census found are findings with what holds each. The census
 * pauses that JVM while it walks the heap; the report says how long.
 */
final class CensusCommand implements Command {

    private static final String NOT_DYNAMIC = "Dynamic agent loading is not enabled";

    @Override
    public String label() {
        return "census";
    }

    @Override
    public String synopsis() {
        return "PID [OPTIONS] [--json]";
    }

    @Override
    public String description() {
        return "find every live map in that JVM with what holds it (pauses it; loads the agent if needed)";
    }

    @Override
    public void run(Arguments args, Console console) throws UsageException, CommandFailedException {
        boolean json = args.flag("--json");
        long pid = args.pid();
        String options = AgentLoader.readOptions(args);
        if (!CensusPlatform.supported()) {
            throw new CommandFailedException(CensusPlatform.notAvailable());
        }
        try (TargetJvm target = TargetJvm.attach(pid)) {
            String loaded = target.agentOptions();
            if (loaded == null) {
                AgentLoader.load(target, pid, options, console);
            } else {
                if (options != null) {
                    console.err().println("map-retention: the agent runs in " + pid + " already (" + loaded
                            + "): " + options + " not applied; detach it and take the census again to change them");
                }
                LoadedAgent.awaitBean(target, pid);
            }
            String status = target.invoke("censusStatus");
            if (status.equals(HeapCensus.NOT_LOADED)) {
                CensusLibrary.loadInto(target, pid, console.requireAgentJar());
                status = target.invoke("censusStatus");
            }
            if (!status.equals(HeapCensus.READY)) {
                throw new CommandFailedException("no census in " + pid + ": " + status);
            }
            console.out().print(target.invoke(json ? "censusJson" : "census"));
        } catch (CommandFailedException e) {
            if (e.getMessage().contains(NOT_DYNAMIC)) {
                throw new CommandFailedException(pid + " does not let agents load while it runs (it was started with"
                        + " -XX:-EnableDynamicAgentLoading): start it with -javaagent:map-retention-agent.jar and"
                        + " -agentpath:libmapretention.so (see README, Census) to take a census; nothing was loaded");
            }
            throw e;
        }
    }
}
