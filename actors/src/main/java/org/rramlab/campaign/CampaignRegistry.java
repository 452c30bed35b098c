package org.rramlab.campaign;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.rramlab.serialization.CborSerializable;

/**
 * The ids of all campaigns, event-sourced; a cluster singleton. When it starts (a node start) it
 * wakes every campaign, so that the running ones take up their schedule again without a request.
 */
public final class CampaignRegistry extends EventSourcedBehavior<CampaignRegistry.Command, CampaignRegistry.Added,
        CampaignRegistry.State> {
    public static final PersistenceId ID = PersistenceId.ofUniqueId("campaign-registry");

    public sealed interface Command extends CborSerializable {}

    public record Add(String campaignId) implements Command {}

    public record ListIds(ActorRef<Ids> replyTo) implements Command {}

    public record Ids(List<String> ids) implements CborSerializable {}

    public record Added(String campaignId) implements CborSerializable {}

    public record State(List<String> ids) implements CborSerializable {}

    public static Behavior<Command> create() {
        return Behaviors.setup(CampaignRegistry::new);
    }

    private final ActorContext<Command> context;

    private CampaignRegistry(ActorContext<Command> context) {
        super(ID);
        this.context = context;
    }

    @Override
    public State emptyState() {
        return new State(List.of());
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
            ClusterSharding sharding = ClusterSharding.get(context.getSystem());
            for (String id : state.ids()) {
                sharding.entityRefFor(CampaignActor.TYPE_KEY, id).tell(CampaignActor.Wake.INSTANCE);
            }
        }).build();
    }

    @Override
    public CommandHandler<Command, Added, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Add.class, (state, add) -> state.ids().contains(add.campaignId())
                        ? Effect().none() : Effect().persist(new Added(add.campaignId())))
                .onCommand(ListIds.class, (state, list) -> Effect().reply(list.replyTo(), new Ids(state.ids())))
                .build();
    }

    @Override
    public EventHandler<State, Added> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onEvent(Added.class, (state, e) -> {
            List<String> ids = new ArrayList<>(state.ids());
            ids.add(e.campaignId());
            return new State(List.copyOf(ids));
        }).build();
    }
}
