package dev.mapretention.agent;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The agent's options, parsed from the agent argument ({@code key=value} pairs joined by commas)
 * and from {@code -Dmapretention.KEY=VALUE} system properties; the agent argument wins.
 *
 * <p>Parsing is strict: an unknown key, a bad value, an empty pair or a key given twice is an
 * {@link OptionException} whose message is one line naming the option and what it accepts.
 */
public final class AgentOptions {

    /** The prefix of the system properties that set options. */
    public static final String PROPERTY_PREFIX = "mapretention.";

    /** The log levels, from least to most said. */
    public enum LogLevel { QUIET, INFO, DEBUG }

    private static final String[] KEYS = {
        "minCapacity", "sparseFill", "grace", "scanInterval", "report", "log",
        "maxTrackedMaps", "maxSites", "siteDepth", "censusBudget", "reuseRefills", "reuseCycles"};

    private final int minCapacity;
    private final double sparseFill;
    private final long graceMillis;
    private final long scanIntervalMillis;
    private final Path report;
    private final LogLevel log;
    private final int maxTrackedMaps;
    private final int maxSites;
    private final int siteDepth;
    private final long censusBudgetMillis;
    private final int reuseRefills;
    private final int reuseCycles;
    private final String canonical;

    private AgentOptions(Values values) throws OptionException {
        minCapacity = intOption(values, "minCapacity", "4096", 1, 1 << 30, "a whole number of slots from 1 to 1073741824");
        sparseFill = fillOption(values.getOrDefault("sparseFill", "0.125"));
        graceMillis = durationOption("grace", values.getOrDefault("grace", "60s"), 0);
        scanIntervalMillis = durationOption("scanInterval", values.getOrDefault("scanInterval", "10s"), 1);
        report = pathOption(values.get("report"));
        log = logOption(values.getOrDefault("log", "info"));
        maxTrackedMaps = intOption(values, "maxTrackedMaps", "100000", 1, 10_000_000, "a whole number from 1 to 10000000");
        maxSites = intOption(values, "maxSites", "10000", 1, 1_000_000, "a whole number from 1 to 1000000");
        siteDepth = intOption(values, "siteDepth", "12", 1, 256, "a whole number of frames from 1 to 256");
        censusBudgetMillis = durationOption("censusBudget", values.getOrDefault("censusBudget", "10s"), 100);
        reuseRefills = intOption(values, "reuseRefills", "2", 1, 1_000_000, "a whole number of refills from 1 to 1000000");
        reuseCycles = intOption(values, "reuseCycles", "3", 1, 1000, "a whole number of cycles from 1 to 1000");
        canonical = values.toString();
    }

    /** The defaults, as if no option were given. */
    public static AgentOptions defaults() {
        try {
            return new AgentOptions(new Values());
        } catch (OptionException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Parses the agent argument and the {@code mapretention.*} system properties.
     *
     * @param agentArgs  the argument after {@code =} in {@code -javaagent:jar=ARGS}, or null
     * @param properties the system properties to read
     */
    public static AgentOptions parse(String agentArgs, Properties properties) throws OptionException {
        Values values = new Values();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PROPERTY_PREFIX)) {
                String key = name.substring(PROPERTY_PREFIX.length());
                checkKnown(key, "-D" + name);
                values.put(key, properties.getProperty(name).trim());
            }
        }
        Values fromArgument = new Values();
        if (agentArgs != null && !agentArgs.isBlank()) {
            for (String pair : agentArgs.split(",", -1)) {
                String trimmed = pair.trim();
                int eq = trimmed.indexOf('=');
                if (trimmed.isEmpty()) {
                    throw new OptionException("empty option in '" + agentArgs
                            + "': options are key=value pairs joined by single commas");
                }
                if (eq <= 0) {
                    throw new OptionException("option '" + trimmed + "' has no " + (eq == 0 ? "key" : "value")
                            + ": write key=value, one of " + String.join(", ", KEYS));
                }
                String key = trimmed.substring(0, eq).trim();
                checkKnown(key, key);
                if (fromArgument.containsKey(key)) {
                    throw new OptionException("option '" + key + "' is given twice: give each option once");
                }
                fromArgument.put(key, trimmed.substring(eq + 1).trim());
            }
        }
        values.putAll(fromArgument);
        return new AgentOptions(values);
    }

    private static void checkKnown(String key, String as) throws OptionException {
        if (indexOf(key) < 0) {
            throw new OptionException("unknown option '" + as + "': known options are " + String.join(", ", KEYS));
        }
    }

    private static int indexOf(String key) {
        for (int i = 0; i < KEYS.length; i++) {
            if (KEYS[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The given values by option, in the order given. Deliberately not a HashMap or
     * LinkedHashMap: code the agent runs at start-up must not train the JIT's profile of
     * HashMap.putVal (a LinkedHashMap's newNode there made C2 compile putVal too big to inline
     * into a benchmark's loop, 1.4x slower puts with no tracking at all).
     */
    private static final class Values {
        private final String[] byKey = new String[KEYS.length];
        /** Key indexes in the order they were first given, as a LinkedHashMap would keep them. */
        private final int[] order = new int[KEYS.length];
        private int count;

        String get(String key) {
            return byKey[indexOf(key)];
        }

        String getOrDefault(String key, String fallback) {
            String value = get(key);
            return value != null ? value : fallback;
        }

        boolean containsKey(String key) {
            return get(key) != null;
        }

        void put(String key, String value) {
            int index = indexOf(key);
            if (byKey[index] == null) {
                order[count++] = index;
            }
            byKey[index] = value;
        }

        void putAll(Values other) {
            for (int i = 0; i < other.count; i++) {
                put(KEYS[other.order[i]], other.byKey[other.order[i]]);
            }
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < count; i++) {
                text.append(i == 0 ? "" : ",").append(KEYS[order[i]]).append('=').append(byKey[order[i]]);
            }
            return text.toString();
        }
    }

    private static int intOption(Values values, String key, String fallback, int min, int max,
                                 String accepted) throws OptionException {
        String text = values.getOrDefault(key, fallback);
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return (int) value;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new OptionException("bad option " + key + "=" + text + ": expected " + accepted);
    }

    private static double fillOption(String text) throws OptionException {
        try {
            double value = Double.parseDouble(text);
            if (value > 0 && value < 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new OptionException("bad option sparseFill=" + text
                + ": expected a fraction greater than 0 and less than 1, such as 0.125");
    }

    /** Parses {@code 0s}, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} into milliseconds. */
    static long durationOption(String key, String text, long minMillis) throws OptionException {
        String accepted = ": expected a duration such as 0s, 500ms, 30s, 5m or 1h"
                + (minMillis > 0 ? " (at least " + minMillis + "ms)" : "");
        int unitStart = 0;
        while (unitStart < text.length() && Character.isDigit(text.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0 || unitStart > 12) {
            throw new OptionException("bad option " + key + "=" + text + accepted);
        }
        long amount = Long.parseLong(text.substring(0, unitStart));
        long unitMillis;
        switch (text.substring(unitStart).toLowerCase(Locale.ROOT)) {
            case "ms": unitMillis = 1; break;
            case "s": unitMillis = 1_000; break;
            case "m": unitMillis = 60_000; break;
            case "h": unitMillis = 3_600_000; break;
            default: throw new OptionException("bad option " + key + "=" + text + accepted);
        }
        long millis = amount * unitMillis;
        if (millis < minMillis) {
            throw new OptionException("bad option " + key + "=" + text + accepted);
        }
        return millis;
    }

    private static Path pathOption(String text) throws OptionException {
        if (text == null) {
            return null;
        }
        if (text.isEmpty()) {
            throw new OptionException("bad option report=: expected the path of the JSON report file to write");
        }
        try {
            return Path.of(text).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new OptionException("bad option report=" + text + ": expected a file path (" + e.getReason() + ")");
        }
    }

    private static LogLevel logOption(String text) throws OptionException {
        for (LogLevel level : LogLevel.values()) {
            if (level.name().toLowerCase(Locale.ROOT).equals(text)) {
                return level;
            }
        }
        throw new OptionException("bad option log=" + text + ": expected quiet, info or debug");
    }

    public int minCapacity() {
        return minCapacity;
    }

    public double sparseFill() {
        return sparseFill;
    }

    public long graceMillis() {
        return graceMillis;
    }

    public long scanIntervalMillis() {
        return scanIntervalMillis;
    }

    /** The report file, or null when none was asked for. */
    public Path report() {
        return report;
    }

    public LogLevel log() {
        return log;
    }

    public int maxTrackedMaps() {
        return maxTrackedMaps;
    }

    public int maxSites() {
        return maxSites;
    }

    public int siteDepth() {
        return siteDepth;
    }

    /** How long a heap census may take; past it, it stops and says it is partial. */
    public long censusBudgetMillis() {
        return censusBudgetMillis;
    }

    /** How many refills make a map that drains again <em>reused</em> rather than retained. */
    public int reuseRefills() {
        return reuseRefills;
    }

    /**
     * How many of its own cycles (its usual time from one fill to the next) a refilled map may
     * stay sparse and still be reused; after that its refills have stopped, and it is retained.
     */
    public int reuseCycles() {
        return reuseCycles;
    }

    /** The options that were given, as {@code key=value} pairs in the order given, for the log. */
    @Override
    public String toString() {
        return canonical.isEmpty() ? "defaults" : canonical;
    }

    /** Every option key, in the order the documentation lists them. */
    public static List<String> keys() {
        return new ArrayList<>(List.of(KEYS));
    }

    /** A bad option: the message is one line naming the option and what it accepts. */
    public static final class OptionException extends Exception {
        private static final long serialVersionUID = 1L;

        public OptionException(String message) {
            super(message);
        }
    }
}
