package dev.mapretention.agent.jmx;

import dev.mapretention.agent.report.Owner;
import dev.mapretention.agent.report.Report;

import java.util.List;

/**
 * The agent on JMX, as {@value #OBJECT_NAME} on the platform MBeanServer. Every attribute is an
 * open type, so JConsole, VisualVM or any JMX client reads it without the agent's classes.
 */
public interface MapRetentionMXBean {

    /** The ObjectName the bean is registered under. */
    String OBJECT_NAME = "dev.mapretention:type=MapRetention";

    /** Maps tracked now. */
    long getTrackedMaps();

    /** Oversized maps now: retained and never-filled ones, not reused ones. */
    long getOversizedMaps();

    /** Bytes wasted by the oversized maps. */
    long getWastedBytes();

    /** Reused maps now: refilled again and again, sparse between; not counted as oversized. */
    long getReusedMaps();

    /** What the reused maps' tables hold beyond copies while they are idle between cycles. */
    long getReusedIdleBytes();

    /** The findings, largest waste first: one per (site, container). */
    List<FindingView> getFindings();

    /** Failures of the tracker inside map operations (each suppressed); 0 when all is well. */
    long getTrackerFailures();

    /** The agent's options, as {@code key=value} pairs. */
    String getOptions();

    /** The JSON report ({@code map-retention-report/1}). */
    String reportJson();

    /** The readable text report. */
    String reportText();

    /**
     * Takes a heap census: finds every live map of the kinds the agent tracks with what holds it,
     * tracks those at or above minCapacity from then on, and returns the text report. The JVM is
     * paused while the census walks the heap; the report says for how long.
     */
    String census();

    /** As {@link #census()}, returning the JSON report. */
    String censusJson();

    /**
     * {@code ready} when a census can be taken, else one line saying why not (the census library
     * is not loaded, or this platform has none).
     */
    String censusStatus();

    /**
     * Takes the agent out of this JVM: the maps' original bytecode back, scanner stopped, this
     * bean unregistered, every tracked entry dropped. The agent can be attached again afterwards.
     *
     * @return which classes were restored (and any that could not be), and one line saying it
     */
    DetachOutcome detach();

    /** One finding, as JMX open data (a CompositeData with these items). */
    final class FindingView {
        private final Report.Finding finding;

        FindingView(Report.Finding finding) {
            this.finding = finding;
        }

        public String[] getSite() {
            return finding.site().toArray(new String[0]);
        }

        public String getSiteKind() {
            return finding.siteKind();
        }

        public String getContainer() {
            return finding.container();
        }

        /** {@code retained}, {@code reused} or {@code never-filled}. */
        public String getPattern() {
            return finding.pattern().label();
        }

        public long getReusedMaps() {
            return finding.reusedMaps();
        }

        public long getReusedIdleBytes() {
            return finding.reusedIdleBytes();
        }

        public long getOversizedMaps() {
            return finding.oversizedMaps();
        }

        public long getWastedBytes() {
            return finding.wastedBytes();
        }

        public int getLargestCapacity() {
            return finding.maps().isEmpty() ? 0 : finding.maps().get(0).capacity();
        }

        public int getLargestSize() {
            return finding.maps().isEmpty() ? 0 : finding.maps().get(0).size();
        }

        public String getAdvice() {
            return finding.advice();
        }

        /** What holds the finding's maps, as heap censuses found it, in words; empty without a census. */
        public String[] getOwners() {
            return finding.owners().stream().map(Owner::describe).toArray(String[]::new);
        }
    }
}
