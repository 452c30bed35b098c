package org.rramlab.node;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.rramlab.serialization.CborSerializable;

/**
 * The ids of all entities of one kind (campaigns, deployments), event-sourced; run it as a cluster
 * singleton. When it starts (a node start) it wakes every entity, so that the running ones take up
 * their schedule again without a request.
 */
public final class EntityRegistry extends EventSourcedBehavior<EntityRegistry.Command, EntityRegistry.Added,
        EntityRegistry.State> {

    public sealed interface Command extends CborSerializable {}

    public record Add(String id) implements Command {}

    public record ListIds(ActorRef<Ids> replyTo) implements Command {}

    public record Ids(List<String> ids) implements CborSerializable {}

    public record Added(String id) implements CborSerializable {}

    public record State(List<String> ids) implements CborSerializable {}

    /**
     * @param persistenceId e.g. "campaign-registry"
     * @param wake          tells the entity with this id to start (called once per id after recovery)
     */
    public static Behavior<Command> create(String persistenceId, Consumer<String> wake) {
        return new EntityRegistry(PersistenceId.ofUniqueId(persistenceId), wake);
    }

    private final Consumer<String> wake;

    private EntityRegistry(PersistenceId id, Consumer<String> wake) {
        super(id);
        this.wake = wake;
    }

    @Override
    public State emptyState() {
        return new State(List.of());
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> state.ids().forEach(wake))
                .build();
    }

    @Override
    public CommandHandler<Command, Added, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Add.class, (state, add) -> state.ids().contains(add.id())
                        ? Effect().none() : Effect().persist(new Added(add.id())))
                .onCommand(ListIds.class, (state, list) -> Effect().reply(list.replyTo(), new Ids(state.ids())))
                .build();
    }

    @Override
    public EventHandler<State, Added> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onEvent(Added.class, (state, e) -> {
            List<String> ids = new ArrayList<>(state.ids());
            ids.add(e.id());
            return new State(List.copyOf(ids));
        }).build();
    }
}
