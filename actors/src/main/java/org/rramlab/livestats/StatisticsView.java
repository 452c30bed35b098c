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
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.rramlab.device.DevicePreset;
import org.rramlab.livestats.PartitionStatistics.PartitionSummary;
import org.rramlab.statistics.LiveStatistics;
import org.rramlab.statistics.ReportSnapshot;
import org.rramlab.statistics.StatisticsReport;

/**
 * A node's statistics in a cluster: the model merged from every {@link PartitionStatistics}
 * owner, wherever it runs, answering the {@link StatisticsActor} protocol so that the routes,
 * the dashboard, the trainer and the OSA supervisors of any node see the whole cluster.
 *
 * <p>The owners push: each publishes its summary on a pub-sub topic when it changed (at most once
 * a publish interval), and the view keeps the latest per partition. Pub-sub may drop a message
 * and a view may start after the owners, so every resync interval (and at once) the view asks
 * each owner, which answers only when the view's summary is not its latest; that question also
 * starts owners not yet running. Merging and fitting run on the blocking dispatcher: the view's
 * thread only files summaries and answers from the last merge, at most a publish interval and
 * a fit behind.
 */
public final class StatisticsView extends AbstractBehavior<StatisticsActor.Command> {

    private record Got(PartitionSummary summary) implements StatisticsActor.Command {}

    private record Alarmed(PartitionStatistics.AlarmNote note) implements StatisticsActor.Command {}

    /** The summaries merged and the overall report fitted off the view's thread, or why not. */
    private record Merged(LiveStatistics model, StatisticsReport report, Throwable failure)
            implements StatisticsActor.Command {}

    /** One array's report fitted off the view's thread from the merged model's snapshot. */
    private record ReportFitted(LiveStatistics model, ReportSnapshot snapshot, StatisticsReport report,
                                Throwable failure, ActorRef<Optional<StatisticsReport>> asker)
            implements StatisticsActor.Command {}

    private record PresetFitted(StatisticsActor.FitPreset request, DevicePreset preset, Throwable failure)
            implements StatisticsActor.Command {}

    private enum Tick implements StatisticsActor.Command { PUBLISH, RESYNC }

    public static Behavior<StatisticsActor.Command> create(StatisticsActor.Settings settings, Duration resync) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Tick.PUBLISH, Tick.PUBLISH, settings.publishInterval());
            timers.startTimerWithFixedDelay(Tick.RESYNC, Tick.RESYNC, Duration.ZERO, resync);
            return new StatisticsView(ctx, settings);
        }));
    }

    private final DevicePreset preset;
    private final Executor blocking;
    private final List<EntityRef<PartitionStatistics.Command>> owners = new ArrayList<>();
    private final ActorRef<PartitionSummary> summaries;
    /** The latest summary of each partition. */
    private final Map<Integer, PartitionSummary> latest = new HashMap<>();
    private final Set<ActorRef<StatisticsActor.Update>> subscribers = new HashSet<>();
    private final Set<ActorRef<StatisticsActor.Applied>> watchers = new HashSet<>();
    /** The last merge: touched on this thread only once it is here. */
    private LiveStatistics model;
    private StatisticsReport report;
    /** A summary came since the last merge began. */
    private boolean stale;
    private boolean merging;

    private StatisticsView(ActorContext<StatisticsActor.Command> ctx, StatisticsActor.Settings settings) {
        super(ctx);
        this.preset = settings.preset();
        this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        this.model = LiveStatistics.of(preset);
        this.report = model.report();
        ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
        for (int p = 0; p < settings.partitions(); p++) {
            owners.add(sharding.entityRefFor(PartitionStatistics.TYPE_KEY, Integer.toString(p)));
        }
        this.summaries = ctx.messageAdapter(PartitionSummary.class, Got::new);
        ctx.spawn(Topic.create(PartitionSummary.class, PartitionStatistics.SUMMARIES), "summaries")
                .tell(Topic.subscribe(summaries));
        ctx.spawn(Topic.create(PartitionStatistics.AlarmNote.class, PartitionStatistics.ALARMS), "alarms")
                .tell(Topic.subscribe(ctx.messageAdapter(PartitionStatistics.AlarmNote.class, Alarmed::new)));
    }

    @Override
    public Receive<StatisticsActor.Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Got.class, this::onGot)
                .onMessage(Merged.class, this::onMerged)
                .onMessage(ReportFitted.class, this::onReportFitted)
                .onMessage(PresetFitted.class, this::onPresetFitted)
                .onMessage(Alarmed.class, a -> {
                    var alarm = new StatisticsActor.Alarm(a.note().event());
                    subscribers.forEach(s -> s.tell(alarm));
                    return this;
                })
                .onMessageEquals(Tick.PUBLISH, this::onPublish)
                .onMessageEquals(Tick.RESYNC, this::onResync)
                .onMessage(StatisticsActor.GetReport.class, this::onGetReport)
                .onMessage(StatisticsActor.FitPreset.class, this::onFitPreset)
                .onMessage(StatisticsActor.Subscribe.class, s -> {
                    subscribers.add(s.subscriber());
                    getContext().watch(s.subscriber());
                    s.subscriber().tell(new StatisticsActor.ReportUpdate(report));
                    return this;
                })
                .onMessage(StatisticsActor.SubscribeAlarms.class, s -> {
                    // alarms reach report subscribers too; a view has no separate list for so rare a caller
                    subscribers.add(s.subscriber());
                    getContext().watch(s.subscriber());
                    return this;
                })
                .onMessage(StatisticsActor.WatchApplied.class, w -> {
                    watchers.add(w.watcher());
                    getContext().watch(w.watcher());
                    owners.forEach(o -> o.tell(new PartitionStatistics.Watch(w.watcher())));
                    return this;
                })
                .onMessage(StatisticsActor.CheckpointNow.class, this::onCheckpointNow)
                .onMessage(StatisticsActor.GetSummary.class, g -> {
                    g.replyTo().tell(new StatisticsActor.Summary(-1, 0, model.summary()));
                    return this;
                })
                .onMessageEquals(StatisticsActor.Stop.INSTANCE, Behaviors::stopped)
                .onSignal(Terminated.class, t -> {
                    subscribers.remove(t.getRef());
                    watchers.remove(t.getRef());
                    return this;
                })
                .build();
    }

    /** A summary pushed or asked for; an older one of the same owner (a late message) is dropped. */
    private Behavior<StatisticsActor.Command> onGot(Got g) {
        PartitionSummary s = g.summary();
        PartitionSummary held = latest.get(s.partition());
        if (held == null || held.incarnation() != s.incarnation() || held.changes() < s.changes()) {
            latest.put(s.partition(), s);
            stale = true;
        }
        return this;
    }

    /** Merges what changed off the view's thread, or gives the subscribers the report it has. */
    private Behavior<StatisticsActor.Command> onPublish() {
        if (stale && !merging) {
            stale = false;
            merging = true;
            List<byte[]> parts = latest.values().stream().map(PartitionSummary::bytes).toList();
            getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
                LiveStatistics m = LiveStatistics.merged(preset, parts);
                return new Merged(m, m.report(), null);
            }, blocking), (merged, failure) -> failure == null ? merged : new Merged(null, null, failure));
        } else if (!merging) {
            publish();
        }
        return this;
    }

    private Behavior<StatisticsActor.Command> onMerged(Merged m) {
        merging = false;
        if (m.failure() != null) {
            getContext().getLog().warn("merging the partitions' statistics failed, tried again at the next"
                    + " summary: {}", m.failure().getMessage());
            return this;
        }
        model = m.model();
        report = m.report();
        publish();
        return this;
    }

    private void publish() {
        if (!subscribers.isEmpty()) {
            var update = new StatisticsActor.ReportUpdate(report);
            subscribers.forEach(s -> s.tell(update));
        }
    }

    /** Asks every owner for what the view lacks (starting those not running) and renews the watches. */
    private Behavior<StatisticsActor.Command> onResync() {
        for (int p = 0; p < owners.size(); p++) {
            PartitionSummary held = latest.get(p);
            owners.get(p).tell(new PartitionStatistics.Summarize(summaries, held == null ? 0 : held.incarnation(),
                    held == null ? -1 : held.changes()));
            for (var w : watchers) {
                owners.get(p).tell(new PartitionStatistics.Watch(w));
            }
        }
        return this;
    }

    private Behavior<StatisticsActor.Command> onGetReport(StatisticsActor.GetReport g) {
        if (g.arrayIdOrNull() == null) {
            g.replyTo().tell(Optional.of(report));
            return this;
        }
        Optional<ReportSnapshot> snapshot = model.reportSnapshot(g.arrayIdOrNull());
        if (snapshot.isEmpty() || !snapshot.get().needsFit()) {
            g.replyTo().tell(snapshot.map(ReportSnapshot::report));
            return this;
        }
        LiveStatistics of = model;
        ReportSnapshot s = snapshot.get();
        getContext().pipeToSelf(CompletableFuture.supplyAsync(s::report, blocking),
                (r, failure) -> new ReportFitted(of, s, r, failure, g.replyTo()));
        return this;
    }

    private Behavior<StatisticsActor.Command> onReportFitted(ReportFitted r) {
        if (r.failure() != null) {
            getContext().getLog().warn("fitting the report of '{}' failed: {}", r.snapshot().scope(),
                    r.failure().getMessage());
            return this;
        }
        r.model().keep(r.snapshot());
        r.asker().tell(Optional.of(r.report()));
        return this;
    }

    /** A preset from the latest summaries, merged again off the view's thread (the model in hand stays here). */
    private Behavior<StatisticsActor.Command> onFitPreset(StatisticsActor.FitPreset f) {
        List<byte[]> parts = latest.values().stream().map(PartitionSummary::bytes).toList();
        getContext().pipeToSelf(CompletableFuture.supplyAsync(
                () -> LiveStatistics.merged(preset, parts).fittedPreset(preset, f.name()), blocking),
                (p, failure) -> new PresetFitted(f, p, failure));
        return this;
    }

    private Behavior<StatisticsActor.Command> onPresetFitted(PresetFitted p) {
        if (p.failure() != null) {
            getContext().getLog().warn("fitting preset '{}' failed: {}", p.request().name(), p.failure().getMessage());
        } else {
            p.request().replyTo().tell(p.preset());
        }
        return this;
    }

    private Behavior<StatisticsActor.Command> onCheckpointNow(StatisticsActor.CheckpointNow c) {
        List<CompletableFuture<Done>> acks = new ArrayList<>();
        for (var owner : owners) {
            acks.add(AskPattern.<PartitionStatistics.Command, Done>ask(owner, PartitionStatistics.Checkpoint::new,
                    Duration.ofSeconds(5), getContext().getSystem().scheduler()).toCompletableFuture());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                .whenComplete((v, e) -> c.replyTo().tell(Done.getInstance()));
        return this;
    }
}
