package org.rramlab.livestats;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.typed.javadsl.ActorFlow;
import org.rramlab.device.DevicePreset;
import org.rramlab.statistics.LiveStatistics;
import org.rramlab.statistics.ReportSnapshot;
import org.rramlab.statistics.StatisticsEvent;
import org.rramlab.statistics.StatisticsReport;
import org.rramlab.streaming.CodecException;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.RecordView;
import org.rramlab.serialization.CborSerializable;

/**
 * Keeps the live variation and drift model: consumes topic {@value ConductanceRecord#TOPIC}
 * from the offsets of its last checkpoint, applies each record to {@link LiveStatistics}
 * (which skips any record it has already counted), checkpoints model and offsets together,
 * and publishes reports and alarms to subscribers.
 *
 * <p>Only the per-frame accumulation runs on the actor's thread. A report's fits (the EM over
 * the level histograms, the drift law) run on the blocking dispatcher from a {@link ReportSnapshot}
 * copied here, while records keep coming. Fitting a preset and writing a checkpoint read the
 * whole model: they run on the blocking dispatcher too, and meanwhile every message that reads or
 * changes the model waits in the stash, so the model is never touched by two threads at once.
 */
public final class StatisticsActor extends AbstractBehavior<StatisticsActor.Command> {

    /**
     * Not sealed: {@link StatisticsView} answers the same protocol for a cluster. Node-local: each
     * node asks its own (the partition owners' messages are the ones that cross nodes).
     */
    public interface Command extends org.apache.pekko.actor.NoSerializationVerificationNeeded {}

    /** Reports each publish interval (the first at once) and every alarm. */
    public record Subscribe(ActorRef<Update> subscriber) implements Command {}

    /** Alarms only, no reports (a partition owner passes them on). */
    public record SubscribeAlarms(ActorRef<Update> subscriber) implements Command {}

    /** The overall report (array id null) or one array's; empty for an array never seen. */
    public record GetReport(String arrayIdOrNull, ActorRef<Optional<StatisticsReport>> replyTo) implements Command {}

    /** Notifies once per applied read frame; for benchmarks and tests that measure latency. */
    public record WatchApplied(ActorRef<Applied> watcher) implements Command {}

    public record Applied(String arrayId, long sequence, boolean duplicate) implements CborSerializable {}

    /**
     * The model without its per-cell state ({@link LiveStatistics#summary()}), for a merged
     * cluster-wide view; answered only when records came in since the summary with
     * {@code knownChanges} (-1: always).
     */
    public record GetSummary(long knownChanges, ActorRef<Summary> replyTo) implements Command {}

    /** @param changes records this incarnation applied or skipped when the summary was taken */
    public record Summary(int partition, long changes, byte[] bytes) implements CborSerializable {}

    /** Fit the model into a device preset named {@code name}, based on {@code base}. */
    public record FitPreset(String name, ActorRef<DevicePreset> replyTo) implements Command {}

    public record CheckpointNow(ActorRef<Done> replyTo) implements Command {}

    /** The next offset to read per partition (for the consumer lag in the metrics). */
    public record GetOffsets(ActorRef<Offsets> replyTo) implements Command {}

    /** Partition of topic {@value ConductanceRecord#TOPIC} -> next offset the statistics will read. */
    public record Offsets(Map<Integer, Long> next) {}

    /** Stop consuming without a last checkpoint: what a crash leaves behind. */
    public enum Stop implements Command { INSTANCE }

    /** What subscribers receive. */
    public sealed interface Update {}

    public record ReportUpdate(StatisticsReport report) implements Update {}

    public record Alarm(StatisticsEvent event) implements Update {}

    private record Loaded(StatisticsCheckpoints.State state) implements Command {}

    private record Apply(ConsumerRecord<String, ByteBuffer> record, ActorRef<Done> replyTo) implements Command {}

    private record StreamEnded(Throwable failure) implements Command {}

    /** A preset fitted off the actor's thread, or why not. */
    private record Fitted(FitPreset request, DevicePreset preset, Throwable failure) implements Command {}

    /** A report fitted off the actor's thread from a snapshot, for one asker (null: for the subscribers). */
    private record ReportFitted(ReportSnapshot snapshot, StatisticsReport report, Throwable failure,
                                ActorRef<Optional<StatisticsReport>> asker) implements Command {}

    /** A checkpoint's bytes made off the actor's thread (for the offsets then), or why not. */
    private record SnapshotTaken(byte[] bytes, ActorRef<Done> replyTo, Throwable failure) implements Command {}

    private enum Tick implements Command { PUBLISH, CHECKPOINT, RESTART }

    /**
     * Settings of the statistics.
     *
     * @param owned the one partition this instance reads (a cluster's partition owner), or -1 for all
     */
    public record Settings(String bootstrapServers, int partitions, DevicePreset preset,
                           Duration publishInterval, Duration checkpointInterval, String clusterId, int owned,
                           WorkObserver observer) {
        public Settings(String bootstrapServers, int partitions, DevicePreset preset, Duration publishInterval,
                        Duration checkpointInterval, String clusterId, int owned) {
            this(bootstrapServers, partitions, preset, publishInterval, checkpointInterval, clusterId, owned,
                    WorkObserver.NONE);
        }

        public Settings(String bootstrapServers, int partitions, DevicePreset preset, Duration publishInterval,
                        Duration checkpointInterval, String clusterId) {
            this(bootstrapServers, partitions, preset, publishInterval, checkpointInterval, clusterId, -1);
        }

        /** Without a cluster id the offsets are not tied to a cluster (tests with one broker). */
        public Settings(String bootstrapServers, int partitions, DevicePreset preset, Duration publishInterval,
                        Duration checkpointInterval) {
            this(bootstrapServers, partitions, preset, publishInterval, checkpointInterval, null);
        }

        public Settings owning(int partition) {
            return new Settings(bootstrapServers, partitions, preset, publishInterval, checkpointInterval, clusterId,
                    partition, observer);
        }

        /** The same settings, telling {@code o} where each fit and checkpoint ran. */
        public Settings observedBy(WorkObserver o) {
            return new Settings(bootstrapServers, partitions, preset, publishInterval, checkpointInterval, clusterId,
                    owned, o);
        }
    }

    /**
     * Told, from the thread that did it, which work ran there and which thread the actor handed it
     * over from: what lets a test prove that fits and checkpoints leave the actor's dispatcher.
     */
    @FunctionalInterface
    public interface WorkObserver {
        WorkObserver NONE = (work, actorThread, workThread) -> { };

        /** @param work "report", "preset" or "checkpoint" */
        void ran(String work, Thread actorThread, Thread workThread);
    }

    /** {@code work} on the blocking dispatcher, reported to the observer from the thread it runs on. */
    private <T> CompletableFuture<T> offThread(String work, java.util.function.Supplier<T> task) {
        Thread actorThread = Thread.currentThread();
        WorkObserver observer = settings.observer();
        return CompletableFuture.supplyAsync(() -> {
            observer.ran(work, actorThread, Thread.currentThread());
            return task.get();
        }, blocking);
    }

    public static Behavior<Command> create(String id, Settings settings) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.withStash(100_000, stash -> {
            ActorRef<StatisticsCheckpoints.Command> store = ctx.spawn(StatisticsCheckpoints.create(id), "checkpoints");
            ctx.ask(StatisticsCheckpoints.State.class, store, Duration.ofSeconds(60), StatisticsCheckpoints.Load::new,
                    (state, failure) -> new Loaded(failure == null ? state : new StatisticsCheckpoints.State(null)));
            return Behaviors.receive(Command.class)
                    .onMessage(Loaded.class, loaded -> stash.unstashAll(
                            new StatisticsActor(ctx, timers, stash, settings, store, loaded.state())))
                    .onAnyMessage(m -> {
                        stash.stash(m);
                        return Behaviors.same();
                    })
                    .build();
        })));
    }

    private final TimerScheduler<Command> timers;
    private final StashBuffer<Command> stash;
    private final Executor blocking;
    private final Settings settings;
    private final ActorRef<StatisticsCheckpoints.Command> store;
    private final LiveStatistics statistics;
    private final Map<String, Long> offsets;
    private final Set<ActorRef<Update>> subscribers = new HashSet<>();
    private final Set<ActorRef<Update>> alarmSubscribers = new HashSet<>();
    private final Set<ActorRef<Applied>> watchers = new HashSet<>();
    private Consumer.Control control;
    private boolean dirty;
    /** Records applied or skipped since this incarnation started: tells a changed summary. */
    private long changes;
    private Duration backoff = Duration.ofMillis(500);
    /** A fit or a checkpoint works on the model on another thread: what touches the model waits. */
    private boolean busy;
    /** A report for the subscribers is being fitted: the next tick does not start another. */
    private boolean publishing;

    private StatisticsActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, StashBuffer<Command> stash,
                            Settings settings, ActorRef<StatisticsCheckpoints.Command> store,
                            StatisticsCheckpoints.State loaded) {
        super(ctx);
        this.timers = timers;
        this.stash = stash;
        this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        this.settings = settings;
        this.store = store;
        if (loaded.checkpoint() == null) {
            this.statistics = LiveStatistics.of(settings.preset());
            this.offsets = new HashMap<>();
        } else {
            var restored = LiveStatistics.restore(loaded.checkpoint());
            this.statistics = restored.statistics();
            this.offsets = new HashMap<>(ClusterOffsets.forCluster(restored.offsets(), settings.clusterId()));
            if (offsets.size() < restored.offsets().size()) {
                ctx.getLog().warn("the statistics checkpoint holds offsets of another Kafka cluster ({}); reading this"
                        + " cluster's topic from its start, records counted before are skipped", restored.offsets().keySet());
            }
            ctx.getLog().info("statistics restored: {} frames, offsets {}", statistics.framesApplied(), offsets);
        }
        timers.startTimerWithFixedDelay(Tick.PUBLISH, Tick.PUBLISH, settings.publishInterval());
        timers.startTimerWithFixedDelay(Tick.CHECKPOINT, Tick.CHECKPOINT, settings.checkpointInterval());
        startConsumer();
    }

    /** Reads every partition from where the checkpoint left it (the start, for a new model). */
    private void startConsumer() {
        Map<TopicPartition, Long> from = new HashMap<>();
        for (int p = 0; p < settings.partitions(); p++) {
            if (settings.owned() >= 0 && p != settings.owned()) {
                continue;
            }
            from.put(new TopicPartition(ConductanceRecord.TOPIC, p), offsets.getOrDefault(key(p), 0L));
        }
        // values as views of the fetched bytes: the records are read in place, never copied
        ConsumerSettings<String, ByteBuffer> consumer = ConsumerSettings
                .create(getContext().getSystem(), new StringDeserializer(), new ByteBufferDeserializer())
                .withBootstrapServers(settings.bootstrapServers())
                .withProperty("enable.auto.commit", "false")
                // bounded fetches: a frame is ~256 KiB, and a node that falls behind must not hold
                // hundreds of them in memory (at least one record is returned even when larger)
                .withProperty("max.partition.fetch.bytes", Integer.toString(2 << 20))
                .withProperty("fetch.max.bytes", Integer.toString(8 << 20))
                .withProperty("max.poll.records", "32")
                .withProperty("enable.metrics.push", "false");
        var pair = Consumer.plainSource(consumer, Subscriptions.assignmentWithOffset(from))
                .via(ActorFlow.<ConsumerRecord<String, ByteBuffer>, Command, Done>ask(
                        getContext().getSelf(), Duration.ofSeconds(30), Apply::new))
                .toMat(Sink.ignore(), Keep.both())
                .run(getContext().getSystem());
        control = pair.first();
        getContext().pipeToSelf(pair.second(), (done, failure) -> new StreamEnded(failure));
    }

    private String key(int partition) {
        return ClusterOffsets.key(settings.clusterId(), ConductanceRecord.TOPIC, partition);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Fitted.class, this::onFitted)
                .onMessage(SnapshotTaken.class, this::onSnapshotTaken)
                .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
                .onMessage(StreamEnded.class, this::onStreamEnded)
                .onMessageEquals(Tick.RESTART, () -> {
                    startConsumer();
                    return this;
                })
                // the one gate: while the model is worked on elsewhere, the rest waits its turn
                .onMessage(Command.class, m -> busy, m -> {
                    stash.stash(m);
                    return this;
                })
                // behind the gate: keeping its fit writes the model's cache, which a preset fit also uses
                .onMessage(ReportFitted.class, this::onReportFitted)
                .onMessage(Apply.class, this::onApply)
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(SubscribeAlarms.class, s -> {
                    alarmSubscribers.add(s.subscriber());
                    getContext().watch(s.subscriber());
                    return this;
                })
                .onMessage(WatchApplied.class, w -> {
                    watchers.add(w.watcher());
                    return this;
                })
                .onMessage(GetReport.class, this::onGetReport)
                .onMessage(GetSummary.class, g -> {
                    // a few KiB per array (no cells): cheap enough for the actor's thread
                    if (g.knownChanges() != changes) {
                        g.replyTo().tell(new Summary(settings.owned(), changes, statistics.summary()));
                    }
                    return this;
                })
                .onMessage(FitPreset.class, this::onFitPreset)
                .onMessage(CheckpointNow.class, c -> checkpoint(c.replyTo()))
                .onMessage(GetOffsets.class, g -> {
                    Map<Integer, Long> next = new HashMap<>();
                    for (int p = 0; p < settings.partitions(); p++) {
                        next.put(p, offsets.getOrDefault(key(p), 0L));
                    }
                    g.replyTo().tell(new Offsets(next));
                    return this;
                })
                .onMessageEquals(Tick.PUBLISH, this::publish)
                .onMessageEquals(Tick.CHECKPOINT, () -> dirty ? checkpoint(null) : this)
                .onSignal(PostStop.class, s -> {
                    control.shutdown();
                    return this;
                })
                .onSignal(Terminated.class, t -> {
                    subscribers.remove(t.getRef());
                    alarmSubscribers.remove(t.getRef());
                    watchers.remove(t.getRef());
                    return this;
                })
                .build();
    }

    private Behavior<Command> onApply(Apply a) {
        ConsumerRecord<String, ByteBuffer> r = a.record();
        offsets.put(key(r.partition()), r.offset() + 1);
        dirty = true;
        changes++;
        try {
            RecordView record = RecordView.of(r.value());
            boolean applied = statistics.apply(record);
            if (!watchers.isEmpty() && record.isRead()) {
                Applied n = new Applied(record.arrayId(), record.sequence(), !applied);
                watchers.forEach(w -> w.tell(n));
            }
            List<StatisticsEvent> events = statistics.drainEvents();
            for (StatisticsEvent e : events) {
                Alarm alarm = new Alarm(e);
                subscribers.forEach(s -> s.tell(alarm));
                alarmSubscribers.forEach(s -> s.tell(alarm));
            }
        } catch (CodecException e) {
            getContext().getLog().warn("skipping record at {}-{} offset {}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
        a.replyTo().tell(Done.getInstance());
        return this;
    }

    /** A new subscriber gets a report at once: the subscribers' next one is made now. */
    private Behavior<Command> onSubscribe(Subscribe s) {
        subscribers.add(s.subscriber());
        getContext().watch(s.subscriber());
        return publish();
    }

    private Behavior<Command> publish() {
        if (!subscribers.isEmpty() && !publishing) {
            publishing = true;
            fit(statistics.reportSnapshot(), null);
        }
        return this;
    }

    private Behavior<Command> onGetReport(GetReport g) {
        Optional<ReportSnapshot> snapshot = g.arrayIdOrNull() == null ? Optional.of(statistics.reportSnapshot())
                : statistics.reportSnapshot(g.arrayIdOrNull());
        if (snapshot.isEmpty()) {
            g.replyTo().tell(Optional.empty());
        } else {
            fit(snapshot.get(), g.replyTo());
        }
        return this;
    }

    /** Reports at once when the cached fit is current, else fits the copy on the blocking dispatcher. */
    private void fit(ReportSnapshot snapshot, ActorRef<Optional<StatisticsReport>> asker) {
        if (!snapshot.needsFit()) {
            deliver(snapshot.report(), asker);
        } else {
            getContext().pipeToSelf(offThread("report", snapshot::report),
                    (report, failure) -> new ReportFitted(snapshot, report, failure, asker));
        }
    }

    private Behavior<Command> onReportFitted(ReportFitted r) {
        if (r.failure() != null) {
            if (r.asker() == null) {
                publishing = false;
            }
            getContext().getLog().warn("fitting the report of '{}' failed: {}", r.snapshot().scope(),
                    r.failure().getMessage());
            return this;
        }
        statistics.keep(r.snapshot());
        deliver(r.report(), r.asker());
        return this;
    }

    private void deliver(StatisticsReport report, ActorRef<Optional<StatisticsReport>> asker) {
        if (asker != null) {
            asker.tell(Optional.of(report));
        } else {
            publishing = false;
            ReportUpdate update = new ReportUpdate(report);
            subscribers.forEach(s -> s.tell(update));
        }
    }

    private Behavior<Command> onFitPreset(FitPreset f) {
        busy = true;
        getContext().pipeToSelf(offThread("preset", () -> statistics.fittedPreset(settings.preset(), f.name())),
                (preset, failure) -> new Fitted(f, preset, failure));
        return this;
    }

    private Behavior<Command> onFitted(Fitted fitted) {
        busy = false;
        if (fitted.failure() != null) {
            getContext().getLog().warn("fitting preset '{}' failed: {}", fitted.request().name(),
                    fitted.failure().getMessage());
        } else {
            fitted.request().replyTo().tell(fitted.preset());
        }
        return stash.unstashAll(this);
    }

    /** The model and the offsets it has counted up to, written off the actor's thread, then saved. */
    private Behavior<Command> checkpoint(ActorRef<Done> replyTo) {
        Map<String, Long> countedUpTo = Map.copyOf(offsets);
        dirty = false;
        busy = true;
        getContext().pipeToSelf(offThread("checkpoint", () -> statistics.snapshot(countedUpTo)),
                (bytes, failure) -> new SnapshotTaken(bytes, replyTo, failure));
        return this;
    }

    private Behavior<Command> onSnapshotTaken(SnapshotTaken taken) {
        busy = false;
        if (taken.failure() != null) {
            dirty = true;
            getContext().getLog().warn("statistics checkpoint failed, tried again at the next interval: {}",
                    taken.failure().getMessage());
        } else {
            ActorRef<Done> ack = taken.replyTo() != null ? taken.replyTo() : getContext().getSystem().ignoreRef();
            store.tell(new StatisticsCheckpoints.Save(taken.bytes(), ack));
        }
        return stash.unstashAll(this);
    }

    private Behavior<Command> onStreamEnded(StreamEnded e) {
        getContext().getLog().warn("statistics consumer stopped ({}); restarting in {} ms",
                e.failure() == null ? "completed" : e.failure().getMessage(), backoff.toMillis());
        timers.startSingleTimer(Tick.RESTART, Tick.RESTART, backoff);
        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : backoff.multipliedBy(2);
        return this;
    }
}
