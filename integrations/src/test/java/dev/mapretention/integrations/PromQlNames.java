package dev.mapretention.integrations;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects: enough of PromQL's grammar to tell a metric name
 * from a function, an aggregation, a keyword, a label or a Grafana variable.
 */
final class PromQlNames {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    /** Label lists after these keywords are labels, not metrics. */
    private static final Pattern LABEL_LISTS = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern TOKEN = Pattern.compile(
            "(?<number>\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?[a-zA-Z]*)|(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)|(?<other>\\S)");
    private static final Set<String> KEYWORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
            "offset", "atan2", "inf", "nan", "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
            "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

    private PromQlNames() {
    }

    /** The metric names {@code expr} selects. */
    static Set<String> of(String expr) {
        String text = STRINGS.matcher(expr).replaceAll(" ");
        text = MATCHERS.matcher(text).replaceAll(" ");
        text = RANGES.matcher(text).replaceAll(" ");
        text = VARIABLES.matcher(text).replaceAll(" ");
        text = LABEL_LISTS.matcher(text).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher token = TOKEN.matcher(text);
        String pending = null;
        while (token.find()) {
            boolean call = "(".equals(token.group("other"));
            if (pending != null && !call) {
                names.add(pending);
            }
            pending = null;
            String name = token.group("name");
            if (name != null && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                pending = name;
            }
        }
        if (pending != null) {
            names.add(pending);
        }
        return names;
    }

    /**
     * The metric names of a Grafana variable query: {@code label_values(SELECTOR, label)} selects
     * SELECTOR's metric; {@code label_values(label)} none; anything else is PromQL.
     */
    static Set<String> ofGrafanaQuery(String query) {
        Matcher labelValues = Pattern.compile("^\\s*label_values\\((.*)\\)\\s*$", Pattern.DOTALL).matcher(query);
        if (labelValues.matches()) {
            String args = labelValues.group(1);
            int comma = args.lastIndexOf(',');
            return comma < 0 ? Set.of() : of(args.substring(0, comma));
        }
        return of(query);
    }
}
