package dev.mapretention.bench.startup;

import dev.mapretention.bench.ChildJvm;
import dev.mapretention.bench.Stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time the agent adds before {@code main} runs: a trivial program started repeatedly, with
 * and without {@code -javaagent} (default options), alternately, on the JDK running this class.
 *
 * <p>Launch-to-main is from just before the process is started to the first line of
 * {@code main} ({@code System.nanoTime()} on both sides, one clock on Linux); launch-to-exit is
 * until the process is seen to end. The added time is taken pairwise (each agent run minus the
 * no-agent run next to it), so that the machine's load at that moment cancels out.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.mapretention.bench.startup.StartupProbe --agent JAR [--runs 20]</pre>
 */
public final class StartupProbe {

    /** The target for the time added before main. */
    static final double TARGET_MS = 250;

    private static final Pattern STARTED_IN = Pattern.compile("started in (\\d+) ms");

    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path agentJar = null;
        int runs = 20;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--agent": agentJar = Path.of(args[i + 1]); break;
                case "--runs": runs = Integer.parseInt(args[i + 1]); break;
                default: usage("unknown argument '" + args[i] + "'");
            }
        }
        if (agentJar == null || !Files.isRegularFile(agentJar) || runs < 1 || args.length % 2 != 0) {
            usage("--agent must name the built agent jar and --runs a positive count");
        }
        // Two untimed runs of each, so that the jars and the JDK are in the page cache for both.
        for (int i = 0; i < 2; i++) {
            launch(null);
            launch(agentJar);
        }
        double[][] toMain = new double[2][runs];
        double[][] toExit = new double[2][runs];
        double[] addedToMain = new double[runs];
        double[] addedToExit = new double[runs];
        double[] premain = new double[runs];
        for (int i = 0; i < runs; i++) {
            boolean agentFirst = i % 2 == 1;
            for (int turn = 0; turn < 2; turn++) {
                boolean agent = (turn == 0) == agentFirst;
                ChildJvm.Finished run = launch(agent ? agentJar : null);
                int v = agent ? 1 : 0;
                toMain[v][i] = (run.longValue("mainEnteredNanos") - run.startNanos) / 1e6;
                toExit[v][i] = (run.endNanos - run.startNanos) / 1e6;
                if (agent) {
                    Matcher m = STARTED_IN.matcher(run.stderr);
                    if (!m.find()) {
                        throw new IllegalStateException("the agent did not say it started; stderr:\n" + run.stderr);
                    }
                    premain[i] = Double.parseDouble(m.group(1));
                }
            }
            addedToMain[i] = toMain[1][i] - toMain[0][i];
            addedToExit[i] = toExit[1][i] - toExit[0][i];
        }
        String f = "%,.0f";
        System.out.printf(Locale.ROOT, "Start-up on Java %s (%s): trivial main, %d runs each with and without the agent"
                        + " (default options), alternating; ms as median [p25 .. p75] (min, max)%n",
                System.getProperty("java.version"), System.getProperty("java.vm.version"), runs);
        System.out.printf(Locale.ROOT, "  launch to main, no agent:             %s%n", new Stats(toMain[0]).summary(f));
        System.out.printf(Locale.ROOT, "  launch to main, agent:                %s%n", new Stats(toMain[1]).summary(f));
        System.out.printf(Locale.ROOT, "  launch to exit, no agent:             %s%n", new Stats(toExit[0]).summary(f));
        System.out.printf(Locale.ROOT, "  launch to exit, agent:                %s%n", new Stats(toExit[1]).summary(f));
        System.out.printf(Locale.ROOT, "  agent's own 'started in N ms':        %s%n", new Stats(premain).summary(f));
        Stats added = new Stats(addedToMain);
        System.out.printf(Locale.ROOT, "  added before main (paired):           %s%n", added.summary(f));
        System.out.printf(Locale.ROOT, "  added to the whole run (paired):      %s%n", new Stats(addedToExit).summary(f));
        System.out.printf(Locale.ROOT, "  target: added before main at most %.0f ms: %s%n", TARGET_MS,
                added.verdict(TARGET_MS));
    }

    private static ChildJvm.Finished launch(Path agentJar) throws Exception {
        ChildJvm child = ChildJvm.of(TrivialMain.class).timeoutSeconds(120);
        if (agentJar != null) {
            child.agent(agentJar, null);
        }
        return child.run();
    }

    private static void usage(String problem) {
        System.err.println("startup: " + problem);
        System.err.println("usage: StartupProbe --agent JAR [--runs N]");
        System.exit(2);
    }
}
