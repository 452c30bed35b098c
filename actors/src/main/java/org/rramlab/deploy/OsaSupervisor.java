package org.rramlab.deploy;

import static org.rramlab.node.Failures.rootMessage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
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
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.rramlab.api.LabEvents;
import org.rramlab.api.Refusal;
import org.rramlab.api.Refusal;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySpec;
import org.rramlab.array.ArraySummary;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.RramArray;
import org.rramlab.learning.area.AreaModel;
import org.rramlab.learning.area.AreaParameters;
import org.rramlab.learning.area.AreaReport;
import org.rramlab.learning.drift.DriftAction;
import org.rramlab.learning.drift.DriftDecision;
import org.rramlab.learning.drift.DriftPolicy;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.osa.OsaConfig;
import org.rramlab.learning.osa.OsaResult;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.node.EntityRegistry;
import org.rramlab.node.Provenance;
import org.rramlab.serialization.CborSerializable;
import org.rramlab.statistics.CusumAlarm;
import org.rramlab.statistics.StatisticsEvent;

/**
 * The OSA supervisor of one deployed network (entity id = deployment id), event-sourced and
 * sharded. It plans the network onto arrays and programs it once; from then on it only reads:
 * every check interval, and soon after the statistics raise a drift or CUSUM alarm on one of its
 * arrays, it reads the tiles back, classifies the check images with the measured network (alone
 * and with the SRAM corrections) and, when accuracy has fallen more than the threshold under the
 * last round's result, runs an OSA round on the measured weights and puts the new SRAM branch in
 * place of the old. Drift is corrected in SRAM only: the RRAM is never programmed again.
 *
 * <p>One step runs at a time (planning, loading the network, programming, a check, a round), its
 * tensor work on the "adaptation-dispatcher"; each step ends in a message of its own. While a step
 * runs, the gate at the top of the command handler folds the checks asked for into one that runs
 * when it ends. What must survive a restart is in the journal (phase, checks, rounds, the SRAM
 * branch, the last problem); the step under way is not: after a restart the supervisor loads its
 * network again and runs a "restart" check.
 */
public final class OsaSupervisor extends EventSourcedBehavior<OsaSupervisor.Command, DeploymentEvent, DeploymentState> {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Deployment");
    public static final String DOES_NOT_EXIST = "does not exist";
    public static final String CANNOT = "cannot";
    /** Statistics alarms closer together than this start one check, not one each. */
    private static final Duration ALARM_GAP = Duration.ofSeconds(5);
    private static final String TIMER = "check";

    public sealed interface Command extends CborSerializable {}

    public record Start(DeploymentSpec spec, ActorRef<StatusReply<DeploymentStatus>> replyTo) implements Command {}

    /** An operator asks for a check now ({@code adapt}: and an OSA round whatever the accuracy). */
    public record CheckNow(boolean adapt, ActorRef<StatusReply<DeploymentStatus>> replyTo) implements Command {}

    public record Stop(String reason, ActorRef<StatusReply<DeploymentStatus>> replyTo) implements Command {}

    public record GetStatus(ActorRef<StatusReply<DeploymentStatus>> replyTo) implements Command {}

    public record GetHistory(ActorRef<StatusReply<History>> replyTo) implements Command {}

    /** The recent checks and decisions, and every round. */
    public record History(List<DeploymentEvent.Check> checks, List<DeploymentEvent.Round> rounds,
                          List<DeploymentEvent.Decided> decisions) implements CborSerializable {}

    /** Sent by the registry when a node starts: brings the deployment up so that it carries on. */
    public enum Wake implements Command { INSTANCE }

    // ---- private: requests to itself, and one message per asynchronous completion ----

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

    private record ArraysProgrammed(List<ProgramResult> results, double seconds, Throwable failure) implements Command {}

    private record Measured(Trigger trigger, boolean adapt, Read read, Throwable failure) implements Command {}

    private record RoundEnded(Trigger trigger, DeploymentEvent.Check check, double before, OsaResult result,
                              double seconds, Throwable failure) implements Command {}

    private record PlannedWork(AdaptationWork work, DeploymentEvent.Created created) {}

    private record Read(AdaptationWork.Measured measured, double arrayTimeSeconds, double readSeconds) {
        DeploymentEvent.Check toCheck(int number, Trigger trigger) {
            return new DeploymentEvent.Check(number, Instant.now(), trigger, arrayTimeSeconds, measured.rawAccuracy(),
                    measured.accuracy(), measured.images(), readSeconds, measured.evalSeconds(),
                    measured.gains() == null ? null : measured.recompensated());
        }
    }

    /** The step under way; none between steps. */
    private enum Step { PLANNING, LOADING, PROGRAMMING, CHECKING, ADAPTING }

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
    private final Executor tensors;
    private final AreaModel area = new AreaModel(AreaParameters.neurosim65nm());
    /** Loaded on demand; not state: rebuilt from the model files after a restart. Touched on this actor's thread only. */
    private AdaptationWork work;
    private Step busy;
    /** The tensor work of the step under way: the network is freed only once it has ended. */
    private CompletableFuture<?> running;
    /** A check asked for while a step ran: the strongest trigger, and whether a round was asked for. */
    private Trigger pendingTrigger;
    private boolean pendingAdapt;
    private Instant lastAlarmCheck = Instant.EPOCH;

    private OsaSupervisor(ActorContext<Command> context, TimerScheduler<Command> timers, String id, Context node,
                          ActorRef<EntityRegistry.Command> registry) {
        super(PersistenceId.of(TYPE_KEY.name(), id));
        this.context = context;
        this.timers = timers;
        this.id = id;
        this.node = node;
        this.registry = registry;
        this.tensors = context.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig("adaptation-dispatcher"));
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
                .onSignal(PostStop.instance(), state -> freeWhenDone())
                .build();
    }

    @Override
    public EventHandler<DeploymentState, DeploymentEvent> eventHandler() {
        EventHandler<DeploymentState, DeploymentEvent> each = events();
        return (state, event) -> each.apply(state, event).journaled(event);
    }

    private EventHandler<DeploymentState, DeploymentEvent> events() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(DeploymentEvent.Created.class, (s, e) -> s.created(e))
                .onEvent(DeploymentEvent.Programmed.class, (s, e) -> s.programmed(e))
                .onEvent(DeploymentEvent.Checked.class, (s, e) -> s.checked(e))
                .onEvent(DeploymentEvent.Decided.class, (s, e) -> s.decided(e))
                .onEvent(DeploymentEvent.Adapted.class, (s, e) -> s.adapted(e))
                .onEvent(DeploymentEvent.Interrupted.class, (s, e) -> s.interrupted(e))
                .onEvent(DeploymentEvent.Recovered.class, (s, e) -> s.recovered(e))
                .onEvent(DeploymentEvent.Stopped.class, (s, e) -> s.stopped(e))
                .onEvent(DeploymentEvent.HandedOff.class, DeploymentState::stoppedCleanly)
                .onEvent(DeploymentEvent.NodeLost.class, DeploymentState::nodeLost)
                .build();
    }

    /**
     * Every transition. The gate comes first: while a step runs, a check asked for waits (folded
     * into one) and a retry is dropped (the running step ends with its own outcome).
     */
    @Override
    public CommandHandler<Command, DeploymentEvent, DeploymentState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(c -> busy != null && (c instanceof Tick || c instanceof Retry), this::whileBusy)
                // operators
                .onCommand(Start.class, this::onStart)
                .onCommand(CheckNow.class, this::onCheckNow)
                .onCommand(Stop.class, this::onStop)
                .onCommand(GetStatus.class, this::onGetStatus)
                .onCommand(GetHistory.class, this::onGetHistory)
                .onCommand(Wake.class, (state, w) -> Effect().none())
                // the node going away
                .onCommand(HandOff.class, this::onHandOff)
                .onCommand(RecordNodeLost.class, this::onRecordNodeLost)
                // deploy: plan -> program -> supervise; after a restart: load -> (program) -> supervise
                .onCommand(Planned.class, this::onPlanned)
                .onCommand(Retry.class, this::onRetry)
                .onCommand(Loaded.class, this::onLoaded)
                .onCommand(ArraysProgrammed.class, this::onProgrammed)
                // supervise: tick/alarm -> read and classify -> (OSA round) -> idle
                .onCommand(FromStatistics.class, this::onStatistics)
                .onCommand(Tick.class, this::onTick)
                .onCommand(Measured.class, this::onMeasured)
                .onCommand(RoundEnded.class, this::onRoundEnded)
                .build();
    }

    private Effect<DeploymentEvent, DeploymentState> whileBusy(DeploymentState state, Command command) {
        if (command instanceof Tick t) {
            pendingTrigger = pendingTrigger == null || pendingTrigger == Trigger.PERIODIC ? t.trigger() : pendingTrigger;
            pendingAdapt |= t.adapt();
        }
        return Effect().none();
    }

    // ---- operators ----

    private Effect<DeploymentEvent, DeploymentState> onGetStatus(DeploymentState state, GetStatus g) {
        return exists(state, g.replyTo(), () -> {
            g.replyTo().tell(StatusReply.success(status(state)));
            return Effect().none();
        });
    }

    private Effect<DeploymentEvent, DeploymentState> onGetHistory(DeploymentState state, GetHistory g) {
        return exists(state, g.replyTo(), () -> {
            g.replyTo().tell(StatusReply.success(new History(state.recentChecks(), state.rounds(), state.decisions())));
            return Effect().none();
        });
    }

    private <T> Effect<DeploymentEvent, DeploymentState> exists(DeploymentState state, ActorRef<StatusReply<T>> replyTo,
                                                                Supplier<Effect<DeploymentEvent, DeploymentState>> then) {
        if (!state.exists()) {
            replyTo.tell(Refusal.reply(Refusal.Kind.NOT_FOUND, "deployment '" + id + "' " + DOES_NOT_EXIST
                    + "; GET /api/deployments lists them"));
            return Effect().none();
        }
        return then.get();
    }

    private DeploymentStatus status(DeploymentState state) {
        return DeploymentStatus.of(id, state);
    }

    private Effect<DeploymentEvent, DeploymentState> onCheckNow(DeploymentState state, CheckNow c) {
        return exists(state, c.replyTo(), () -> {
            if (state.phase() != DeploymentState.Phase.SUPERVISING) {
                c.replyTo().tell(Refusal.reply(Refusal.Kind.CONFLICT, CANNOT + " check deployment '" + id + "': it is "
                        + state.phase().name().toLowerCase() + (state.phase() == DeploymentState.Phase.PROGRAMMING
                        ? "; wait until it is programmed" : "")));
                return Effect().none();
            }
            c.replyTo().tell(StatusReply.success(status(state)));
            context.getSelf().tell(new Tick(Trigger.OPERATOR, c.adapt()));
            return Effect().none();
        });
    }

    private Effect<DeploymentEvent, DeploymentState> onStop(DeploymentState state, Stop stop) {
        return exists(state, stop.replyTo(), () -> {
            if (state.phase() == DeploymentState.Phase.STOPPED) {
                stop.replyTo().tell(StatusReply.success(status(state)));
                return Effect().none();
            }
            timers.cancelAll();
            String reason = stop.reason() == null || stop.reason().isBlank() ? "stopped by an operator" : stop.reason();
            return Effect().persist(new DeploymentEvent.Stopped(Instant.now(), reason))
                    .thenRun(ns -> stop.replyTo().tell(StatusReply.success(status(ns))));
        });
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
        Instant now = Instant.now();
        boolean crash = !state.nodeHistory().handedOff();
        int delayed = state.checksDueBy(now);
        if (!crash && delayed == 0) {
            return Effect().none();
        }
        Instant from = state.nodeHistory().lastEventAt() != null ? state.nodeHistory().lastEventAt() : now;
        if (crash) {
            context.getLog().warn("deployment '{}' was at work when its node stopped without a clean stop ({} checks delayed)",
                    id, delayed);
        }
        return Effect().persist(new DeploymentEvent.NodeLost(now, from, delayed, crash));
    }

    // ---- start: plan, register the arrays, program once ----

    private Effect<DeploymentEvent, DeploymentState> onStart(DeploymentState state, Start start) {
        StatusReply<DeploymentStatus> answer = startAnswer(state, start);
        if (answer != null) {
            start.replyTo().tell(answer);
            return Effect().none();
        }
        DeploymentSpec spec = start.spec();
        String prefix = spec.arrayPrefixOr(id);
        run(Step.PLANNING, CompletableFuture.supplyAsync(() -> plan(spec, prefix), tensors),
                (planned, error) -> new Planned(start, planned, error));
        return Effect().none();
    }

    /** The answer to {@code start} when it cannot begin (or is done already: the same spec); null when it can. */
    private StatusReply<DeploymentStatus> startAnswer(DeploymentState state, Start start) {
        if (state.exists()) {
            return state.spec().equals(start.spec()) ? StatusReply.success(status(state))
                    : Refusal.reply(Refusal.Kind.CONFLICT, CANNOT + " deploy: deployment '" + id
                            + "' already exists with another spec; choose another id");
        }
        List<String> problems = start.spec() == null ? List.of("no spec given") : start.spec().problems();
        if (!problems.isEmpty()) {
            return Refusal.reply(Refusal.Kind.BAD_INPUT, CANNOT + " deploy '" + id + "': " + String.join("; ", problems));
        }
        return busy == null ? null : Refusal.reply(Refusal.Kind.CONFLICT, CANNOT + " deploy '" + id
                + "' now: it is being created; ask again");
    }

    /** On the tensor thread: loads the network and plans it; frees it again when planning fails. */
    private PlannedWork plan(DeploymentSpec spec, String prefix) {
        DevicePreset preset = spec.preset() == null ? node.defaultPreset() : DevicePreset.load(spec.preset());
        AdaptationWork w = AdaptationWork.load(node.dataDir(), spec);
        try {
            WeightMapping mapping = w.plan(preset, prefix);
            Provenance provenance = Provenance.of(preset).withArrays(mapping.arrayIds(),
                    spec.simulatedOrTrue() ? ArraySpec.SIMULATED : null);
            return new PlannedWork(w, new DeploymentEvent.Created(Instant.now(), spec, mapping, spec.model(), w.dataset(),
                    w.softwareAccuracy(), provenance));
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    private Effect<DeploymentEvent, DeploymentState> onPlanned(DeploymentState state, Planned p) {
        ended();
        if (p.failure() != null) {
            p.start().replyTo().tell(Refusal.reply(Refusal.Kind.BAD_INPUT, CANNOT + " deploy '" + id + "': "
                    + rootMessage(p.failure())));
            return Effect().none();
        }
        useWork(p.planned().work());
        return Effect().persist(p.planned().created())
                .thenRun(ns -> registry.tell(new EntityRegistry.Add(id)))
                .thenRun(ns -> p.start().replyTo().tell(StatusReply.success(status(ns))))
                .thenRun(this::program);
    }

    /** Registers simulated arrays where needed, then programs every tile with a tag, so a repeat programs nothing. */
    private void program(DeploymentState state) {
        if (state.phase() != DeploymentState.Phase.PROGRAMMING) {
            return;
        }
        WeightMapping mapping = state.mapping();
        DeploymentSpec spec = state.spec();
        List<CompletableFuture<ArraySummary>> registered = new ArrayList<>();
        for (int i = 0; i < mapping.arrayIds().size(); i++) {
            ArraySpec sim = ArraySpec.simulated(mapping.preset(), mapping.config().arrayRows(), mapping.config().arrayCols(),
                    spec.seedOrOne() + i);
            registered.add(ensureArray(mapping.arrayIds().get(i), spec.simulatedOrTrue() ? sim : null).toCompletableFuture());
        }
        long t0 = System.nanoTime();
        CompletionStage<List<ProgramResult>> programmed = CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new))
                .thenCompose(v -> Mapper.program(mapping, Map.<String, RramArray>copyOf(arrays(mapping, "deploy:" + id))));
        run(Step.PROGRAMMING, programmed.toCompletableFuture(),
                (results, error) -> new ArraysProgrammed(results, (System.nanoTime() - t0) / 1e9, error));
    }

    private Effect<DeploymentEvent, DeploymentState> onProgrammed(DeploymentState state, ArraysProgrammed p) {
        ended();
        if (p.failure() != null) {
            return interrupted(state, "programming the arrays failed: " + rootMessage(p.failure()), Duration.ofSeconds(10),
                    Retry.PROGRAM);
        }
        long pulses = p.results().stream().mapToLong(ProgramResult::pulses).sum();
        List<DeploymentEvent> events = new ArrayList<>(recoveredEvents(state));
        events.add(new DeploymentEvent.Programmed(Instant.now(), pulses, p.seconds()));
        return Effect().persist(events).thenRun(ns -> startChecking(ns, Trigger.DEPLOYED, false));
    }

    private CompletionStage<ArraySummary> ensureArray(String arrayId, ArraySpec simulated) {
        CompletionStage<ArraySummary> state = AskPattern.askWithStatus(node.arrays(),
                r -> new ShardingEnvelope<>(arrayId, new ArrayActor.GetState(r)), node.askTimeout(),
                context.getSystem().scheduler());
        return state.handle((summary, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(summary);
            }
            if (simulated != null && Refusal.kindOf(error) == Refusal.Kind.NOT_FOUND) {
                return AskPattern.<ShardingEnvelope<ArrayActor.Command>, ArraySummary>askWithStatus(node.arrays(),
                        r -> new ShardingEnvelope<>(arrayId, new ArrayActor.Register(simulated, r)), node.askTimeout(),
                        context.getSystem().scheduler());
            }
            return CompletableFuture.<ArraySummary>failedFuture(error);
        }).thenCompose(Function.identity());
    }

    private Map<String, ActorArray> arrays(WeightMapping mapping, String tagPrefix) {
        Map<String, ActorArray> out = new HashMap<>();
        for (String arrayId : mapping.arrayIds()) {
            out.put(arrayId, new ActorArray(context.getSystem(), node.arrays(), arrayId, tagPrefix + ":" + arrayId,
                    node.askTimeout()));
        }
        return out;
    }

    /** {@code carryOut}: a round was decided before the node stopped; the first check carries it out. */
    private void startChecking(DeploymentState state, Trigger trigger, boolean carryOut) {
        Duration every = Duration.ofMillis((long) (state.spec().checkIntervalOrDefault() * 1000));
        timers.startTimerWithFixedDelay(TIMER, new Tick(Trigger.PERIODIC, false), every, every);
        context.getSelf().tell(new Tick(trigger, carryOut));
    }

    // ---- after a restart, and retries ----

    private Effect<DeploymentEvent, DeploymentState> onRetry(DeploymentState state, Retry retry) {
        if (retry == Retry.PROGRAM && work != null) {
            program(state);
        } else if (work != null) {
            carryOn(state);
        } else {
            run(Step.LOADING, CompletableFuture.supplyAsync(() -> AdaptationWork.load(node.dataDir(), state.spec()), tensors),
                    Loaded::new);
        }
        return Effect().none();
    }

    private Effect<DeploymentEvent, DeploymentState> onLoaded(DeploymentState state, Loaded loaded) {
        ended();
        if (loaded.failure() != null) {
            return interrupted(state, "cannot load the deployed network: " + rootMessage(loaded.failure()),
                    Duration.ofSeconds(30), Retry.LOAD);
        }
        useWork(loaded.work());
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

    // ---- checks and rounds ----

    private Effect<DeploymentEvent, DeploymentState> onStatistics(DeploymentState state, FromStatistics f) {
        if (!(f.update() instanceof StatisticsActor.Alarm alarm) || state.phase() != DeploymentState.Phase.SUPERVISING
                || !state.mapping().arrayIds().contains(alarm.event().arrayId())) {
            return Effect().none();
        }
        Instant now = Instant.now();
        if (now.isBefore(lastAlarmCheck.plus(ALARM_GAP))) {
            return Effect().none();
        }
        lastAlarmCheck = now;
        context.getSelf().tell(new Tick(trigger(alarm.event()), false));
        return Effect().none();
    }

    private static Trigger trigger(StatisticsEvent e) {
        return e instanceof CusumAlarm ? Trigger.CUSUM : Trigger.DRIFT;
    }

    /** Reads the tiles and classifies, on the tensor thread. */
    private Effect<DeploymentEvent, DeploymentState> onTick(DeploymentState state, Tick tick) {
        if (state.phase() != DeploymentState.Phase.SUPERVISING || work == null) {
            return Effect().none(); // still loading the network after a restart: checking starts once it is loaded
        }
        long t0 = System.nanoTime();
        WeightMapping mapping = state.mapping();
        var branch = state.branch();
        var gains = state.gains();
        double reference = state.reference();
        double threshold = state.spec().thresholdOrDefault();
        AdaptationWork w = work;
        Map<String, ActorArray> arrays = arrays(mapping, "check:" + id);
        CompletionStage<Read> measured = Mapper.read(mapping, Map.<String, RramArray>copyOf(arrays))
                .thenApplyAsync(conductances -> new Read(w.check(mapping, conductances, branch, gains, node.drift(),
                        reference, threshold),
                        arrays.values().stream().mapToDouble(ActorArray::lastArrayTimeSeconds).max().orElse(0),
                        (System.nanoTime() - t0) / 1e9), tensors);
        run(Step.CHECKING, measured.toCompletableFuture(), (read, error) -> new Measured(tick.trigger(), tick.adapt(), read, error));
        return Effect().none();
    }

    /** Records the check and what the policy chose, together; then carries the choice out. */
    private Effect<DeploymentEvent, DeploymentState> onMeasured(DeploymentState state, Measured m) {
        if (m.failure() != null) {
            ended();
            return interrupted(state, "the HIL check could not read the arrays: " + rootMessage(m.failure()), null, null);
        }
        DeploymentEvent.Check c = m.read().toCheck(state.checks() + 1, m.trigger());
        AdaptationWork.Measured measured = m.read().measured();
        DriftDecision d = decide(state, c, measured, m.adapt());
        DeploymentEvent.Decided decided = new DeploymentEvent.Decided(Instant.now(), c.number(), d.action(), d.reason(),
                d.expectedGainPoints(), c.arrayTimeSeconds(), d.action() == DriftAction.NOTHING ? null : measured.gains());
        List<DeploymentEvent> events = new ArrayList<>(recoveredEvents(state));
        events.add(new DeploymentEvent.Checked(Instant.now(), c));
        events.add(decided);
        return Effect().persist(events).thenRun(ns -> {
            node.events().accept(LabEvents.ACCURACY, new LabEvents.AccuracyCheck(id, c.accuracy(), ns.softwareAccuracy(),
                    c.arrayTimeSeconds()));
            node.events().accept(LabEvents.DRIFT_DECISION, new LabEvents.DriftDecision(id, c.number(),
                    d.action().id(), d.reason(), c.arrayTimeSeconds()));
            if (ns.pending() != null) {
                startRound(ns, roundTrigger(ns, c, m.adapt()), c, measured, d.action() == DriftAction.REPLACE);
            } else {
                idle();
            }
        });
    }

    /**
     * What this check calls for. The first check after programming places the SRAM; a round
     * decided before a restart is carried out; an operator's request is a round; otherwise the
     * policy weighs each action's expected gain against its cost. Without drift since the last
     * round a round would learn the same again: the policy may then only recompensate.
     */
    private DriftDecision decide(DeploymentState s, DeploymentEvent.Check c, AdaptationWork.Measured m, boolean asked) {
        boolean sram = s.spec().sramFractionOrDefault() > 0;
        if (sram && s.rounds().isEmpty()) {
            return new DriftDecision(DriftAction.REPLACE, "deployed: gains from the first reads, SRAM placed by importance",
                    0, 0);
        }
        if (sram && asked && s.pending() != null) {
            return new DriftDecision(s.pending().action(), "decided before the node stopped: " + s.pending().reason(),
                    s.pending().expectedGainPoints(), 0);
        }
        if (sram && asked) {
            return new DriftDecision(DriftAction.OSA_ROUND, "asked for by an operator", 0, 0);
        }
        double reference = Double.isNaN(s.reference()) ? c.accuracy() : s.reference();
        DriftDecision d = node.drift().policy(s.spec().thresholdOrDefault()).decide(new DriftPolicy.Observation(
                reference, m.accuracy(), m.recompensated(), 0, 0, m.overlap(), 0.5));
        boolean round = d.action() == DriftAction.OSA_ROUND || d.action() == DriftAction.REPLACE;
        boolean drifted = s.rounds().isEmpty()
                || c.arrayTimeSeconds() > s.rounds().get(s.rounds().size() - 1).arrayTimeSeconds();
        if (round && (!sram || !drifted)) {
            boolean better = m.recompensated() > m.accuracy() && m.gains() != null;
            return new DriftDecision(better ? DriftAction.RECOMPENSATE : DriftAction.NOTHING, d.reason()
                    + (sram ? "; but the arrays have not drifted since the last round" : "; but there is no SRAM"), 0, 0);
        }
        return m.gains() == null && d.action() == DriftAction.RECOMPENSATE
                ? new DriftDecision(DriftAction.NOTHING, "compensation is off", 0, 0) : d;
    }

    /** Why the round runs: deployed (the first), operator, accuracy (after a routine check) or the alarm. */
    private static Trigger roundTrigger(DeploymentState s, DeploymentEvent.Check c, boolean operator) {
        if (s.rounds().isEmpty()) {
            return operator ? Trigger.OPERATOR : Trigger.DEPLOYED;
        }
        if (operator && c.trigger() != Trigger.RESTART) {
            return Trigger.OPERATOR;
        }
        return c.trigger().routine() ? Trigger.ACCURACY : c.trigger();
    }

    private void startRound(DeploymentState state, Trigger trigger, DeploymentEvent.Check check,
                            AdaptationWork.Measured measured, boolean replace) {
        var previous = state.branch();
        OsaConfig config = node.osa().round(state.spec(), state.rounds().size() + 1);
        AdaptationWork w = work;
        long t0 = System.nanoTime();
        run(Step.ADAPTING, CompletableFuture.supplyAsync(() -> w.adapt(measured.weights(), config, previous, replace),
                tensors), (result, error) -> new RoundEnded(trigger, check, measured.recompensated(), result,
                (System.nanoTime() - t0) / 1e9, error));
    }

    private Effect<DeploymentEvent, DeploymentState> onRoundEnded(DeploymentState state, RoundEnded r) {
        if (r.failure() != null) {
            ended();
            return interrupted(state, "the OSA round failed: " + rootMessage(r.failure()), null, null);
        }
        if (state.phase() != DeploymentState.Phase.SUPERVISING) {
            idle();
            return Effect().none();
        }
        DeploymentEvent.Round round = round(state, r);
        var branch = round.applied() ? r.result().branch() : state.branch();
        return Effect().persist(new DeploymentEvent.Adapted(Instant.now(), round, branch)).thenRun(ns -> {
            node.events().accept(LabEvents.OSA_ROUND, new LabEvents.OsaRound(id, round.number(), r.trigger().id(),
                    (int) round.positions(), round.sramFraction(), round.areaCostCell(), round.areaCostMacro(),
                    round.accuracyBefore(), round.accuracyAfter(), round.arrayTimeSeconds()));
            node.events().accept(LabEvents.ACCURACY, new LabEvents.AccuracyCheck(id,
                    round.applied() ? round.accuracyAfter() : round.accuracyBefore(), ns.softwareAccuracy(),
                    round.arrayTimeSeconds()));
            idle();
        });
    }

    /** The gain registers and their multipliers (one per array), against the RRAM macro. */
    private double compensationCost(DeploymentState state) {
        return state.gains() == null ? 0 : area.compensationCost(state.mapping().weightCount(), state.gains().registers(),
                state.gains().bits(), state.mapping().arrayIds().size());
    }

    /** The round's record; corrections that do no better than those in place are recorded but not used. */
    private DeploymentEvent.Round round(DeploymentState state, RoundEnded r) {
        OsaResult result = r.result();
        DeploymentEvent.Check check = r.check();
        AreaReport cost = area.report(state.mapping().weightCount(), result.sramWeights());
        return new DeploymentEvent.Round(state.rounds().size() + 1, Instant.now(), r.trigger(), check.arrayTimeSeconds(),
                result.placement().name().toLowerCase(), result.sramWeights(), result.sramFraction(), cost.cellOnlyCost(),
                cost.macroCost() + compensationCost(state), r.before(), check.rawAccuracy(), result.accuracy(),
                result.accuracy() > r.before(), r.seconds());
    }

    // ---- steps ----

    /** Starts a step: its result comes back as the message {@code done} makes of it. */
    private <T> void run(Step step, CompletableFuture<T> work, java.util.function.BiFunction<T, Throwable, Command> done) {
        busy = step;
        running = work;
        context.pipeToSelf(work, done::apply);
    }

    private void ended() {
        busy = null;
        running = null;
    }

    /** A check or round is over: run what was asked for meanwhile. */
    private void idle() {
        ended();
        if (pendingTrigger != null || pendingAdapt) {
            context.getSelf().tell(new Tick(pendingTrigger == null ? Trigger.OPERATOR : pendingTrigger, pendingAdapt));
            pendingTrigger = null;
            pendingAdapt = false;
        }
    }

    private void useWork(AdaptationWork w) {
        if (work != null && work != w) {
            work.close();
        }
        work = w;
    }

    /** On stop: the network's memory is freed once no tensor work uses it any more (and a network still loading with it). */
    private void freeWhenDone() {
        AdaptationWork w = work;
        CompletableFuture<?> inFlight = running;
        if (inFlight == null) {
            if (w != null) {
                w.close();
            }
            return;
        }
        inFlight.whenComplete((result, error) -> {
            if (w != null) {
                w.close();
            }
            if (result instanceof AdaptationWork loaded && loaded != w) {
                loaded.close();
            } else if (result instanceof PlannedWork planned && planned.work() != w) {
                planned.work().close();
            }
        });
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
        if (reason.equals(state.problem())) {
            return Effect().none();
        }
        return Effect().persist(new DeploymentEvent.Interrupted(Instant.now(), reason));
    }

    private List<DeploymentEvent> recoveredEvents(DeploymentState state) {
        if (state.interruptedAt() == null) {
            return List.of();
        }
        double down = Duration.between(state.interruptedAt(), Instant.now()).toMillis() / 1e3;
        return List.of(new DeploymentEvent.Recovered(Instant.now(), down));
    }
}
