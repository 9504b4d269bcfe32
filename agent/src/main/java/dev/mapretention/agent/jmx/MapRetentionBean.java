package dev.mapretention.agent.jmx;

import dev.mapretention.agent.AgentRuntime;
import dev.mapretention.agent.census.HeapCensus;
import dev.mapretention.agent.report.Report;

import java.util.ArrayList;
import java.util.List;

/** The {@link MapRetentionMXBean}: each read is a scan pass, so it is as fresh as can be. */
public final class MapRetentionBean implements MapRetentionMXBean {

    private final AgentRuntime runtime;

    public MapRetentionBean(AgentRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public long getTrackedMaps() {
        return runtime.report().trackedMaps();
    }

    @Override
    public long getOversizedMaps() {
        return runtime.report().oversizedMaps();
    }

    @Override
    public long getWastedBytes() {
        return runtime.report().wastedBytes();
    }

    @Override
    public List<FindingView> getFindings() {
        List<FindingView> views = new ArrayList<>();
        for (Report.Finding finding : runtime.report().findings()) {
            views.add(new FindingView(finding));
        }
        return views;
    }

    @Override
    public long getTrackerFailures() {
        return runtime.report().agent().trackerFailures();
    }

    @Override
    public String getOptions() {
        return runtime.options().toString();
    }

    @Override
    public String reportJson() {
        return runtime.report().toJson();
    }

    @Override
    public String reportText() {
        return runtime.report().toText();
    }

    @Override
    public String census() {
        return runtime.census().toText();
    }

    @Override
    public String censusJson() {
        return runtime.census().toJson();
    }

    @Override
    public String censusStatus() {
        return HeapCensus.status();
    }

    @Override
    public String detach() {
        return AgentRuntime.stop();
    }
}
