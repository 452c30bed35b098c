package org.rramlab.livestats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.rramlab.device.DevicePreset;
import org.rramlab.statistics.LiveStatistics;

/**
 * A node's statistics in a cluster: the model merged from every {@link PartitionStatistics}
 * owner, wherever it runs, answering the {@link StatisticsActor} protocol so that the routes,
 * the dashboard, the trainer and the OSA supervisors of any node see the whole cluster. It asks
 * every owner for its summary each publish interval (which also starts owners not yet running)
 * and answers from the latest summaries, at most one interval old.
 */
public final class StatisticsView {
    private record Got(StatisticsActor.Summary summary) implements StatisticsActor.Command {}

    private record Alarmed(PartitionStatistics.AlarmNote note) implements StatisticsActor.Command {}

    private enum Tick implements StatisticsActor.Command { INSTANCE }

    private StatisticsView() {}

    public static Behavior<StatisticsActor.Command> create(StatisticsActor.Settings settings) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
            List<EntityRef<PartitionStatistics.Command>> owners = new ArrayList<>();
            for (int p = 0; p < settings.partitions(); p++) {
                owners.add(sharding.entityRefFor(PartitionStatistics.TYPE_KEY, Integer.toString(p)));
            }
            ActorRef<StatisticsActor.Summary> summaries = ctx.messageAdapter(StatisticsActor.Summary.class, Got::new);
            ActorRef<PartitionStatistics.AlarmNote> alarms = ctx.messageAdapter(PartitionStatistics.AlarmNote.class, Alarmed::new);
            Map<Integer, byte[]> latest = new HashMap<>();
            Set<ActorRef<StatisticsActor.Update>> subscribers = new HashSet<>();
            Set<ActorRef<StatisticsActor.Applied>> watchers = new HashSet<>();
            DevicePreset preset = settings.preset();
            var merged = new Object() {
                LiveStatistics model = LiveStatistics.of(preset);
                boolean stale;

                LiveStatistics get() {
                    if (stale) {
                        model = LiveStatistics.merged(preset, List.copyOf(latest.values()));
                        stale = false;
                    }
                    return model;
                }
            };
            timers.startTimerWithFixedDelay(Tick.INSTANCE, Tick.INSTANCE, Duration.ZERO, settings.publishInterval());
            return Behaviors.receive(StatisticsActor.Command.class)
                    .onMessageEquals(Tick.INSTANCE, () -> {
                        for (var owner : owners) {
                            owner.tell(new PartitionStatistics.Summarize(summaries));
                            owner.tell(new PartitionStatistics.RegisterView(alarms));
                            watchers.forEach(w -> owner.tell(new PartitionStatistics.Watch(w)));
                        }
                        if (!subscribers.isEmpty()) {
                            var update = new StatisticsActor.ReportUpdate(merged.get().report());
                            subscribers.forEach(s -> s.tell(update));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Got.class, g -> {
                        latest.put(g.summary().partition(), g.summary().bytes());
                        merged.stale = true;
                        return Behaviors.same();
                    })
                    .onMessage(Alarmed.class, a -> {
                        var alarm = new StatisticsActor.Alarm(a.note().event());
                        subscribers.forEach(s -> s.tell(alarm));
                        return Behaviors.same();
                    })
                    .onMessage(StatisticsActor.GetReport.class, g -> {
                        LiveStatistics m = merged.get();
                        g.replyTo().tell(g.arrayIdOrNull() == null ? Optional.of(m.report()) : m.report(g.arrayIdOrNull()));
                        return Behaviors.same();
                    })
                    .onMessage(StatisticsActor.FitPreset.class, f -> {
                        f.replyTo().tell(merged.get().fittedPreset(preset, f.name()));
                        return Behaviors.same();
                    })
                    .onMessage(StatisticsActor.Subscribe.class, s -> {
                        subscribers.add(s.subscriber());
                        ctx.watch(s.subscriber());
                        s.subscriber().tell(new StatisticsActor.ReportUpdate(merged.get().report()));
                        return Behaviors.same();
                    })
                    .onMessage(StatisticsActor.WatchApplied.class, w -> {
                        watchers.add(w.watcher());
                        ctx.watch(w.watcher());
                        owners.forEach(o -> o.tell(new PartitionStatistics.Watch(w.watcher())));
                        return Behaviors.same();
                    })
                    .onMessage(StatisticsActor.CheckpointNow.class, c -> {
                        List<CompletableFuture<Done>> acks = new ArrayList<>();
                        for (var owner : owners) {
                            acks.add(AskPattern.<PartitionStatistics.Command, Done>ask(owner,
                                    PartitionStatistics.Checkpoint::new, Duration.ofSeconds(5),
                                    ctx.getSystem().scheduler()).toCompletableFuture());
                        }
                        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                                .whenComplete((v, e) -> c.replyTo().tell(Done.getInstance()));
                        return Behaviors.same();
                    })
                    .onMessage(StatisticsActor.GetSummary.class, g -> {
                        g.replyTo().tell(new StatisticsActor.Summary(-1, merged.get().summary()));
                        return Behaviors.same();
                    })
                    .onMessageEquals(StatisticsActor.Stop.INSTANCE, Behaviors::stopped)
                    .onSignal(Terminated.class, t -> {
                        subscribers.remove(t.getRef());
                        watchers.remove(t.getRef());
                        return Behaviors.same();
                    })
                    .build();
        }));
    }
}
