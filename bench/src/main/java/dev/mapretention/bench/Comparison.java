package dev.mapretention.bench;

/**
 * One benchmark with and without the agent: the agent's cost as a ratio of time per operation,
 * agent over no agent (1.00 = no cost, 1.05 = 5% slower).
 *
 * <p>The ratio of the means carries an error propagated from both means' confidence half-widths
 * to first order: {@code r * sqrt((ea/a)^2 + (eb/b)^2)}. The ratio of the medians over forks is
 * what the targets are checked against, as the issue asks.
 */
public final class Comparison {

    private final String name;
    private final String unit;
    private final double target;
    private final Measurement baseline;
    private final Measurement agent;
    private final String agentHealth;

    /**
     * @param agentHealth what the agent's report said of itself after the last agent fork
     *                    (maps tracked, refused, failures), or null
     */
    public Comparison(String name, String unit, double target, Measurement baseline, Measurement agent,
                      String agentHealth) {
        this.name = name;
        this.unit = unit;
        this.target = target;
        this.baseline = baseline;
        this.agent = agent;
        this.agentHealth = agentHealth;
    }

    public String agentHealth() {
        return agentHealth;
    }

    public String name() {
        return name;
    }

    public String unit() {
        return unit;
    }

    public double target() {
        return target;
    }

    public Measurement baseline() {
        return baseline;
    }

    public Measurement agent() {
        return agent;
    }

    /** Agent mean over no-agent mean. */
    public double ratio() {
        return agent.mean() / baseline.mean();
    }

    /** The propagated half-width of {@link #ratio()}; NaN when either side has no error. */
    public double ratioError() {
        double relativeAgent = agent.error() / agent.mean();
        double relativeBaseline = baseline.error() / baseline.mean();
        return ratio() * Math.sqrt(relativeAgent * relativeAgent + relativeBaseline * relativeBaseline);
    }

    /** Median over the agent's forks over median over the baseline's forks. */
    public double medianRatio() {
        return agent.medianOfForks() / baseline.medianOfForks();
    }

    /**
     * Median over all agent iterations over median over all no-agent iterations: a cross-check
     * that a few iterations disturbed by other load on the machine do not decide the result.
     */
    public double iterationMedianRatio() {
        return agent.iterationMedian() / baseline.iterationMedian();
    }

    /** True when the median ratio is within the target. */
    public boolean meetsTarget() {
        return medianRatio() <= target;
    }

    /** True when the target lies inside the ratio's confidence interval: the run cannot tell. */
    public boolean targetInsideError() {
        double error = ratioError();
        return !Double.isNaN(error) && ratio() - error <= target && target <= ratio() + error;
    }
}
