package org.rramlab.app.node;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.rramlab.api.LabEvents;
import org.rramlab.array.ArrayActor;
import org.rramlab.campaign.CampaignActor;
import org.rramlab.campaign.CampaignSettings;
import org.rramlab.deploy.DriftSettings;
import org.rramlab.deploy.OsaSettings;
import org.rramlab.deploy.OsaSupervisor;
import org.rramlab.device.DevicePreset;
import org.rramlab.livestats.PartitionStatistics;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.livearchive.ArchiveRoutes;
import org.rramlab.livestats.StatisticsRoutes;
import org.rramlab.livestats.StatisticsView;
import org.rramlab.metrics.MetricsSampler;
import org.rramlab.node.LabSettings;
import org.rramlab.node.Spawner;
import org.rramlab.measurement.MeasurementActor;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.ReadEncoding;
import org.rramlab.streaming.Topics;
import org.rramlab.training.TrainerActor;

/**
 * The live lab of a node: the conductance topic, the measurement and statistics actors, the
 * sharded arrays, the campaigns, the trainer and the deployments with their OSA supervisors
 * (campaigns, deployments and the trainer's queue are taken up again after a restart).
 */
public record LivePipeline(ActorRef<MeasurementActor.Command> measurement,
                           ActorRef<StatisticsActor.Command> statistics,
                           int partitions,
                           ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays,
                           CampaignActor.Campaigns campaigns,
                           OsaSupervisor.Deployments deployments,
                           ActorRef<TrainerActor.Command> trainer) {

    /** What the statistics routes ask. */
    public StatisticsRoutes.Actors forStatisticsRoutes() {
        return new StatisticsRoutes.Actors(measurement, statistics);
    }

    /** What the archive routes ask. */
    public ArchiveRoutes.Actors forArchiveRoutes() {
        return new ArchiveRoutes.Actors(arrays, campaigns, deployments, measurement);
    }

    /** What the metrics sampler asks. */
    public MetricsSampler.Sources forMetrics() {
        return new MetricsSampler.Sources(measurement, statistics, campaigns, deployments);
    }

    /**
     * The trainer keeps one journal of jobs: in a cluster it runs once, as a singleton (on the
     * oldest node; moved when that node leaves), its models in that node's data directory.
     */
    private static CompletableFuture<ActorRef<TrainerActor.Command>> trainer(ActorSystem<SpawnProtocol.Command> system,
                                                                            LabSettings node,
                                                                            org.apache.pekko.actor.typed.Behavior<TrainerActor.Command> behavior) {
        if (!node.joinsOthers()) {
            return Spawner.spawn(system, behavior, "trainer");
        }
        return CompletableFuture.completedFuture(org.apache.pekko.cluster.typed.ClusterSingleton.get(system)
                .init(org.apache.pekko.cluster.typed.SingletonActor.of(behavior, "trainer")));
    }

    /**
     * Starts once the broker and the journal are up; the topic is created when missing.
     *
     * @param events where deployments and training jobs publish their events (the live streams)
     */
    public static CompletableFuture<LivePipeline> start(ActorSystem<SpawnProtocol.Command> system, Config config,
                                                 CompletableFuture<String> bootstrap, CompletableFuture<?> journalReady,
                                                 BiConsumer<String, Object> events) {
        Config m = config.getConfig("rramlab.measurement");
        Config s = config.getConfig("rramlab.statistics");
        DevicePreset preset = DevicePreset.load(s.getString("preset"));
        Path dataDir = LabSettings.from(config).dataDir();
        var trainerSettings = new TrainerActor.Settings(dataDir, preset);
        return bootstrap.thenCombine(journalReady, (servers, ignored) -> servers).thenComposeAsync(servers -> {
            int partitions;
            String clusterId;
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers, "enable.metrics.push", "false"))) {
                LabSettings lab = LabSettings.from(config);
                partitions = Topics.ensure(admin, ConductanceRecord.TOPIC, s.getInt("topic-partitions"),
                        (short) lab.replicationFactor(),
                        Map.of("retention.ms", Long.toString(s.getDuration("topic-retention").toMillis()),
                                "min.insync.replicas", Integer.toString(lab.minInsyncReplicas())), 60);
                // the statistics' offsets hold for this cluster only
                clusterId = admin.describeCluster().clusterId().get(60, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the Kafka cluster did not say its id: " + e.getMessage(), e);
            }
            var measurementSettings = new MeasurementActor.Settings(servers, m.getInt("max-pending"), 64,
                    m.getDuration("delivery-timeout"), ReadEncoding.parse(m.getString("encoding")));
            var statisticsSettings = new StatisticsActor.Settings(servers, partitions, preset,
                    s.getDuration("publish-interval"), s.getDuration("checkpoint-interval"), clusterId);
            var measurement = Spawner.spawn(system, MeasurementActor.create(measurementSettings), "measurement");
            LabSettings node = LabSettings.from(config);
            CompletableFuture<ActorRef<StatisticsActor.Command>> statistics;
            if (node.joinsOthers()) {
                // a cluster: each partition has one owner somewhere, every node a merged view of them
                PartitionStatistics.init(system, statisticsSettings);
                statistics = Spawner.spawn(system, StatisticsView.create(statisticsSettings,
                        s.getDuration("view-resync-interval")), "statistics");
            } else {
                statistics = Spawner.spawn(system, StatisticsActor.create("node" + node.nodeKey(), statisticsSettings), "statistics");
            }
            return measurement.thenCompose(meas -> statistics.thenCompose(stats -> trainer(system, node,
                    TrainerActor.create(trainerSettings, stats, job -> events.accept(LabEvents.TRAINING_JOB, job)))
                    .thenApply(trainer -> {
                        var arrays = ArrayActor.init(system, meas);
                        var deployments = OsaSupervisor.init(system, new OsaSupervisor.Context(arrays, stats,
                                preset, dataDir, events, CampaignSettings.from(config).askTimeout(),
                                OsaSettings.from(config), DriftSettings.from(config)));
                        return new LivePipeline(meas, stats, partitions, arrays, CampaignActor.init(system, arrays),
                                deployments, trainer);
                    })));
        });
    }
}
