package org.rramlab.campaign;

import static org.rramlab.node.Failures.rootMessage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.rramlab.api.Refusal;
import org.rramlab.api.Refusal.Kind;
import org.rramlab.array.ArrayActor;
import org.rramlab.node.EntityRegistry;
import org.rramlab.node.Provenance;
import org.rramlab.serialization.CborSerializable;

/**
 * A drift campaign over a set of arrays, event-sourced and sharded (entity id = campaign id).
 * It programs the arrays, then for each read advances every array's clock to the read's array
 * time and reads it with the tag "campaignId#step", and records the step once every array has
 * acknowledged it (the frame is on Kafka). Clock moves are absolute and reads are tagged, so a
 * step tried again after a failure or a crash changes nothing that was already done: no read is
 * skipped and none is taken twice.
 *
 * <p>When an array or Kafka cannot do a step the campaign suspends itself, records why, and tries
 * the step again every probe interval until it goes through; then it records how long the
 * interruption lasted and carries on. Waiting is done with timers, never by blocking.
 */
public final class CampaignActor extends EventSourcedBehavior<CampaignActor.Command, CampaignEvent, CampaignState> {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Campaign");
    private static final String TIMER = "next";

    // ---- protocol ----

    public sealed interface Command extends CborSerializable {}

    /** A command from outside, answered with the campaign's status. */
    public sealed interface Request extends Command {
        ActorRef<StatusReply<CampaignStatus>> replyTo();
    }

    public record Start(CampaignSpec spec, ActorRef<StatusReply<CampaignStatus>> replyTo) implements Request {}

    public record Pause(ActorRef<StatusReply<CampaignStatus>> replyTo) implements Request {}

    public record Resume(ActorRef<StatusReply<CampaignStatus>> replyTo) implements Request {}

    public record Abort(String reason, ActorRef<StatusReply<CampaignStatus>> replyTo) implements Request {}

    public record GetStatus(ActorRef<StatusReply<CampaignStatus>> replyTo) implements Request {}

    /** Sent by the registry when a node starts: brings the campaign up so that it carries on. */
    public enum Wake implements Command { INSTANCE }

    // What the actor's own timers and asynchronous work send back to it (never sent by others).

    /** The arrays of a Start were checked; {@code problem} says what does not fit, null when all do. */
    private record Checked(Start start, String problem, Provenance provenance) implements Command {}

    /** The shard stops the campaign cleanly (its node stops, its shard moves): journaled, so a restart is no crash. */
    private enum HandOff implements Command { INSTANCE }

    /** After recovery: the node it ran on stopped while it was running; record how, then carry on. */
    private enum RecordNodeLost implements Command { INSTANCE }

    /** Do the next step of the schedule, or wait for it (after a start, a resume, a step, a timer, a restart). */
    private enum Proceed implements Command { INSTANCE }

    /** Every array acknowledged the step; {@code event} records it. */
    private record StepDone(CampaignEvent event) implements Command {}

    private record StepFailed(String step, Throwable error) implements Command {}

    /** The shard region of the campaigns and the registry that lists them. */
    public record Campaigns(ActorRef<ShardingEnvelope<Command>> region, ActorRef<EntityRegistry.Command> registry) {}

    /** Starts campaign sharding and the registry on this node; call after {@code ArrayActor.init}. */
    public static Campaigns init(ActorSystem<?> system, ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays) {
        CampaignSettings settings = CampaignSettings.from(system.settings().config());
        // a campaign waits on timers between reads: it must not be passivated while idle
        ActorRef<ShardingEnvelope<Command>> region = ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
                        ctx -> create(ctx.getEntityId(), arrays, registry(system), settings))
                .withStopMessage(HandOff.INSTANCE)
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
        return new Campaigns(region, registry(system));
    }

    static ActorRef<EntityRegistry.Command> registry(ActorSystem<?> system) {
        return ClusterSingleton.get(system).init(SingletonActor.of(EntityRegistry.create("campaign-registry",
                id -> ClusterSharding.get(system).entityRefFor(TYPE_KEY, id).tell(Wake.INSTANCE)), "campaign-registry"));
    }

    public static Behavior<Command> create(String campaignId, ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays,
                                           ActorRef<EntityRegistry.Command> registry, CampaignSettings settings) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new CampaignActor(ctx, timers, campaignId, arrays, registry, settings)));
    }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final String campaignId;
    private final ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays;
    private final ActorRef<EntityRegistry.Command> registry;
    private final CampaignSettings settings;
    private final CampaignSteps steps;
    // Both are about asks in flight, which a restart drops: the step is then simply tried again.
    /** A Start is being checked against its arrays: other commands wait in the stash. */
    private boolean starting;
    /** A step's asks are out: no second step starts until it has ended. */
    private boolean inFlight;

    private CampaignActor(ActorContext<Command> context, TimerScheduler<Command> timers, String campaignId,
                          ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays,
                          ActorRef<EntityRegistry.Command> registry, CampaignSettings settings) {
        super(PersistenceId.of(TYPE_KEY.name(), campaignId));
        this.context = context;
        this.timers = timers;
        this.campaignId = campaignId;
        this.arrays = arrays;
        this.registry = registry;
        this.settings = settings;
        this.steps = new CampaignSteps(campaignId, arrays, settings.askTimeout(), settings.attemptTimeout(),
                context.getSystem().scheduler());
    }

    @Override
    public CampaignState emptyState() {
        return CampaignState.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(200, 2);
    }

    @Override
    public SignalHandler<CampaignState> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
            if (state.exists()) {
                registry.tell(new EntityRegistry.Add(campaignId));
            }
            if (state.active()) {
                // the node it ran on went away while it ran: say so in its history, then take up the schedule
                context.getSelf().tell(RecordNodeLost.INSTANCE);
                context.getSelf().tell(Proceed.INSTANCE);
            }
        }).build();
    }

    @Override
    public EventHandler<CampaignState, CampaignEvent> eventHandler() {
        EventHandler<CampaignState, CampaignEvent> each = events();
        return (state, event) -> each.apply(state, event).journaled(event);
    }

    private EventHandler<CampaignState, CampaignEvent> events() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(CampaignEvent.Started.class, CampaignState::started)
                .onEvent(CampaignEvent.Programmed.class, CampaignState::programmed)
                .onEvent(CampaignEvent.ReadCompleted.class, CampaignState::readCompleted)
                .onEvent(CampaignEvent.BakeStarted.class, CampaignState::bakeStarted)
                .onEvent(CampaignEvent.BakeFinished.class, CampaignState::bakeFinished)
                .onEvent(CampaignEvent.Paused.class, CampaignState::paused)
                .onEvent(CampaignEvent.Resumed.class, CampaignState::resumed)
                .onEvent(CampaignEvent.Suspended.class, CampaignState::suspended)
                .onEvent(CampaignEvent.StillFailing.class, CampaignState::stillFailing)
                .onEvent(CampaignEvent.Unsuspended.class, CampaignState::unsuspended)
                .onEvent(CampaignEvent.Completed.class, CampaignState::completed)
                .onEvent(CampaignEvent.Aborted.class, CampaignState::aborted)
                .onEvent(CampaignEvent.HandedOff.class, CampaignState::stoppedCleanly)
                .onEvent(CampaignEvent.NodeLost.class, CampaignState::nodeLost)
                .build();
    }

    // ---- command handler: every transition ----

    @Override
    public CommandHandler<Command, CampaignEvent, CampaignState> commandHandler() {
        CommandHandlerBuilder<Command, CampaignEvent, CampaignState> builder = newCommandHandlerBuilder();
        builder.forAnyState()
                .onCommand(Wake.class, (s, w) -> Effect().none())
                .onCommand(HandOff.class, this::onHandOff)
                .onCommand(RecordNodeLost.class, this::onRecordNodeLost)
                .onCommand(Checked.class, this::onChecked)
                // the one gate: while a Start is checked against the arrays, everything else waits
                .onCommand(command -> starting, (s, command) -> Effect().stash());
        builder.forState(s -> !s.exists())
                .onCommand(Start.class, this::onStart)
                .onAnyCommand(this::missing);
        builder.forAnyState()
                .onCommand(Start.class, this::alreadyExists)
                .onCommand(GetStatus.class, this::onGetStatus);
        builder.forState(CampaignState::active)
                .onCommand(Pause.class, this::onPause)
                .onCommand(Abort.class, this::onAbort)
                .onCommand(Proceed.class, this::proceed)
                .onCommand(StepDone.class, this::onStepDone)
                .onCommand(StepFailed.class, this::onStepFailed);
        builder.forState(s -> s.status() == CampaignState.Status.PAUSED)
                .onCommand(Resume.class, this::onResume)
                .onCommand(Abort.class, this::onAbort)
                // what the arrays did is recorded even if the campaign was paused meanwhile
                .onCommand(StepDone.class, this::onStepDone);
        builder.forAnyState()
                .onCommand(Pause.class, (s, p) -> notNow(s, p.replyTo(), "pause"))
                .onCommand(Resume.class, (s, r) -> notNow(s, r.replyTo(), "resume"))
                .onCommand(Abort.class, (s, a) -> notNow(s, a.replyTo(), "abort"))
                // a step that ends after a pause, an abort or the end changes nothing
                .onCommand(StepDone.class, this::stepEnded)
                .onCommand(StepFailed.class, this::stepEnded)
                .onCommand(Proceed.class, () -> Effect().none());
        return builder.build();
    }

    private Effect<CampaignEvent, CampaignState> missing(CampaignState s, Command command) {
        if (command instanceof Request request) {
            request.replyTo().tell(Refusal.reply(Kind.NOT_FOUND, "campaign '" + campaignId
                    + "' does not exist; start it with POST /api/campaigns"));
        }
        return Effect().none();
    }

    private Effect<CampaignEvent, CampaignState> notNow(CampaignState s, ActorRef<StatusReply<CampaignStatus>> replyTo,
                                                        String what) {
        replyTo.tell(Refusal.reply(Kind.CONFLICT, "cannot " + what + " campaign '" + campaignId + "': it is "
                + s.status().json()));
        return Effect().none();
    }

    private CampaignStatus status(CampaignState s) {
        String phase = !s.active() ? s.status().json()
                : s.status() == CampaignState.Status.SUSPENDED && !inFlight
                ? "suspended, trying again every " + settings.probeInterval().toMillis() + " ms"
                : s.describe(s.nextStep(Instant.now()));
        return CampaignStatus.of(s, phase);
    }

    // ---- the node going away ----

    private Effect<CampaignEvent, CampaignState> onHandOff(CampaignState s, HandOff h) {
        if (!s.active()) {
            return Effect().stop();
        }
        return Effect().persist(new CampaignEvent.HandedOff(Instant.now())).thenStop();
    }

    /** A recovery of a running campaign without a clean stop before it is a crash; a clean one counts if reads waited. */
    private Effect<CampaignEvent, CampaignState> onRecordNodeLost(CampaignState s, RecordNodeLost r) {
        Instant now = Instant.now();
        boolean crash = !s.handedOff();
        int delayed = s.readsDueBy(now);
        if (!crash && delayed == 0) {
            return Effect().none();
        }
        Instant from = s.lastEventAt() != null ? s.lastEventAt() : now;
        if (crash) {
            context.getLog().warn("campaign '{}' was running when its node stopped without a clean stop ({} reads delayed)",
                    campaignId, delayed);
        }
        return Effect().persist(new CampaignEvent.NodeLost(now, from, crash, delayed));
    }

    // ---- operator commands ----

    private Effect<CampaignEvent, CampaignState> onStart(CampaignState s, Start start) {
        List<String> problems = start.spec() == null ? List.of("no spec given") : start.spec().problems();
        if (!problems.isEmpty()) {
            start.replyTo().tell(Refusal.reply(Kind.BAD_INPUT, "bad campaign spec: " + String.join("; ", problems)));
            return Effect().none();
        }
        starting = true;
        context.pipeToSelf(steps.check(start.spec()), (check, error) -> error != null
                ? new Checked(start, rootMessage(error), null) : new Checked(start, check.problem(), check.provenance()));
        return Effect().none();
    }

    private Effect<CampaignEvent, CampaignState> onChecked(CampaignState s, Checked checked) {
        starting = false;
        if (checked.problem() != null) {
            checked.start().replyTo().tell(Refusal.reply(Kind.BAD_INPUT, "bad campaign spec: " + checked.problem()));
            return Effect().none().thenUnstashAll();
        }
        return Effect().persist(new CampaignEvent.Started(Instant.now(), campaignId, checked.start().spec(),
                        checked.provenance()))
                .thenRun(ns -> registry.tell(new EntityRegistry.Add(campaignId)))
                .thenRun(ns -> checked.start().replyTo().tell(StatusReply.success(status(ns))))
                .thenRun(ns -> context.getSelf().tell(Proceed.INSTANCE))
                .thenUnstashAll();
    }

    private Effect<CampaignEvent, CampaignState> alreadyExists(CampaignState s, Start start) {
        start.replyTo().tell(Refusal.reply(Kind.CONFLICT, "cannot start campaign '" + campaignId + "': it already exists ("
                + s.status().json() + "); choose another id"));
        return Effect().none();
    }

    private Effect<CampaignEvent, CampaignState> onGetStatus(CampaignState s, GetStatus g) {
        g.replyTo().tell(StatusReply.success(status(s)));
        return Effect().none();
    }

    private Effect<CampaignEvent, CampaignState> onPause(CampaignState s, Pause p) {
        timers.cancel(TIMER);
        return Effect().persist(new CampaignEvent.Paused(Instant.now()))
                .thenRun(ns -> p.replyTo().tell(StatusReply.success(status(ns))));
    }

    private Effect<CampaignEvent, CampaignState> onResume(CampaignState s, Resume r) {
        return Effect().persist(new CampaignEvent.Resumed(Instant.now()))
                .thenRun(ns -> r.replyTo().tell(StatusReply.success(status(ns))))
                .thenRun(ns -> context.getSelf().tell(Proceed.INSTANCE));
    }

    private Effect<CampaignEvent, CampaignState> onAbort(CampaignState s, Abort a) {
        timers.cancel(TIMER);
        String reason = a.reason() == null || a.reason().isBlank() ? "aborted by the operator" : a.reason();
        return Effect().persist(new CampaignEvent.Aborted(Instant.now(), reason))
                .thenRun(ns -> a.replyTo().tell(StatusReply.success(status(ns))));
    }

    // ---- the schedule ----

    /** Does the next thing the campaign needs, or sets a timer for when it is due. */
    private Effect<CampaignEvent, CampaignState> proceed(CampaignState s, Proceed p) {
        if (inFlight) {
            return Effect().none();
        }
        timers.cancel(TIMER);
        Instant now = Instant.now();
        CampaignState.Step step = s.nextStep(now);
        return switch (step) {
            case PROGRAM -> run(s, step, steps.program(s));
            case WAIT_FOR_BAKE -> waitUntil(s.bakeDueAt());
            case END_BAKE -> run(s, step, steps.endBake(s));
            case START_BAKE -> run(s, step, steps.startBake(s, s.pendingBake()));
            case WAIT_FOR_READ -> waitUntil(s.nextReadAt());
            case READ -> run(s, step, steps.read(s));
            case COMPLETE -> Effect().persist(new CampaignEvent.Completed(now));
        };
    }

    private Effect<CampaignEvent, CampaignState> waitUntil(Instant due) {
        Duration wait = Duration.between(Instant.now(), due);
        timers.startSingleTimer(TIMER, Proceed.INSTANCE, wait.isNegative() ? Duration.ZERO : wait);
        return Effect().none();
    }

    private Effect<CampaignEvent, CampaignState> run(CampaignState s, CampaignState.Step step,
                                                     CompletionStage<CampaignEvent> work) {
        inFlight = true;
        String what = s.describe(step);
        context.pipeToSelf(work, (event, error) -> error == null ? new StepDone(event) : new StepFailed(what, error));
        return Effect().none();
    }

    private Effect<CampaignEvent, CampaignState> onStepDone(CampaignState s, StepDone done) {
        inFlight = false;
        List<CampaignEvent> events = s.status() == CampaignState.Status.SUSPENDED
                ? List.of(new CampaignEvent.Unsuspended(Instant.now()), done.event()) : List.of(done.event());
        return Effect().persist(events).thenRun(ns -> context.getSelf().tell(Proceed.INSTANCE));
    }

    /** The first failure suspends the campaign; while suspended a new reason is recorded; it tries again later. */
    private Effect<CampaignEvent, CampaignState> onStepFailed(CampaignState s, StepFailed failed) {
        inFlight = false;
        String reason = failed.step() + ": " + rootMessage(failed.error());
        if (s.status() == CampaignState.Status.SUSPENDED) {
            List<CampaignEvent> again = reason.equals(s.lastError()) ? List.of()
                    : List.of(new CampaignEvent.StillFailing(Instant.now(), reason));
            return Effect().persist(again).thenRun(this::probeLater);
        }
        context.getLog().warn("campaign '{}' suspended: {}", campaignId, reason);
        return Effect().persist(new CampaignEvent.Suspended(Instant.now(), reason)).thenRun(this::probeLater);
    }

    private Effect<CampaignEvent, CampaignState> stepEnded(CampaignState s, Command ended) {
        inFlight = false;
        return Effect().none();
    }

    private void probeLater(CampaignState s) {
        timers.startSingleTimer(TIMER, Proceed.INSTANCE, settings.probeInterval());
    }
}
