package org.rramlab.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.rramlab.api.Replies;
import org.rramlab.campaign.CampaignActor;
import org.rramlab.campaign.CampaignStatus;
import org.rramlab.deploy.DeploymentStatus;
import org.rramlab.deploy.OsaSupervisor;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.measurement.MeasurementActor;
import org.rramlab.measurement.MeasurementMetrics;
import org.rramlab.node.EntityRegistry;
import org.rramlab.streaming.ConductanceRecord;

/**
 * Collects the lab's figures for {@link LabMetrics} every sample interval: it asks the
 * measurement and statistics actors, Kafka for the topic's end offsets, and every campaign and
 * deployment for its status. Nothing waits: each answer comes back as a message.
 */
public final class MetricsSampler {
    public sealed interface Command {}

    private enum Tick implements Command { INSTANCE }

    private record Measured(MeasurementMetrics metrics) implements Command {}

    private record Lag(double records) implements Command {}

    private record Campaigns(List<CampaignStatus> all) implements Command {}

    private record Deployments(List<DeploymentStatus> all) implements Command {}

    private record Failed(String what, Throwable error) implements Command {}

    /** The actors it asks. */
    public record Sources(ActorRef<MeasurementActor.Command> measurement, ActorRef<StatisticsActor.Command> statistics,
                          CampaignActor.Campaigns campaigns, OsaSupervisor.Deployments deployments) {}

    private MetricsSampler() {}

    public static Behavior<Command> create(LabMetrics metrics, Sources pipeline, String bootstrapServers,
                                           Duration interval) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers, "enable.metrics.push", "false"));
            timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, interval);
            Samples s = metrics.samples;
            return Behaviors.receive(Command.class)
                    .onMessageEquals(Tick.INSTANCE, () -> sample(ctx, pipeline, admin, interval))
                    .onMessage(Measured.class, m -> {
                        s.measurement = m.metrics();
                        return Behaviors.same();
                    })
                    .onMessage(Lag.class, l -> {
                        s.statisticsLag = l.records();
                        return Behaviors.same();
                    })
                    .onMessage(Campaigns.class, c -> {
                        Map<String, Integer> by = new HashMap<>();
                        c.all().forEach(st -> by.merge(st.state().json(), 1, Integer::sum));
                        LabMetrics.CAMPAIGN_STATES.forEach(state -> s.campaignsByState.put(state, by.getOrDefault(state, 0)));
                        return Behaviors.same();
                    })
                    .onMessage(Deployments.class, d -> {
                        for (DeploymentStatus st : d.all()) {
                            s.deployments.put(st.id(), new Samples.Deployment(nan(st.accuracy()), nan(st.rawAccuracy()),
                                    st.softwareAccuracy(), st.rounds(), st.checks()));
                            metrics.deploymentSeen(st.id());
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Failed.class, f -> {
                        ctx.getLog().debug("metrics: {} not sampled: {}", f.what(), f.error().getMessage());
                        return Behaviors.same();
                    })
                    // closing the client waits up to a second: not on this actor's thread
                    .onSignal(PostStop.class, sig -> {
                        Runnable close = () -> admin.close(Duration.ofSeconds(1));
                        try {
                            ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking()).execute(close);
                        } catch (java.util.concurrent.RejectedExecutionException e) {
                            close.run(); // the actor system is ending
                        }
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    private static double nan(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static Behavior<Command> sample(ActorContext<Command> ctx, Sources p, Admin admin, Duration interval) {
        var scheduler = ctx.getSystem().scheduler();
        ctx.pipeToSelf(AskPattern.<MeasurementActor.Command, MeasurementMetrics>ask(p.measurement(),
                MeasurementActor.GetMetrics::new, interval, scheduler), (m, e) -> e == null ? new Measured(m) : new Failed("measurement", e));
        CompletionStage<StatisticsActor.Offsets> offsets = AskPattern.ask(p.statistics(), StatisticsActor.GetOffsets::new,
                interval, scheduler);
        ctx.pipeToSelf(offsets.thenCompose(o -> {
            Map<TopicPartition, OffsetSpec> want = new HashMap<>();
            o.next().keySet().forEach(part -> want.put(new TopicPartition(ConductanceRecord.TOPIC, part), OffsetSpec.latest()));
            ListOffsetsResult ends = admin.listOffsets(want);
            return ends.all().toCompletionStage().thenApply(all -> {
                double lag = 0;
                for (var e : all.entrySet()) {
                    lag += Math.max(0, e.getValue().offset() - o.next().getOrDefault(e.getKey().partition(), 0L));
                }
                return lag;
            });
        }), (lag, e) -> e == null ? new Lag(lag) : new Failed("statistics lag", e));
        ctx.pipeToSelf(Replies.each(ids(ctx, p.campaigns().registry(), interval), id ->
                        AskPattern.<ShardingEnvelope<CampaignActor.Command>, CampaignStatus>askWithStatus(p.campaigns().region(),
                                r -> new ShardingEnvelope<>(id, new CampaignActor.GetStatus(r)), interval, scheduler)),
                (all, e) -> e == null ? new Campaigns(all) : new Failed("campaigns", e));
        ctx.pipeToSelf(Replies.each(ids(ctx, p.deployments().registry(), interval), id ->
                        AskPattern.<ShardingEnvelope<OsaSupervisor.Command>, DeploymentStatus>askWithStatus(p.deployments().region(),
                                r -> new ShardingEnvelope<>(id, new OsaSupervisor.GetStatus(r)), interval, scheduler)),
                (all, e) -> e == null ? new Deployments(all) : new Failed("deployments", e));
        return Behaviors.same();
    }

    private static CompletionStage<List<String>> ids(ActorContext<?> ctx,
                                                     org.apache.pekko.actor.typed.ActorRef<EntityRegistry.Command> registry,
                                                     Duration timeout) {
        return AskPattern.<EntityRegistry.Command, EntityRegistry.Ids>ask(registry, EntityRegistry.ListIds::new, timeout,
                ctx.getSystem().scheduler()).thenApply(EntityRegistry.Ids::ids);
    }
}
