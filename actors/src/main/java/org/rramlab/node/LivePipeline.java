package org.rramlab.node;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.rramlab.device.DevicePreset;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.measurement.MeasurementActor;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.Topics;

/** The measurement path of a node: the conductance topic, the measurement and statistics actors. */
public record LivePipeline(ActorRef<MeasurementActor.Command> measurement,
                           ActorRef<StatisticsActor.Command> statistics,
                           int partitions) {

    /** Starts once the broker and the journal are up; the topic is created when missing. */
    static CompletableFuture<LivePipeline> start(ActorSystem<SpawnProtocol.Command> system, Config config,
                                                 CompletableFuture<String> bootstrap, CompletableFuture<?> journalReady) {
        Config m = config.getConfig("rramlab.measurement");
        Config s = config.getConfig("rramlab.statistics");
        DevicePreset preset = DevicePreset.load(s.getString("preset"));
        return bootstrap.thenCombine(journalReady, (servers, ignored) -> servers).thenComposeAsync(servers -> {
            int partitions;
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers, "enable.metrics.push", "false"))) {
                partitions = Topics.ensure(admin, ConductanceRecord.TOPIC, s.getInt("topic-partitions"), 60);
            }
            var measurementSettings = new MeasurementActor.Settings(servers, m.getInt("max-pending"), 64,
                    m.getDuration("delivery-timeout"));
            var statisticsSettings = new StatisticsActor.Settings(servers, partitions, preset,
                    s.getDuration("publish-interval"), s.getDuration("checkpoint-interval"));
            return LabNode.spawn(system, MeasurementActor.create(measurementSettings), "measurement")
                    .thenCombine(LabNode.spawn(system, StatisticsActor.create("node", statisticsSettings), "statistics"),
                            (meas, stats) -> new LivePipeline(meas, stats, partitions));
        });
    }

    static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
}
