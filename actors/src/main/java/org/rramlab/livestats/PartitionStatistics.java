package org.rramlab.livestats;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.rramlab.serialization.CborSerializable;
import org.rramlab.statistics.CusumAlarm;
import org.rramlab.statistics.DriftDetected;
import org.rramlab.statistics.StatisticsEvent;

/**
 * The owner of one partition of the conductance topic in a cluster: a sharded entity (id = the
 * partition) around a {@link StatisticsActor} that reads that partition only and checkpoints it
 * under its own id. Sharding spreads the owners over the nodes and starts the owners of a node
 * that died on the others, where each resumes from its last checkpoint — the consumer group of
 * the statistics, with the model's state moving together with the partition's offset.
 *
 * <p>Each publish interval the owner publishes its summary on the topic {@value #SUMMARIES}, but
 * only when a record came in since the last one; every node's {@link StatisticsView} subscribes.
 * Its alarms go out on {@value #ALARMS}. A view that starts late or lost a message asks
 * ({@link Summarize}) and is answered only when it does not hold the latest summary.
 */
public final class PartitionStatistics extends AbstractBehavior<PartitionStatistics.Command> {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "StatisticsPartition");
    /** Pub-sub topic of the owners' {@link PartitionSummary}s. */
    public static final String SUMMARIES = "statistics-summaries";
    /** Pub-sub topic of the owners' {@link AlarmNote}s. */
    public static final String ALARMS = "statistics-alarms";

    public sealed interface Command extends CborSerializable {}

    /**
     * A view's question: the partition's summary, unless the view already holds the one of this
     * owner's incarnation with this many changes. Starts the owner if it is not running.
     */
    public record Summarize(ActorRef<PartitionSummary> replyTo, long knownIncarnation, long knownChanges)
            implements Command {}

    public record Watch(ActorRef<StatisticsActor.Applied> watcher) implements Command {}

    public record Checkpoint(ActorRef<Done> replyTo) implements Command {}

    /**
     * One owner's model without its per-cell state ({@code bytes}, {@code LiveStatistics.summary()}).
     *
     * @param incarnation drawn when the owner started: a moved owner's count starts again
     * @param changes     records applied or skipped by this incarnation when it was taken
     */
    public record PartitionSummary(int partition, long incarnation, long changes, byte[] bytes)
            implements CborSerializable {}

    /** An alarm of the statistics, in a form that crosses nodes. */
    public record AlarmNote(DriftDetected drift, CusumAlarm cusum) implements CborSerializable {
        static AlarmNote of(StatisticsEvent e) {
            return e instanceof DriftDetected d ? new AlarmNote(d, null) : new AlarmNote(null, (CusumAlarm) e);
        }

        StatisticsEvent event() {
            return drift != null ? drift : cusum;
        }
    }

    private record FromStatistics(StatisticsActor.Update update) implements Command {}

    private record Summarized(StatisticsActor.Summary summary) implements Command {}

    private enum Tick implements Command { INSTANCE }

    /** Starts the partition owners' sharding on this node. */
    public static void init(ActorSystem<?> system, StatisticsActor.Settings settings) {
        // an owner consumes all the time: never passivated
        ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
                        ctx -> create(Integer.parseInt(ctx.getEntityId()), settings))
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
    }

    static Behavior<Command> create(int partition, StatisticsActor.Settings settings) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Tick.INSTANCE, Tick.INSTANCE, Duration.ZERO, settings.publishInterval());
            return new PartitionStatistics(ctx, partition, settings);
        }));
    }

    private final int partition;
    private final long incarnation = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
    private final ActorRef<StatisticsActor.Command> stats;
    private final ActorRef<StatisticsActor.Summary> summaries;
    private final ActorRef<Topic.Command<PartitionSummary>> summaryTopic;
    private final ActorRef<Topic.Command<AlarmNote>> alarmTopic;
    /** The last summary published (null before the first): this incarnation's only. */
    private PartitionSummary latest;
    /** Views that asked before the first summary: answered with it. */
    private final Set<ActorRef<PartitionSummary>> waiting = new HashSet<>();

    private PartitionStatistics(ActorContext<Command> ctx, int partition, StatisticsActor.Settings settings) {
        super(ctx);
        this.partition = partition;
        this.stats = ctx.spawn(StatisticsActor.create("partition-" + partition, settings.owning(partition)), "statistics");
        this.summaries = ctx.messageAdapter(StatisticsActor.Summary.class, Summarized::new);
        this.summaryTopic = ctx.spawn(Topic.create(PartitionSummary.class, SUMMARIES), "summaries");
        this.alarmTopic = ctx.spawn(Topic.create(AlarmNote.class, ALARMS), "alarms");
        stats.tell(new StatisticsActor.SubscribeAlarms(ctx.messageAdapter(StatisticsActor.Update.class, FromStatistics::new)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessage(Summarized.class, this::onSummarized)
                .onMessage(Summarize.class, this::onSummarize)
                .onMessage(FromStatistics.class, this::onFromStatistics)
                .onMessage(Watch.class, w -> {
                    stats.tell(new StatisticsActor.WatchApplied(w.watcher()));
                    return this;
                })
                .onMessage(Checkpoint.class, c -> {
                    stats.tell(new StatisticsActor.CheckpointNow(c.replyTo()));
                    return this;
                })
                .build();
    }

    /** Asks for a summary; the statistics answer only when something came in since the last. */
    private Behavior<Command> onTick() {
        stats.tell(new StatisticsActor.GetSummary(latest == null ? -1 : latest.changes(), summaries));
        return this;
    }

    private Behavior<Command> onSummarized(Summarized s) {
        if (latest != null && latest.changes() == s.summary().changes()) {
            return this; // a second answer to ticks that waited behind a checkpoint
        }
        latest = new PartitionSummary(partition, incarnation, s.summary().changes(), s.summary().bytes());
        summaryTopic.tell(Topic.publish(latest));
        // the topic may not know a view that has just subscribed: those that asked get it directly
        waiting.forEach(v -> v.tell(latest));
        waiting.clear();
        return this;
    }

    private Behavior<Command> onSummarize(Summarize s) {
        if (latest == null) {
            waiting.add(s.replyTo());
        } else if (latest.incarnation() != s.knownIncarnation() || latest.changes() != s.knownChanges()) {
            s.replyTo().tell(latest);
        }
        return this;
    }

    private Behavior<Command> onFromStatistics(FromStatistics f) {
        if (f.update() instanceof StatisticsActor.Alarm a) {
            alarmTopic.tell(Topic.publish(AlarmNote.of(a.event())));
        }
        return this;
    }
}
