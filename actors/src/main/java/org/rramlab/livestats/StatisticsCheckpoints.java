package org.rramlab.livestats;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.rramlab.serialization.CborSerializable;

/**
 * The statistics' durable memory: the latest snapshot of the live model together with the Kafka
 * offsets it covers. Saving both in one event is what makes the statistics exactly-once in
 * effect: after a restart the model and the offsets agree, and anything Kafka delivers again is
 * recognised by its sequence and skipped. Only the latest checkpoint matters, so older events
 * are deleted as snapshots are taken.
 */
public final class StatisticsCheckpoints
        extends EventSourcedBehavior<StatisticsCheckpoints.Command, StatisticsCheckpoints.Saved, StatisticsCheckpoints.State> {

    public sealed interface Command extends CborSerializable {}

    public record Save(byte[] checkpoint, ActorRef<Done> replyTo) implements Command {}

    public record Load(ActorRef<State> replyTo) implements Command {}

    public record Saved(byte[] checkpoint) implements CborSerializable {}

    /** The latest checkpoint, or null before the first. */
    public record State(byte[] checkpoint) implements CborSerializable {}

    public static Behavior<Command> create(String id) {
        return new StatisticsCheckpoints(PersistenceId.ofUniqueId("statistics-" + id));
    }

    private StatisticsCheckpoints(PersistenceId id) {
        super(id);
    }

    @Override
    public State emptyState() {
        return new State(null);
    }

    @Override
    public CommandHandler<Command, Saved, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Save.class, (s, c) -> Effect().persist(new Saved(c.checkpoint()))
                        .thenReply(c.replyTo(), st -> Done.getInstance()))
                .onCommand(Load.class, (s, c) -> Effect().reply(c.replyTo(), s))
                .build();
    }

    @Override
    public EventHandler<State, Saved> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onEvent(Saved.class, (s, e) -> new State(e.checkpoint())).build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(1, 1).withDeleteEventsOnSnapshot();
    }
}
