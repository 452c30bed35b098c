package org.rramlab.node;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.rramlab.serialization.CborSerializable;

/**
 * The node's own history, event-sourced: every start and every clean stop. A start that follows
 * a start without a stop in between tells the operator that the node died last time.
 */
public final class NodeLog extends EventSourcedBehavior<NodeLog.Command, NodeLog.Event, NodeLog.State> {
    /** The log of the node named lab-node (the default); others have "node-log-NAME". */
    public static final PersistenceId ID = PersistenceId.ofUniqueId("node-log");
    private static final int KEPT = 20;

    public sealed interface Command extends CborSerializable {}

    public record RecordStart(String version, long pid, ActorRef<State> replyTo) implements Command {}

    public record RecordStop(ActorRef<State> replyTo) implements Command {}

    public record Get(ActorRef<State> replyTo) implements Command {}

    public sealed interface Event extends CborSerializable {}

    public record Started(Instant at, String version, long pid) implements Event {}

    public record Stopped(Instant at) implements Event {}

    /** Boots recorded so far, the last few of them, and how many ended without a clean stop. */
    public record State(long starts, long uncleanStops, boolean running, List<Started> recent)
            implements CborSerializable {
        static State empty() {
            return new State(0, 0, false, List.of());
        }

        State started(Started e) {
            List<Started> kept = new ArrayList<>(recent);
            kept.add(e);
            if (kept.size() > KEPT) {
                kept.remove(0);
            }
            return new State(starts + 1, uncleanStops + (running ? 1 : 0), true, List.copyOf(kept));
        }

        State stopped() {
            return new State(starts, uncleanStops, false, recent);
        }
    }

    public static Behavior<Command> create() {
        return new NodeLog(ID);
    }

    /** The log of one node of a cluster: {@code key} is {@link LabSettings#nodeKey()}. */
    public static Behavior<Command> create(String key) {
        return new NodeLog(idFor(key));
    }

    public static PersistenceId idFor(String key) {
        return PersistenceId.ofUniqueId(ID.id() + key);
    }

    private NodeLog(PersistenceId id) {
        super(id);
    }

    @Override
    public State emptyState() {
        return State.empty();
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(RecordStart.class, (state, c) -> Effect()
                        .persist(new Started(Instant.now(), c.version(), c.pid())).thenReply(c.replyTo(), s -> s))
                .onCommand(RecordStop.class, (state, c) -> Effect()
                        .persist(new Stopped(Instant.now())).thenReply(c.replyTo(), s -> s))
                .onCommand(Get.class, (state, c) -> Effect().reply(c.replyTo(), state))
                .build();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Started.class, State::started)
                .onEvent(Stopped.class, (state, e) -> state.stopped())
                .build();
    }
}
