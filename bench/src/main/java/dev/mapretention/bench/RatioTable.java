package dev.mapretention.bench;

import java.util.List;
import java.util.Locale;

/** The comparison table, as text for people and as JSON for tools. */
final class RatioTable {

    private RatioTable() {
    }

    static String render(String header, List<Comparison> comparisons, boolean withAllocation) {
        StringBuilder out = new StringBuilder();
        out.append(header).append('\n');
        out.append("score = mean over all measurement iterations ± JMH's 99.9% half-width; ratio = agent / no agent"
                + " (time per op, lower is better),\n");
        out.append("  its error propagated from both scores; median = median over agent forks / median over"
                + " no-agent forks (checked against the target);\n");
        out.append("  iter-med = median over all agent iterations / median over all no-agent iterations (robust"
                + " cross-check)\n");
        String rowFormat = "%-54s %-6s %24s %24s %16s %8s %8s %7s  %s%n";
        out.append(String.format(Locale.ROOT, rowFormat, "benchmark", "unit", "no agent", "agent", "ratio",
                "median", "iter-med", "target", "verdict"));
        for (Comparison c : comparisons) {
            String verdict = c.meetsTarget() ? "ok" : "OVER";
            if (c.targetInsideError()) {
                verdict += " (target inside the error: not conclusive)";
            }
            out.append(String.format(Locale.ROOT, rowFormat, c.name(), c.unit(),
                    score(c.baseline().mean(), c.baseline().error()), score(c.agent().mean(), c.agent().error()),
                    String.format(Locale.ROOT, "%.3f ± %s", c.ratio(), number(c.ratioError(), 3)),
                    String.format(Locale.ROOT, "%.3f", c.medianRatio()),
                    String.format(Locale.ROOT, "%.3f", c.iterationMedianRatio()),
                    String.format(Locale.ROOT, "≤%.2f", c.target()), verdict));
        }
        out.append("agent health after the last agent fork (from its reportJson()):\n");
        for (Comparison c : comparisons) {
            out.append(String.format(Locale.ROOT, "  %-54s %s%n", c.name(), c.agentHealth()));
        }
        if (withAllocation) {
            out.append("allocation per operation (-prof gc, gc.alloc.rate.norm):\n");
            for (Comparison c : comparisons) {
                out.append(String.format(Locale.ROOT, "  %-54s no agent %,12.1f B/op   agent %,12.1f B/op%n", c.name(),
                        c.baseline().allocPerOp(), c.agent().allocPerOp()));
            }
        }
        return out.toString();
    }

    static String json(String header, String mode, List<Comparison> comparisons) {
        StringBuilder out = new StringBuilder();
        out.append("{\n  \"header\": \"").append(header.replace("\\", "\\\\").replace("\"", "\\\"")).append("\",\n");
        out.append("  \"mode\": \"").append(mode).append("\",\n");
        out.append("  \"javaVersion\": \"").append(System.getProperty("java.version")).append("\",\n");
        out.append("  \"benchmarks\": [");
        for (int i = 0; i < comparisons.size(); i++) {
            Comparison c = comparisons.get(i);
            out.append(i == 0 ? "\n" : ",\n");
            out.append("    {\"name\": \"").append(c.name()).append("\", \"unit\": \"").append(c.unit()).append("\",\n");
            out.append("     \"noAgent\": ").append(variant(c.baseline())).append(",\n");
            out.append("     \"agent\": ").append(variant(c.agent())).append(",\n");
            out.append("     \"ratio\": ").append(jsonNumber(c.ratio()))
                    .append(", \"ratioError\": ").append(jsonNumber(c.ratioError()))
                    .append(", \"medianRatio\": ").append(jsonNumber(c.medianRatio()))
                    .append(", \"iterationMedianRatio\": ").append(jsonNumber(c.iterationMedianRatio()))
                    .append(", \"target\": ").append(c.target())
                    .append(", \"meetsTarget\": ").append(c.meetsTarget()).append('}');
        }
        out.append("\n  ]\n}\n");
        return out.toString();
    }

    private static String variant(Measurement m) {
        StringBuilder forks = new StringBuilder("[");
        double[] means = m.forkMeans();
        for (int i = 0; i < means.length; i++) {
            forks.append(i == 0 ? "" : ", ").append(jsonNumber(means[i]));
        }
        forks.append(']');
        return "{\"score\": " + jsonNumber(m.mean()) + ", \"error\": " + jsonNumber(m.error())
                + ", \"forkScores\": " + forks + ", \"allocBytesPerOp\": " + jsonNumber(m.allocPerOp()) + "}";
    }

    private static String jsonNumber(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "null" : String.format(Locale.ROOT, "%.6g", value);
    }

    private static String score(double mean, double error) {
        return number(mean, 1) + " ± " + number(error, 1);
    }

    private static String number(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
