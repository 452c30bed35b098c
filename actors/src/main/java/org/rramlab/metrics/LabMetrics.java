package org.rramlab.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.rramlab.archive.ArchiveStatus;
import org.rramlab.campaign.CampaignState;
import org.rramlab.measurement.MeasurementMetrics;

/**
 * The node's Prometheus metrics (GET /metrics, docs/operator-guide.md#metrics): the measurement
 * path, the statistics' and the archive's lag, deployments' accuracy and OSA rounds, campaigns
 * by state, and the JVM. Lab figures are sampled by {@link MetricsSampler}; the archive's are read
 * at each scrape.
 */
public final class LabMetrics {
    static final List<String> CAMPAIGN_STATES = java.util.Arrays.stream(CampaignState.Status.values())
            .map(CampaignState.Status::json).toList();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Samples samples = new Samples();
    private final Set<String> deploymentsSeen = ConcurrentHashMap.newKeySet();
    // meters hold their objects weakly: this keeps the archive's supplier alive
    private final Supplier<ArchiveStatus> archive;

    public LabMetrics(Supplier<ArchiveStatus> archive) {
        this.archive = archive;
        // two of Micrometer's names fail promtool's lint (an "ns" unit, a gauge ending in "_count"); the
        // same facts stay as process_cpu_usage and the JVM's own figures
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")
                || id.getName().equals("system.cpu.count")));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        gauge("rramlab.measurement.cell.reads.per.second", "cell reads per second acknowledged by Kafka, over the last seconds",
                () -> samples.measurement(MeasurementMetrics::cellReadsPerSecond));
        gauge("rramlab.measurement.records.waiting", "records waiting for Kafka (queued and in flight)",
                () -> samples.measurement(m -> m.waiting() + m.inFlight()));
        FunctionCounter.builder("rramlab.measurement.records.acked", samples, s -> s.measurement(m -> m.recordsAcked()))
                .description("records Kafka acknowledged since the node started").register(registry);
        FunctionCounter.builder("rramlab.measurement.refused", samples, s -> s.measurement(m -> m.refused()))
                .description("publishes refused because too many records waited").register(registry);
        gauge("rramlab.measurement.ack.lag.p99.seconds", "publish-to-acknowledgement time, 99th percentile",
                () -> samples.measurement(m -> m.lagP99Millis() / 1000.0));
        gauge("rramlab.statistics.consumer.lag.records", "records on the conductance topic the statistics have not applied yet",
                () -> samples.statisticsLag);

        gauge("rramlab.archive.lag.records", "records on the conductance topic not yet archived",
                () -> archive.get().lagRecords());
        gauge("rramlab.archive.oldest.pending.age.seconds", "age of the oldest record read but not yet on disk",
                () -> archive.get().oldestPendingAgeSeconds());
        gauge("rramlab.archive.behind", "1 while the archive is behind toward the topic's retention",
                () -> archive.get().behind() ? 1 : 0);
        gauge("rramlab.archive.disk.bytes", "bytes of the archive's files", () -> archive.get().bytesOnDisk());
        FunctionCounter.builder("rramlab.archive.cell.reads", archive, a -> a.get().cellReadsArchived())
                .description("cell reads archived since the node started").register(registry);
        FunctionCounter.builder("rramlab.archive.frames", archive, a -> a.get().framesArchived())
                .description("read frames archived since the node started").register(registry);
        FunctionCounter.builder("rramlab.archive.duplicates.skipped", archive, a -> a.get().duplicatesSkipped())
                .description("re-delivered records recognised by their sequence and not archived again").register(registry);
        FunctionCounter.builder("rramlab.archive.lost.records", archive, a -> a.get().lostRecords())
                .description("records deleted by Kafka retention before the archive had them").register(registry);

        for (String state : CAMPAIGN_STATES) {
            Gauge.builder("rramlab.campaigns", samples, s -> s.campaignsByState.getOrDefault(state, 0))
                    .description("campaigns by state").tag("state", state).strongReference(true).register(registry);
        }
    }

    /** The data directory's free space and its alarm (DiskSpace). */
    public void disk(org.rramlab.node.DiskSpace disk) {
        gauge("rramlab.disk.free.bytes", "bytes free under the data directory", disk::freeBytes);
        gauge("rramlab.disk.low", "1 while free space under the data directory is below rramlab.disk.min-free"
                + " (new work refused)", () -> disk.low() ? 1 : 0);
    }

    private void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value, v -> {
            Number n = v.get();
            return n == null ? Double.NaN : n.doubleValue();
        }).description(description).strongReference(true).register(registry);
    }

    /** Registers a deployment's meters the first time it is seen. */
    void deploymentSeen(String id) {
        if (!deploymentsSeen.add(id)) {
            return;
        }
        Gauge.builder("rramlab.deployment.hil.accuracy", samples, s -> s.deployment(id, Samples.Deployment::hilAccuracy))
                .description("accuracy (0..1) of the deployed network on measured conductances, with its SRAM corrections")
                .tag("deployment", id).strongReference(true).register(registry);
        Gauge.builder("rramlab.deployment.raw.accuracy", samples, s -> s.deployment(id, Samples.Deployment::rawAccuracy))
                .description("accuracy (0..1) on measured conductances without the SRAM corrections")
                .tag("deployment", id).strongReference(true).register(registry);
        Gauge.builder("rramlab.deployment.software.accuracy", samples, s -> s.deployment(id, Samples.Deployment::softwareAccuracy))
                .description("accuracy (0..1) of the ideal software network").tag("deployment", id).strongReference(true).register(registry);
        FunctionCounter.builder("rramlab.osa.rounds", samples, s -> s.deployment(id, Samples.Deployment::rounds))
                .description("OSA rounds of the deployment").tag("deployment", id).register(registry);
        FunctionCounter.builder("rramlab.deployment.checks", samples, s -> s.deployment(id, Samples.Deployment::checks))
                .description("HIL accuracy checks of the deployment").tag("deployment", id).register(registry);
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }
}
