package org.rramlab.livestats;

import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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
 */
public final class PartitionStatistics {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "StatisticsPartition");

    public sealed interface Command extends CborSerializable {}

    public record Summarize(ActorRef<StatisticsActor.Summary> replyTo) implements Command {}

    /** A node's view: receives the partition's alarms (sent again every so often: idempotent). */
    public record RegisterView(ActorRef<AlarmNote> view) implements Command {}

    public record Watch(ActorRef<StatisticsActor.Applied> watcher) implements Command {}

    public record Checkpoint(ActorRef<Done> replyTo) implements Command {}

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

    /** Starts the partition owners' sharding on this node. */
    public static void init(ActorSystem<?> system, StatisticsActor.Settings settings) {
        // an owner consumes all the time: never passivated
        ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
                        ctx -> create(Integer.parseInt(ctx.getEntityId()), settings))
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
    }

    static Behavior<Command> create(int partition, StatisticsActor.Settings settings) {
        return Behaviors.setup(ctx -> {
            ActorRef<StatisticsActor.Command> stats = ctx.spawn(
                    StatisticsActor.create("partition-" + partition, settings.owning(partition)), "statistics");
            stats.tell(new StatisticsActor.Subscribe(ctx.messageAdapter(StatisticsActor.Update.class, FromStatistics::new)));
            Set<ActorRef<AlarmNote>> views = new HashSet<>();
            return Behaviors.receive(Command.class)
                    .onMessage(Summarize.class, s -> {
                        stats.tell(new StatisticsActor.GetSummary(s.replyTo()));
                        return Behaviors.same();
                    })
                    .onMessage(RegisterView.class, r -> {
                        if (views.add(r.view())) {
                            ctx.watch(r.view());
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Watch.class, w -> {
                        stats.tell(new StatisticsActor.WatchApplied(w.watcher()));
                        return Behaviors.same();
                    })
                    .onMessage(Checkpoint.class, c -> {
                        stats.tell(new StatisticsActor.CheckpointNow(c.replyTo()));
                        return Behaviors.same();
                    })
                    .onMessage(FromStatistics.class, f -> {
                        if (f.update() instanceof StatisticsActor.Alarm a) {
                            AlarmNote note = AlarmNote.of(a.event());
                            views.forEach(v -> v.tell(note));
                        }
                        return Behaviors.same();
                    })
                    .onSignal(Terminated.class, t -> {
                        views.remove(t.getRef());
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private PartitionStatistics() {}
}
