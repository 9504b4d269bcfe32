package dev.mapretention.agent.jmx;

import dev.mapretention.agent.AgentRuntime;
import dev.mapretention.agent.boot.TrackerControl;
import dev.mapretention.agent.census.HeapCensus;
import dev.mapretention.agent.report.Report;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link MapRetentionMXBean}. Attributes are read from one snapshot, the last scan pass's if it
 * is at most one scan interval old (else a new pass), so that a scrape of several attributes is
 * consistent and cheap; {@code reportJson()} and {@code reportText()} make a fresh pass. Every
 * call runs as agent code on the JMX client's thread ({@link #report}), so the maps a report is
 * built with are never tracked; no lambda here, whose first linkage would use maps unguarded.
 */
public final class MapRetentionBean implements MapRetentionMXBean {

    private final AgentRuntime runtime;
    private final TrackerControl control;

    public MapRetentionBean(AgentRuntime runtime) {
        this.runtime = runtime;
        this.control = runtime.control();
    }

    /** The attributes' snapshot, built as agent code. */
    private Report report() {
        int agentCode = control.enterAgentCode();
        try {
            return runtime.snapshot();
        } finally {
            control.leaveAgentCode(agentCode);
        }
    }

    @Override
    public long getTrackedMaps() {
        return report().trackedMaps();
    }

    @Override
    public long getOversizedMaps() {
        return report().oversizedMaps();
    }

    @Override
    public long getWastedBytes() {
        return report().wastedBytes();
    }

    @Override
    public long getReusedMaps() {
        return report().reusedMaps();
    }

    @Override
    public long getReusedIdleBytes() {
        return report().reusedIdleBytes();
    }

    @Override
    public List<FindingView> getFindings() {
        List<FindingView> views = new ArrayList<>();
        for (Report.Finding finding : report().findings()) {
            views.add(new FindingView(finding));
        }
        return views;
    }

    @Override
    public long getTrackerFailures() {
        return report().agent().trackerFailures();
    }

    @Override
    public String getOptions() {
        return runtime.options().toString();
    }

    @Override
    public String reportJson() {
        int agentCode = control.enterAgentCode();
        try {
            return runtime.report().toJson();
        } finally {
            control.leaveAgentCode(agentCode);
        }
    }

    @Override
    public String reportText() {
        int agentCode = control.enterAgentCode();
        try {
            return runtime.report().toText();
        } finally {
            control.leaveAgentCode(agentCode);
        }
    }

    @Override
    public String census() {
        int agentCode = control.enterAgentCode();
        try {
            return runtime.census().toText();
        } finally {
            control.leaveAgentCode(agentCode);
        }
    }

    @Override
    public String censusJson() {
        int agentCode = control.enterAgentCode();
        try {
            return runtime.census().toJson();
        } finally {
            control.leaveAgentCode(agentCode);
        }
    }

    @Override
    public String censusStatus() {
        return HeapCensus.status();
    }

    @Override
    public DetachOutcome detach() {
        int agentCode = control.enterAgentCode();
        try {
            AgentRuntime.Detached detached = AgentRuntime.stop();
            return detached == null ? new DetachOutcome(List.of(), List.of(), "the agent is not running")
                    : new DetachOutcome(detached.restored(), detached.notRestored(), detached.message());
        } finally {
            control.leaveAgentCode(agentCode);
        }
    }
}
