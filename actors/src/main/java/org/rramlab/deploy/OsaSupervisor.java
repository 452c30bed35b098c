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
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySpec;
import org.rramlab.array.ArraySummary;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.RramArray;
import org.rramlab.learning.area.AreaModel;
import org.rramlab.learning.area.AreaParameters;
import org.rramlab.learning.area.AreaReport;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.osa.OsaConfig;
import org.rramlab.learning.osa.OsaResult;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.node.EntityRegistry;
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
 * <p>Tensor work runs on the "adaptation-dispatcher", never on the actor's thread. After a restart
 * the supervisor loads its network again and carries on from its events.
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

    /** The recent checks and every round. */
    public record History(List<DeploymentEvent.Check> checks, List<DeploymentEvent.Round> rounds)
            implements CborSerializable {}

    /** Sent by the registry when a node starts: brings the deployment up so that it carries on. */
    public enum Wake implements Command { INSTANCE }

    private record Tick(String trigger) implements Command {}

    private record FromStatistics(StatisticsActor.Update update) implements Command {}

    private record Then(Function<DeploymentState, Effect<DeploymentEvent, DeploymentState>> step) implements Command {}

    /** What the supervisors need from the node. */
    public record Context(ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays,
                          ActorRef<StatisticsActor.Command> statistics, DevicePreset defaultPreset, Path dataDir,
                          BiConsumer<String, Object> events, Duration askTimeout) {}

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
    /** Loaded on demand; not state: rebuilt from the model files after a restart. */
    private AdaptationWork work;
    private boolean busy;
    private String pendingTrigger;
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
                    if (state.phase() == DeploymentState.Phase.PROGRAMMING || state.phase() == DeploymentState.Phase.SUPERVISING) {
                        context.getSelf().tell(new Then(this::resume));
                    }
                })
                .onSignal(PostStop.instance(), state -> {
                    if (work != null) {
                        work.close();
                    }
                })
                .build();
    }

    @Override
    public EventHandler<DeploymentState, DeploymentEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(DeploymentState::apply);
    }

    @Override
    public CommandHandler<Command, DeploymentEvent, DeploymentState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Then.class, (state, then) -> then.step().apply(state))
                .onCommand(Start.class, this::onStart)
                .onCommand(GetStatus.class, (state, g) -> exists(state, g.replyTo(), () -> {
                    g.replyTo().tell(StatusReply.success(status(state)));
                    return Effect().none();
                }))
                .onCommand(GetHistory.class, (state, g) -> exists(state, g.replyTo(), () -> {
                    g.replyTo().tell(StatusReply.success(new History(state.recentChecks(), state.rounds())));
                    return Effect().none();
                }))
                .onCommand(CheckNow.class, this::onCheckNow)
                .onCommand(Stop.class, this::onStop)
                .onCommand(Tick.class, (state, t) -> check(state, t.trigger(), false))
                .onCommand(FromStatistics.class, this::onStatistics)
                .onCommand(Wake.class, (state, w) -> Effect().none())
                .build();
    }

    private <T> Effect<DeploymentEvent, DeploymentState> exists(DeploymentState state, ActorRef<StatusReply<T>> replyTo,
                                                                java.util.function.Supplier<Effect<DeploymentEvent, DeploymentState>> then) {
        if (!state.exists()) {
            replyTo.tell(StatusReply.error("deployment '" + id + "' " + DOES_NOT_EXIST + "; GET /api/deployments lists them"));
            return Effect().none();
        }
        return then.get();
    }

    private DeploymentStatus status(DeploymentState state) {
        return DeploymentStatus.of(id, state);
    }

    // ---- start: plan, register the arrays, program once ----

    private Effect<DeploymentEvent, DeploymentState> onStart(DeploymentState state, Start start) {
        if (state.exists()) {
            if (state.spec().equals(start.spec())) {
                start.replyTo().tell(StatusReply.success(status(state)));
            } else {
                start.replyTo().tell(StatusReply.error(CANNOT + " deploy: deployment '" + id + "' already exists with"
                        + " another spec; choose another id"));
            }
            return Effect().none();
        }
        List<String> problems = start.spec() == null ? List.of("no spec given") : start.spec().problems();
        if (!problems.isEmpty()) {
            start.replyTo().tell(StatusReply.error(CANNOT + " deploy '" + id + "': " + String.join("; ", problems)));
            return Effect().none();
        }
        if (busy) {
            start.replyTo().tell(StatusReply.error(CANNOT + " deploy '" + id + "' now: it is being created; ask again"));
            return Effect().none();
        }
        busy = true;
        DeploymentSpec spec = start.spec();
        String prefix = spec.arrayPrefixOr(id);
        CompletableFuture<DeploymentEvent.Created> planned = CompletableFuture.supplyAsync(() -> {
            DevicePreset preset = spec.preset() == null ? node.defaultPreset() : DevicePreset.load(spec.preset());
            AdaptationWork w = AdaptationWork.load(node.dataDir(), spec);
            replaceWork(w);
            WeightMapping mapping = w.plan(preset, prefix);
            return new DeploymentEvent.Created(Instant.now(), spec, mapping, spec.model(), w.dataset(), w.softwareAccuracy());
        }, tensors);
        context.pipeToSelf(planned, (created, error) -> new Then(s -> {
            busy = false;
            if (error != null) {
                start.replyTo().tell(StatusReply.error(CANNOT + " deploy '" + id + "': " + rootMessage(error)));
                return Effect().none();
            }
            return Effect().persist(created)
                    .thenRun(ns -> registry.tell(new EntityRegistry.Add(id)))
                    .thenRun(ns -> start.replyTo().tell(StatusReply.success(status(ns))))
                    .thenRun(ns -> context.getSelf().tell(new Then(this::program)));
        }));
        return Effect().none();
    }

    private synchronized void replaceWork(AdaptationWork w) {
        if (work != null && work != w) {
            work.close();
        }
        work = w;
    }

    /** Registers simulated arrays where needed, then programs every tile with a tag, so a repeat programs nothing. */
    private Effect<DeploymentEvent, DeploymentState> program(DeploymentState state) {
        if (busy || state.phase() != DeploymentState.Phase.PROGRAMMING) {
            return Effect().none();
        }
        busy = true;
        WeightMapping mapping = state.mapping();
        DeploymentSpec spec = state.spec();
        List<CompletableFuture<ArraySummary>> registered = new ArrayList<>();
        for (int i = 0; i < mapping.arrayIds().size(); i++) {
            String arrayId = mapping.arrayIds().get(i);
            ArraySpec sim = ArraySpec.simulated(mapping.preset(), mapping.config().arrayRows(), mapping.config().arrayCols(),
                    spec.seedOrOne() + i);
            registered.add(ensureArray(arrayId, spec.simulatedOrTrue() ? sim : null).toCompletableFuture());
        }
        long t0 = System.nanoTime();
        CompletionStage<List<ProgramResult>> programmed = CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new))
                .thenCompose(v -> Mapper.program(mapping, Map.<String, RramArray>copyOf(arrays(mapping, "deploy:" + id))));
        context.pipeToSelf(programmed, (results, error) -> new Then(s -> {
            busy = false;
            if (error != null) {
                return interrupted(s, "programming the arrays failed: " + rootMessage(error), Duration.ofSeconds(10), "program");
            }
            long pulses = results.stream().mapToLong(ProgramResult::pulses).sum();
            List<DeploymentEvent> events = new ArrayList<>(recoveredEvents(s));
            events.add(new DeploymentEvent.Programmed(Instant.now(), pulses, (System.nanoTime() - t0) / 1e9));
            return Effect().persist(events).thenRun(ns -> startChecking(ns, "deployed"));
        }));
        return Effect().none();
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

    private void startChecking(DeploymentState state, String trigger) {
        Duration every = Duration.ofMillis((long) (state.spec().checkIntervalOrDefault() * 1000));
        timers.startTimerWithFixedDelay(TIMER, new Tick("periodic"), every, every);
        context.getSelf().tell(new Tick(trigger));
    }

    // ---- after a restart ----

    private Effect<DeploymentEvent, DeploymentState> resume(DeploymentState state) {
        if (work != null) {
            return state.programmed() ? startAfterRestart(state) : program(state);
        }
        busy = true;
        context.pipeToSelf(CompletableFuture.supplyAsync(() -> AdaptationWork.load(node.dataDir(), state.spec()), tensors),
                (w, error) -> new Then(s -> {
                    busy = false;
                    if (error != null) {
                        return interrupted(s, "cannot load the deployed network: " + rootMessage(error),
                                Duration.ofSeconds(30), "resume");
                    }
                    replaceWork(w);
                    return s.programmed() ? startAfterRestart(s) : program(s);
                }));
        return Effect().none();
    }

    private Effect<DeploymentEvent, DeploymentState> startAfterRestart(DeploymentState state) {
        if (state.phase() == DeploymentState.Phase.SUPERVISING) {
            startChecking(state, "restart");
        }
        return Effect().none();
    }

    // ---- checks and rounds ----

    private Effect<DeploymentEvent, DeploymentState> onCheckNow(DeploymentState state, CheckNow c) {
        return exists(state, c.replyTo(), () -> {
            if (state.phase() != DeploymentState.Phase.SUPERVISING) {
                c.replyTo().tell(StatusReply.error(CANNOT + " check deployment '" + id + "': it is "
                        + state.phase().name().toLowerCase() + (state.phase() == DeploymentState.Phase.PROGRAMMING
                        ? "; wait until it is programmed" : "")));
                return Effect().none();
            }
            c.replyTo().tell(StatusReply.success(status(state)));
            return check(state, "operator", c.adapt());
        });
    }

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
        return check(state, trigger(alarm.event()), false);
    }

    private static String trigger(StatisticsEvent e) {
        return e instanceof CusumAlarm ? "cusum" : "drift";
    }

    /** Reads the tiles and classifies; one check or round at a time, a request meanwhile runs right after. */
    private Effect<DeploymentEvent, DeploymentState> check(DeploymentState state, String trigger, boolean adapt) {
        if (state.phase() != DeploymentState.Phase.SUPERVISING) {
            return Effect().none();
        }
        if (work == null) {
            // still loading the network after a restart: checking starts once it is loaded
            return Effect().none();
        }
        if (busy) {
            pendingTrigger = pendingTrigger == null || "periodic".equals(pendingTrigger) ? trigger : pendingTrigger;
            pendingAdapt |= adapt;
            return Effect().none();
        }
        busy = true;
        long t0 = System.nanoTime();
        WeightMapping mapping = state.mapping();
        var branch = state.branch();
        AdaptationWork w = work;
        Map<String, ActorArray> arrays = arrays(mapping, "check:" + id);
        CompletionStage<Read> measured = Mapper.read(mapping, Map.<String, RramArray>copyOf(arrays))
                .thenApplyAsync(conductances -> {
            double readSeconds = (System.nanoTime() - t0) / 1e9;
            double arrayTime = arrays.values().stream().mapToDouble(ActorArray::lastArrayTimeSeconds).max().orElse(0);
            return new Read(w.check(mapping, conductances, branch), arrayTime, readSeconds);
        }, tensors);
        context.pipeToSelf(measured, (read, error) -> new Then(s -> {
            if (error != null) {
                busy = false;
                return interrupted(s, "the HIL check could not read the arrays: " + rootMessage(error), null, trigger);
            }
            AdaptationWork.Measured result = read.measured();
            double arrayTime = read.arrayTimeSeconds();
            double readSeconds = read.readSeconds();
            DeploymentEvent.Check c = new DeploymentEvent.Check(s.checks() + 1, Instant.now(), trigger, arrayTime,
                    result.rawAccuracy(), result.accuracy(), result.images(), readSeconds, result.evalSeconds());
            String roundTrigger = roundTrigger(s, c, adapt);
            List<DeploymentEvent> events = new ArrayList<>(recoveredEvents(s));
            events.add(new DeploymentEvent.Checked(Instant.now(), c));
            return Effect().persist(events).thenRun(ns -> {
                node.events().accept(LabEvents.ACCURACY,
                        new LabEvents.AccuracyCheck(id, c.accuracy(), ns.softwareAccuracy(), arrayTime));
                if (roundTrigger != null && s.spec().sramFractionOrDefault() > 0) {
                    context.getSelf().tell(new Then(st -> adapt(st, roundTrigger, c, result)));
                } else {
                    context.getSelf().tell(new Then(this::idle));
                }
            });
        }));
        return Effect().none();
    }

    private record Read(AdaptationWork.Measured measured, double arrayTimeSeconds, double readSeconds) {}

    /**
     * Why this check calls for an OSA round, or null: the first check after programming always does;
     * later ones when accuracy fell more than the threshold under the accuracy after the last round
     * and the arrays have drifted since (without new drift a round would learn the same again).
     */
    private static String roundTrigger(DeploymentState s, DeploymentEvent.Check c, boolean operator) {
        if (s.rounds().isEmpty()) {
            return operator ? "operator" : "deployed";
        }
        if (operator) {
            return "operator";
        }
        double reference = Double.isNaN(s.reference()) ? c.accuracy() : s.reference();
        boolean fell = 100 * (reference - c.accuracy()) > s.spec().thresholdOrDefault();
        boolean drifted = c.arrayTimeSeconds() > s.rounds().get(s.rounds().size() - 1).arrayTimeSeconds();
        if (!fell || !drifted) {
            return null;
        }
        return "periodic".equals(c.trigger()) || "restart".equals(c.trigger()) ? "accuracy" : c.trigger();
    }

    private Effect<DeploymentEvent, DeploymentState> adapt(DeploymentState state, String trigger,
                                                           DeploymentEvent.Check check, AdaptationWork.Measured measured) {
        if (state.phase() != DeploymentState.Phase.SUPERVISING) {
            return idle(state);
        }
        DeploymentSpec spec = state.spec();
        var previous = state.branch();
        // a later round refines trained values: a smaller step keeps what they already correct
        double learningRate = previous == null ? 1e-3 : 3e-4;
        OsaConfig config = new OsaConfig(spec.sramFractionOrDefault(), spec.placementOrDefault(), spec.bitsOrDefault(),
                spec.osaEpochsOrDefault(), 64, learningRate, 7 + state.rounds().size(), 0.5, 2.0);
        AdaptationWork w = work;
        long t0 = System.nanoTime();
        context.pipeToSelf(CompletableFuture.supplyAsync(() -> w.adapt(measured.weights(), config, previous), tensors),
                (result, error) -> new Then(s -> {
                    if (error != null) {
                        busy = false;
                        return interrupted(s, "the OSA round failed: " + rootMessage(error), null, trigger);
                    }
                    return adapted(s, trigger, check, result, (System.nanoTime() - t0) / 1e9);
                }));
        return Effect().none();
    }

    private Effect<DeploymentEvent, DeploymentState> adapted(DeploymentState state, String trigger,
                                                             DeploymentEvent.Check check, OsaResult result, double seconds) {
        if (state.phase() != DeploymentState.Phase.SUPERVISING) {
            return idle(state);
        }
        AreaReport cost = area.report(state.mapping().weightCount(), result.sramWeights());
        // corrections that do no better than those in place are recorded but not used
        boolean applied = result.accuracy() > check.accuracy();
        DeploymentEvent.Round round = new DeploymentEvent.Round(state.rounds().size() + 1, Instant.now(), trigger,
                check.arrayTimeSeconds(), result.placement().name().toLowerCase(), result.sramWeights(),
                result.sramFraction(), cost.cellOnlyCost(), cost.macroCost(), check.accuracy(), check.rawAccuracy(),
                result.accuracy(), applied, seconds);
        var branch = applied ? result.branch() : state.branch();
        return Effect().persist(new DeploymentEvent.Adapted(Instant.now(), round, branch)).thenRun(ns -> {
            node.events().accept(LabEvents.OSA_ROUND, new LabEvents.OsaRound(id, round.number(), trigger,
                    (int) round.positions(), round.sramFraction(), round.areaCostCell(), round.areaCostMacro(),
                    round.accuracyBefore(), round.accuracyAfter(), round.arrayTimeSeconds()));
            node.events().accept(LabEvents.ACCURACY, new LabEvents.AccuracyCheck(id,
                    applied ? round.accuracyAfter() : round.accuracyBefore(), ns.softwareAccuracy(),
                    round.arrayTimeSeconds()));
            context.getSelf().tell(new Then(this::idle));
        });
    }

    /** A check or round is over: run what was asked for meanwhile. */
    private Effect<DeploymentEvent, DeploymentState> idle(DeploymentState state) {
        busy = false;
        if (pendingTrigger != null || pendingAdapt) {
            String trigger = pendingTrigger == null ? "operator" : pendingTrigger;
            boolean adapt = pendingAdapt;
            pendingTrigger = null;
            pendingAdapt = false;
            return check(state, trigger, adapt);
        }
        return Effect().none();
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

    // ---- interruptions ----

    /**
     * Records that a step failed (once for the same reason) and tries it again: a program or resume
     * step after {@code retry}; a check with the next tick.
     */
    private Effect<DeploymentEvent, DeploymentState> interrupted(DeploymentState state, String reason, Duration retry,
                                                                 String step) {
        context.getLog().warn("deployment '{}': {}", id, reason);
        if (retry != null) {
            timers.startSingleTimer("retry", new Then("program".equals(step) ? this::program : this::resume), retry);
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
