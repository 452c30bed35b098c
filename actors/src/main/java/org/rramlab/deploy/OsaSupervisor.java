package org.rramlab.deploy;

import static org.rramlab.node.Failures.rootMessage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
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
import org.rramlab.array.ArrayActor;
import org.rramlab.device.DevicePreset;
import org.rramlab.learning.drift.DriftAction;
import org.rramlab.learning.drift.DriftDecision;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.node.EntityRegistry;
import org.rramlab.serialization.CborSerializable;
import org.rramlab.deploy.WorkInHand.Step;

/**
 * The OSA supervisor of one deployed network (entity id = deployment id), event-sourced and
 * sharded. It plans the network onto arrays and programs it once; from then on it checks: every
 * check interval, and soon after the statistics raise a drift or CUSUM alarm on one of its arrays,
 * it reads the tiles back, classifies validation images with the measured network and lets the
 * drift policy choose (new gains, an OSA round, a round that moves the SRAM, a refresh of the
 * costliest devices within the write budgets); see decisions 0006 and 0008.
 *
 * <p>One step runs at a time, its tensor work on the "adaptation-dispatcher"; each step ends in a
 * message of its own. While a step runs, the gate folds the checks asked for into one that runs
 * when it ends. What must survive a restart is in the journal; the step under way is not: after a
 * restart the supervisor loads its network again and carries out a round or refresh decided
 * before it stopped, or runs a "restart" check.
 */
public final class OsaSupervisor extends EventSourcedBehavior<OsaSupervisor.Command, DeploymentEvent, DeploymentState> {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Deployment");
    private static final String TIMER = "check";

    // ---- protocol ----

    public sealed interface Command extends CborSerializable {}

    /** A command from outside about a deployment that exists, answered on {@code replyTo}. */
    public sealed interface Request<T> extends Command {
        ActorRef<StatusReply<T>> replyTo();
    }

    public record Start(DeploymentSpec spec, ActorRef<StatusReply<DeploymentStatus>> replyTo) implements Command {}

    /** An operator asks for a check now ({@code adapt}: and an OSA round whatever the accuracy). */
    public record CheckNow(boolean adapt, ActorRef<StatusReply<DeploymentStatus>> replyTo)
            implements Request<DeploymentStatus> {}

    public record Stop(String reason, ActorRef<StatusReply<DeploymentStatus>> replyTo)
            implements Request<DeploymentStatus> {}

    public record GetStatus(ActorRef<StatusReply<DeploymentStatus>> replyTo) implements Request<DeploymentStatus> {}

    public record GetHistory(ActorRef<StatusReply<History>> replyTo) implements Request<History> {}

    /** The recent checks and decisions, and every round and refresh. */
    public record History(List<DeploymentEvent.Check> checks, List<DeploymentEvent.Round> rounds,
                          List<DeploymentEvent.Decided> decisions, List<DeploymentEvent.Refresh> refreshes)
            implements CborSerializable {}

    /** Sent by the registry when a node starts: brings the deployment up so that it carries on. */
    public enum Wake implements Command { INSTANCE }

    // Requests to itself, and one message per asynchronous outcome (never sent by others).

    /** A check is asked for ({@code adapt}: with a round whatever the accuracy). */
    private record Tick(Trigger trigger, boolean adapt) implements Command {}
    private record FromStatistics(StatisticsActor.Update update) implements Command {}
    /** A failed step is tried again; {@code LOAD} is also sent once after recovery. */
    private enum Retry implements Command { PROGRAM, LOAD }
    /** Sent by sharding when the node stops cleanly or the shard moves: journal the hand-off, then stop. */
    private enum HandOff implements Command { INSTANCE }
    /** Sent to itself on recovery of a deployment that was at work: a crash goes in its history. */
    private enum RecordNodeLost implements Command { INSTANCE }
    private record Planned(Start start, PlannedWork planned, Throwable failure) implements Command {}
    private record Loaded(AdaptationWork work, Throwable failure) implements Command {}
    private record ArraysProgrammed(AdaptationSteps.ProgramRan ran, Throwable failure) implements Command {}
    private record Measured(Trigger trigger, boolean adapt, Observed observed, Throwable failure) implements Command {}
    private record RoundEnded(Trigger trigger, DeploymentEvent.Check check, double before, AdaptationSteps.RoundRan ran,
                              Throwable failure) implements Command {}
    private record RefreshEnded(DeploymentEvent.Decided decided, AdaptationSteps.RefreshRan ran, Throwable failure)
            implements Command {}

    // ---- the node's side ----

    /** What the supervisors need from the node. */
    public record Context(ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays,
                          ActorRef<StatisticsActor.Command> statistics, DevicePreset defaultPreset, Path dataDir,
                          BiConsumer<String, Object> events, Duration askTimeout, OsaSettings osa,
                          DriftSettings drift) {}

    /** The shard region of the deployments and the registry that lists them. */
    public record Deployments(ActorRef<ShardingEnvelope<Command>> region, ActorRef<EntityRegistry.Command> registry) {}

    public static Deployments init(ActorSystem<?> system, Context node) {
        ActorRef<EntityRegistry.Command> registry = ClusterSingleton.get(system).init(SingletonActor.of(
                EntityRegistry.create("deployment-registry",
                        id -> ClusterSharding.get(system).entityRefFor(TYPE_KEY, id).tell(Wake.INSTANCE)),
                "deployment-registry"));
        // a supervisor waits on timers between checks: it must not be passivated while idle
        ActorRef<ShardingEnvelope<Command>> region = ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
                        ctx -> create(ctx.getEntityId(), node, registry))
                .withStopMessage(HandOff.INSTANCE)
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
        return new Deployments(region, registry);
    }

    public static Behavior<Command> create(String id, Context node, ActorRef<EntityRegistry.Command> registry) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new OsaSupervisor(ctx, timers, id, node, registry)));
    }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final String id;
    private final Context node;
    private final ActorRef<EntityRegistry.Command> registry;
    private final AdaptationSteps steps;
    private final RoundRecords roundRecords = new RoundRecords();
    private final DeploymentNews news;
    /** This incarnation's network and step under way; a restart loses them on purpose. */
    private final WorkInHand hand = new WorkInHand();
    private final AlarmGate alarms = new AlarmGate();

    private OsaSupervisor(ActorContext<Command> context, TimerScheduler<Command> timers, String id, Context node,
                          ActorRef<EntityRegistry.Command> registry) {
        super(PersistenceId.of(TYPE_KEY.name(), id));
        this.context = context;
        this.timers = timers;
        this.id = id;
        this.node = node;
        this.registry = registry;
        this.steps = new AdaptationSteps(context.getSystem(), node, id);
        this.news = new DeploymentNews(id, node.events());
        node.statistics().tell(new StatisticsActor.Subscribe(
                context.messageAdapter(StatisticsActor.Update.class, FromStatistics::new)));
    }

    @Override
    public DeploymentState emptyState() {
        return DeploymentState.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }

    @Override
    public SignalHandler<DeploymentState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    if (state.active()) {
                        context.getSelf().tell(RecordNodeLost.INSTANCE);
                        context.getSelf().tell(Retry.LOAD);
                    }
                })
                .onSignal(PostStop.instance(), state -> hand.freeWhenDone())
                .build();
    }

    // ---- every transition ----

    /**
     * Completions first (they end the step under way), then the gate: while a step runs, a check
     * asked for waits (folded into one) and a retry is dropped (the step ends with its own outcome).
     * Then what each phase allows: a deployment that does not exist knows only Start; one being
     * programmed refuses checks; one supervising checks on ticks, alarms and operators; a stopped one
     * answers a Stop with its status. Last what every phase answers the same way.
     */
    @Override
    public CommandHandler<Command, DeploymentEvent, DeploymentState> commandHandler() {
        CommandHandlerBuilder<Command, DeploymentEvent, DeploymentState> builder = newCommandHandlerBuilder();
        builder.forAnyState()
                // deploy: plan -> program -> supervise; after a restart: load -> (program) -> supervise
                .onCommand(Planned.class, this::onPlanned)
                .onCommand(Loaded.class, this::onLoaded)
                .onCommand(ArraysProgrammed.class, this::onProgrammed)
                // supervise: tick/alarm -> read and classify -> decide -> (OSA round | refresh -> check) -> idle
                .onCommand(Measured.class, this::onMeasured)
                .onCommand(RoundEnded.class, this::onRoundEnded)
                .onCommand(RefreshEnded.class, this::onRefreshEnded)
                .onCommand(c -> hand.busy() && c instanceof Tick, (s, c) -> fold((Tick) c))
                .onCommand(c -> hand.busy() && c instanceof Retry, (s, c) -> Effect().none());
        builder.forState(s -> !s.exists())
                .onCommand(Start.class, this::onStart)
                .onCommand(Request.class, this::notFound)
                .onCommand(Tick.class, (s, t) -> Effect().none())
                .onCommand(FromStatistics.class, (s, f) -> Effect().none());
        builder.forState(s -> s.phase() == DeploymentState.Phase.PROGRAMMING)
                .onCommand(CheckNow.class, (s, c) -> refuseCheck(s, c, "; wait until it is programmed"))
                .onCommand(Tick.class, (s, t) -> Effect().none())
                .onCommand(FromStatistics.class, (s, f) -> Effect().none());
        builder.forState(s -> s.phase() == DeploymentState.Phase.SUPERVISING)
                .onCommand(CheckNow.class, this::onCheckNow)
                .onCommand(Tick.class, this::onTick)
                .onCommand(FromStatistics.class, this::onStatistics);
        builder.forState(s -> s.phase() == DeploymentState.Phase.STOPPED)
                .onCommand(CheckNow.class, (s, c) -> refuseCheck(s, c, ""))
                .onCommand(Stop.class, (s, stop) -> reply(stop.replyTo(), status(s)))
                .onCommand(Tick.class, (s, t) -> Effect().none())
                .onCommand(FromStatistics.class, (s, f) -> Effect().none());
        builder.forAnyState()
                // operators
                .onCommand(Start.class, this::onStartAgain)
                .onCommand(Stop.class, this::onStop)
                .onCommand(GetStatus.class, (s, g) -> reply(g.replyTo(), status(s)))
                .onCommand(GetHistory.class, (s, g) -> reply(g.replyTo(), new History(s.recentChecks(), s.rounds(),
                        s.decisions(), s.endurance().refreshes())))
                .onCommand(Wake.class, (s, w) -> Effect().none())
                // the node going away and coming back
                .onCommand(HandOff.class, this::onHandOff)
                .onCommand(RecordNodeLost.class, this::onRecordNodeLost)
                .onCommand(Retry.class, this::onRetry);
        return builder.build();
    }

    @Override
    public EventHandler<DeploymentState, DeploymentEvent> eventHandler() {
        EventHandler<DeploymentState, DeploymentEvent> each = newEventHandlerBuilder().forAnyState()
                .onEvent(DeploymentEvent.Created.class, DeploymentState::created)
                .onEvent(DeploymentEvent.Programmed.class, (s, e) -> s.programmed(e)) // programmed() is a query too
                .onEvent(DeploymentEvent.Checked.class, DeploymentState::checked)
                .onEvent(DeploymentEvent.Decided.class, DeploymentState::decided)
                .onEvent(DeploymentEvent.Adapted.class, DeploymentState::adapted)
                .onEvent(DeploymentEvent.Refreshed.class, DeploymentState::refreshed)
                .onEvent(DeploymentEvent.Interrupted.class, DeploymentState::interrupted)
                .onEvent(DeploymentEvent.Recovered.class, DeploymentState::recovered)
                .onEvent(DeploymentEvent.Stopped.class, DeploymentState::stopped)
                .onEvent(DeploymentEvent.HandedOff.class, DeploymentState::stoppedCleanly)
                .onEvent(DeploymentEvent.NodeLost.class, DeploymentState::nodeLost)
                .build();
        // after every event: when it was journaled, and whether it was a clean stop
        return (state, event) -> each.apply(state, event).journaled(event);
    }

    private Effect<DeploymentEvent, DeploymentState> fold(Tick t) {
        hand.fold(t.trigger(), t.adapt());
        return Effect().none();
    }

    // ---- operators ----

    private <T> Effect<DeploymentEvent, DeploymentState> reply(ActorRef<StatusReply<T>> replyTo, T answer) {
        replyTo.tell(StatusReply.success(answer));
        return Effect().none();
    }

    private Effect<DeploymentEvent, DeploymentState> notFound(DeploymentState state, Request<?> r) {
        r.replyTo().tell(Refusal.reply(Refusal.Kind.NOT_FOUND, "deployment '" + id
                + "' does not exist; GET /api/deployments lists them"));
        return Effect().none();
    }

    private DeploymentStatus status(DeploymentState state) {
        return DeploymentStatus.of(id, state);
    }

    private Effect<DeploymentEvent, DeploymentState> refuseCheck(DeploymentState state, CheckNow c, String what) {
        c.replyTo().tell(Refusal.reply(Refusal.Kind.CONFLICT, "cannot check deployment '" + id + "': it is "
                + state.phase().json() + what));
        return Effect().none();
    }

    private Effect<DeploymentEvent, DeploymentState> onCheckNow(DeploymentState state, CheckNow c) {
        context.getSelf().tell(new Tick(Trigger.OPERATOR, c.adapt()));
        return reply(c.replyTo(), status(state));
    }

    private Effect<DeploymentEvent, DeploymentState> onStop(DeploymentState state, Stop stop) {
        timers.cancelAll();
        String reason = stop.reason() == null || stop.reason().isBlank() ? "stopped by an operator" : stop.reason();
        return Effect().persist(new DeploymentEvent.Stopped(Instant.now(), reason))
                .thenRun(ns -> stop.replyTo().tell(StatusReply.success(status(ns))));
    }

    // ---- the node going away ----

    private Effect<DeploymentEvent, DeploymentState> onHandOff(DeploymentState state, HandOff h) {
        if (!state.active()) {
            return Effect().stop();
        }
        return Effect().persist(new DeploymentEvent.HandedOff(Instant.now())).thenStop();
    }

    /** A recovery of a deployment at work without a clean stop before it is a crash; a clean one counts if checks waited. */
    private Effect<DeploymentEvent, DeploymentState> onRecordNodeLost(DeploymentState state, RecordNodeLost r) {
        DeploymentEvent.NodeLost lost = state.lostAt(Instant.now());
        if (!lost.crashed() && lost.checksDelayed() == 0) {
            return Effect().none();
        }
        if (lost.crashed()) {
            context.getLog().warn("deployment '{}' was at work when its node stopped without a clean stop ({} checks delayed)",
                    id, lost.checksDelayed());
        }
        return Effect().persist(lost);
    }

    // ---- start: plan, register the arrays, program once ----

    private Effect<DeploymentEvent, DeploymentState> onStart(DeploymentState state, Start start) {
        List<String> problems = start.spec() == null ? List.of("no spec given") : start.spec().problems();
        if (!problems.isEmpty()) {
            start.replyTo().tell(Refusal.reply(Refusal.Kind.BAD_INPUT, "cannot deploy '" + id + "': "
                    + String.join("; ", problems)));
        } else if (hand.busy()) {
            start.replyTo().tell(Refusal.reply(Refusal.Kind.CONFLICT, "cannot deploy '" + id
                    + "' now: it is being created; ask again"));
        } else {
            context.pipeToSelf(hand.start(Step.PLANNING, steps.plan(start.spec(), id)),
                    (p, error) -> new Planned(start, p, error));
        }
        return Effect().none();
    }

    /** A deployment exists: the same spec again is answered with its status, another one is a conflict. */
    private Effect<DeploymentEvent, DeploymentState> onStartAgain(DeploymentState state, Start start) {
        start.replyTo().tell(state.spec().equals(start.spec()) ? StatusReply.success(status(state))
                : Refusal.reply(Refusal.Kind.CONFLICT, "cannot deploy: deployment '" + id
                        + "' already exists with another spec; choose another id"));
        return Effect().none();
    }

    private Effect<DeploymentEvent, DeploymentState> onPlanned(DeploymentState state, Planned p) {
        hand.end();
        if (p.failure() != null) {
            p.start().replyTo().tell(Refusal.reply(Refusal.Kind.BAD_INPUT, "cannot deploy '" + id + "': "
                    + rootMessage(p.failure())));
            return Effect().none();
        }
        hand.use(p.planned().work());
        return Effect().persist(p.planned().created())
                .thenRun(ns -> registry.tell(new EntityRegistry.Add(id)))
                .thenRun(ns -> p.start().replyTo().tell(StatusReply.success(status(ns))))
                .thenRun(this::program);
    }

    private void program(DeploymentState state) {
        if (state.phase() != DeploymentState.Phase.PROGRAMMING) {
            return;
        }
        context.pipeToSelf(hand.start(Step.PROGRAMMING, steps.program(state)), ArraysProgrammed::new);
    }

    private Effect<DeploymentEvent, DeploymentState> onProgrammed(DeploymentState state, ArraysProgrammed p) {
        hand.end();
        if (p.failure() != null) {
            return interrupted(state, "programming the arrays failed: " + rootMessage(p.failure()), Duration.ofSeconds(10),
                    Retry.PROGRAM);
        }
        return Effect().persist(state.closing(new DeploymentEvent.Programmed(Instant.now(), p.ran().pulses(),
                p.ran().seconds()))).thenRun(ns -> startChecking(ns, Trigger.DEPLOYED, false));
    }

    /** {@code carryOut}: a round was decided before the node stopped; the first check carries it out. */
    private void startChecking(DeploymentState state, Trigger trigger, boolean carryOut) {
        Duration every = Duration.ofMillis((long) (state.spec().checkIntervalOrDefault() * 1000));
        timers.startTimerWithFixedDelay(TIMER, new Tick(Trigger.PERIODIC, false), every, every);
        context.getSelf().tell(new Tick(trigger, carryOut));
    }

    // ---- after a restart, and retries ----

    private Effect<DeploymentEvent, DeploymentState> onRetry(DeploymentState state, Retry retry) {
        if (retry == Retry.PROGRAM && hand.network() != null) {
            program(state);
        } else if (hand.network() != null) {
            carryOn(state);
        } else {
            context.pipeToSelf(hand.start(Step.LOADING, steps.load(state.spec())), Loaded::new);
        }
        return Effect().none();
    }

    private Effect<DeploymentEvent, DeploymentState> onLoaded(DeploymentState state, Loaded loaded) {
        hand.end();
        if (loaded.failure() != null) {
            return interrupted(state, "cannot load the deployed network: " + rootMessage(loaded.failure()),
                    Duration.ofSeconds(30), Retry.LOAD);
        }
        hand.use(loaded.work());
        carryOn(state);
        return Effect().none();
    }

    /** With the network loaded: program what was not programmed yet, or go on checking. */
    private void carryOn(DeploymentState state) {
        if (state.phase() == DeploymentState.Phase.PROGRAMMING) {
            program(state);
        } else if (state.phase() == DeploymentState.Phase.SUPERVISING) {
            startChecking(state, Trigger.RESTART, state.pending() != null);
        }
    }

    // ---- checks, decisions and rounds ----

    /** A drift or CUSUM alarm on one of its arrays starts a check (alarms close together, one). */
    private Effect<DeploymentEvent, DeploymentState> onStatistics(DeploymentState state, FromStatistics f) {
        Trigger trigger = alarms.admit(f.update(), state);
        if (trigger != null) {
            context.getSelf().tell(new Tick(trigger, false));
        }
        return Effect().none();
    }

    /** Reads the tiles, then classifies on the tensor thread; a refresh decided and not carried out yet goes first. */
    private Effect<DeploymentEvent, DeploymentState> onTick(DeploymentState state, Tick tick) {
        AdaptationWork w = hand.network();
        if (w == null) {
            return Effect().none(); // still loading the network after a restart: checking starts once it is loaded
        }
        if (state.pendingRefresh() != null) {
            if (tick.trigger() == Trigger.OPERATOR) {
                hand.fold(tick.trigger(), tick.adapt()); // the operator's round follows the refresh
            }
            startRefresh(state, state.pendingRefresh());
            return Effect().none();
        }
        context.pipeToSelf(hand.start(Step.CHECKING, steps.check(w, state, tick.trigger())),
                (o, error) -> new Measured(tick.trigger(), tick.adapt(), o, error));
        return Effect().none();
    }

    /** Records the check and what the policy chose, together; then carries the choice out. */
    private Effect<DeploymentEvent, DeploymentState> onMeasured(DeploymentState state, Measured m) {
        if (m.failure() != null) {
            hand.end();
            return interrupted(state, "the HIL check could not read the arrays: " + rootMessage(m.failure()), null, null);
        }
        DeploymentEvent.Check c = m.observed().toCheck(state.checks() + 1, m.trigger());
        AdaptationWork.Measured measured = m.observed().measured();
        DriftDecision d = DriftChoice.decide(state, c, measured, m.adapt(), node.drift());
        DeploymentEvent.Decided decided = DriftChoice.decided(c, d, measured);
        return Effect().persist(state.closing(new DeploymentEvent.Checked(Instant.now(), c), decided)).thenRun(ns -> {
            news.checked(c, decided, ns.softwareAccuracy());
            if (ns.pendingRefresh() != null) {
                startRefresh(ns, ns.pendingRefresh());
            } else if (ns.pending() != null) {
                startRound(ns, DriftChoice.roundTrigger(ns, c, m.adapt()), c, measured, d.action() == DriftAction.REPLACE);
            } else {
                idle();
            }
        });
    }

    private void startRound(DeploymentState state, Trigger trigger, DeploymentEvent.Check check,
                            AdaptationWork.Measured measured, boolean replace) {
        context.pipeToSelf(hand.start(Step.ADAPTING, steps.round(hand.network(), state, measured, replace)),
                (ran, error) -> new RoundEnded(trigger, check, measured.recompensated(), ran, error));
    }

    private Effect<DeploymentEvent, DeploymentState> onRoundEnded(DeploymentState state, RoundEnded r) {
        if (r.failure() != null) {
            hand.end();
            return interrupted(state, "the OSA round failed: " + rootMessage(r.failure()), null, null);
        }
        if (state.phase() != DeploymentState.Phase.SUPERVISING) {
            idle();
            return Effect().none();
        }
        DeploymentEvent.Round round = roundRecords.record(state, r.trigger(), r.check(), r.before(), r.ran().result(),
                r.ran().seconds());
        return Effect().persist(new DeploymentEvent.Adapted(Instant.now(), round,
                        round.applied() ? r.ran().result().branch() : state.branch()))
                .thenRun(ns -> news.adapted(round, ns.softwareAccuracy()))
                .thenRun(ns -> idle());
    }

    private void startRefresh(DeploymentState state, DeploymentEvent.Decided decided) {
        context.pipeToSelf(hand.start(Step.REFRESHING, steps.refresh(state.mapping(), decided.check(), decided.refresh())),
                (ran, error) -> new RefreshEnded(decided, ran, error));
    }

    /**
     * The devices are written: their writes are counted (even when stopped meanwhile, they were
     * written), then a check reads them back. A failed refresh stays pending: the next tick tries again.
     */
    private Effect<DeploymentEvent, DeploymentState> onRefreshEnded(DeploymentState state, RefreshEnded r) {
        if (r.failure() != null) {
            hand.end();
            return interrupted(state, "the refresh decided at check " + r.decided().check() + " could not write the arrays: "
                    + rootMessage(r.failure()), null, null);
        }
        return Effect().persist(state.closing(DeploymentEvent.Refreshed.of(r.decided(),
                state.endurance().refreshes().size() + 1, r.ran()))).thenRun(ns -> {
            WorkInHand.Folded folded = hand.endAndTakeFolded();
            context.getSelf().tell(new Tick(Trigger.REFRESH, folded != null && folded.adapt()));
        });
    }

    /** A check or round is over: run the check asked for meanwhile. */
    private void idle() {
        WorkInHand.Folded folded = hand.endAndTakeFolded();
        if (folded != null) {
            context.getSelf().tell(new Tick(folded.trigger(), folded.adapt()));
        }
    }

    // ---- interruptions ----

    /**
     * Records that a step failed (once for the same reason) and tries it again: {@code retry} after
     * {@code after}; a check with the next tick (both null).
     */
    private Effect<DeploymentEvent, DeploymentState> interrupted(DeploymentState state, String reason, Duration after,
                                                                 Retry retry) {
        context.getLog().warn("deployment '{}': {}", id, reason);
        if (retry != null) {
            timers.startSingleTimer("retry", retry, after);
        }
        return reason.equals(state.problem()) ? Effect().none()
                : Effect().persist(new DeploymentEvent.Interrupted(Instant.now(), reason));
    }
}
