package dev.mapretention.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The table of bad agent options and the exact line each must produce. Shared by the unit test of
 * {@link AgentOptions#parse} (every row) and the forked test (the rows marked {@code forked}, on
 * both JDKs, through a real {@code -javaagent:}).
 */
final class BadOptions {

    /**
     * One bad input.
     *
     * @param agentArgs  the agent argument, or null
     * @param properties {@code -D} system properties
     * @param message    the whole message, as the agent says it (before "; the agent is not installed")
     * @param forked     also run through a forked JVM
     */
    record Case(String agentArgs, Map<String, String> properties, String message, boolean forked) {

        Properties systemProperties() {
            Properties p = new Properties();
            p.putAll(properties);
            return p;
        }

        List<String> jvmArgs() {
            List<String> args = new ArrayList<>();
            properties.forEach((k, v) -> args.add("-D" + k + "=" + v));
            return args;
        }

        @Override
        public String toString() {
            return (agentArgs == null ? "" : "'" + agentArgs + "'") + (properties.isEmpty() ? "" : " " + jvmArgs());
        }
    }

    private static final String KNOWN = String.join(", ", AgentOptions.keys());
    private static final String WHOLE_SLOTS = ": expected a whole number of slots from 1 to 1073741824";
    private static final String DURATION = ": expected a duration such as 0s, 500ms, 30s, 5m or 1h";
    private static final String REFILLS = ": expected a whole number of refills from 1 to 1000000";
    private static final String CYCLES = ": expected a whole number of cycles from 1 to 1000";
    private static final String FILL = ": expected a fraction greater than 0 and less than 1, such as 0.125";

    private BadOptions() {
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        // Unknown keys, in the argument and as -Dmapretention.X.
        arg(cases, true, "minCapacity=16,colour=red", "unknown option 'colour': known options are " + KNOWN);
        arg(cases, false, "MinCapacity=16", "unknown option 'MinCapacity': known options are " + KNOWN);
        prop(cases, true, "mapretention.colour", "red", "unknown option '-Dmapretention.colour': known options are "
                + KNOWN);
        prop(cases, false, "mapretention.", "x", "unknown option '-Dmapretention.': known options are " + KNOWN);
        // Numbers: negative, zero, too large, not a number.
        arg(cases, false, "minCapacity=-1", "bad option minCapacity=-1" + WHOLE_SLOTS);
        arg(cases, false, "minCapacity=0", "bad option minCapacity=0" + WHOLE_SLOTS);
        arg(cases, false, "minCapacity=1073741825", "bad option minCapacity=1073741825" + WHOLE_SLOTS);
        arg(cases, false, "minCapacity=4k", "bad option minCapacity=4k" + WHOLE_SLOTS);
        arg(cases, false, "minCapacity=99999999999999999999", "bad option minCapacity=99999999999999999999"
                + WHOLE_SLOTS);
        arg(cases, false, "minCapacity=", "bad option minCapacity=" + WHOLE_SLOTS);
        arg(cases, false, "maxTrackedMaps=0", "bad option maxTrackedMaps=0: expected a whole number from 1 to 10000000");
        arg(cases, false, "maxSites=lots", "bad option maxSites=lots: expected a whole number from 1 to 1000000");
        arg(cases, false, "siteDepth=257", "bad option siteDepth=257: expected a whole number of frames from 1 to 256");
        prop(cases, false, "mapretention.minCapacity", "-5", "bad option minCapacity=-5" + WHOLE_SLOTS);
        arg(cases, true, "reuseRefills=0", "bad option reuseRefills=0" + REFILLS);
        arg(cases, false, "reuseRefills=-2", "bad option reuseRefills=-2" + REFILLS);
        arg(cases, false, "reuseRefills=1000001", "bad option reuseRefills=1000001" + REFILLS);
        arg(cases, false, "reuseRefills=twice", "bad option reuseRefills=twice" + REFILLS);
        arg(cases, false, "reuseCycles=0", "bad option reuseCycles=0" + CYCLES);
        arg(cases, false, "reuseCycles=1001", "bad option reuseCycles=1001" + CYCLES);
        arg(cases, false, "reuseCycles=2.5", "bad option reuseCycles=2.5" + CYCLES);
        prop(cases, false, "mapretention.reuseCycles", "", "bad option reuseCycles=" + CYCLES);
        // Durations.
        arg(cases, true, "grace=5", "bad option grace=5" + DURATION);
        arg(cases, false, "grace=-1s", "bad option grace=-1s" + DURATION);
        arg(cases, false, "grace=1.5s", "bad option grace=1.5s" + DURATION);
        arg(cases, false, "grace=5d", "bad option grace=5d" + DURATION);
        arg(cases, false, "grace=s", "bad option grace=s" + DURATION);
        arg(cases, false, "grace=", "bad option grace=" + DURATION);
        arg(cases, false, "grace=1234567890123s", "bad option grace=1234567890123s" + DURATION);
        arg(cases, false, "scanInterval=0s", "bad option scanInterval=0s" + DURATION + " (at least 1ms)");
        arg(cases, false, "scanInterval=ten", "bad option scanInterval=ten" + DURATION + " (at least 1ms)");
        arg(cases, false, "censusBudget=50ms", "bad option censusBudget=50ms" + DURATION + " (at least 100ms)");
        // sparseFill outside (0, 1).
        arg(cases, false, "sparseFill=1", "bad option sparseFill=1" + FILL);
        arg(cases, false, "sparseFill=0", "bad option sparseFill=0" + FILL);
        arg(cases, false, "sparseFill=1.5", "bad option sparseFill=1.5" + FILL);
        arg(cases, false, "sparseFill=-0.1", "bad option sparseFill=-0.1" + FILL);
        arg(cases, false, "sparseFill=NaN", "bad option sparseFill=NaN" + FILL);
        arg(cases, false, "sparseFill=half", "bad option sparseFill=half" + FILL);
        // Other values.
        arg(cases, false, "log=verbose", "bad option log=verbose: expected quiet, info or debug");
        arg(cases, false, "report=", "bad option report=: expected the path of the JSON report file to write");
        arg(cases, false, "report=a\u0000b", "bad option report=a\u0000b: expected a file path (Nul character not allowed)");
        // Malformed pairs.
        arg(cases, true, "minCapacity=16,,grace=0s", "empty option in 'minCapacity=16,,grace=0s': options are key=value"
                + " pairs joined by single commas");
        arg(cases, false, "minCapacity=16,", "empty option in 'minCapacity=16,': options are key=value pairs joined by"
                + " single commas");
        arg(cases, false, ",grace=1s", "empty option in ',grace=1s': options are key=value pairs joined by single"
                + " commas");
        arg(cases, false, "minCapacity", "option 'minCapacity' has no value: write key=value, one of " + KNOWN);
        arg(cases, false, "=16", "option '=16' has no key: write key=value, one of " + KNOWN);
        // A key given twice.
        arg(cases, false, "grace=1s,grace=2s", "option 'grace' is given twice: give each option once");
        arg(cases, false, "log=quiet,minCapacity=16,log=debug", "option 'log' is given twice: give each option once");
        return cases;
    }

    private static void arg(List<Case> cases, boolean forked, String agentArgs, String message) {
        cases.add(new Case(agentArgs, Map.of(), message, forked));
    }

    private static void prop(List<Case> cases, boolean forked, String name, String value, String message) {
        cases.add(new Case(null, Map.of(name, value), message, forked));
    }

    static List<Case> forked() {
        List<Case> forked = new ArrayList<>();
        for (Case c : all()) {
            if (c.forked()) {
                forked.add(c);
            }
        }
        return forked;
    }
}
