package org.rramlab.campaign;

import static org.rramlab.node.Failures.rootMessage;
import static org.rramlab.node.Failures.unwrap;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
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
import org.rramlab.api.Refusal;
import org.rramlab.api.Refusal.Kind;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySummary;
import org.rramlab.device.Block;
import org.rramlab.node.EntityRegistry;
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

    public sealed interface Command extends CborSerializable {}

    public record Start(CampaignSpec spec, ActorRef<StatusReply<CampaignStatus>> replyTo) implements Command {}

    public record Pause(ActorRef<StatusReply<CampaignStatus>> replyTo) implements Command {}

    public record Resume(ActorRef<StatusReply<CampaignStatus>> replyTo) implements Command {}

    public record Abort(String reason, ActorRef<StatusReply<CampaignStatus>> replyTo) implements Command {}

    public record GetStatus(ActorRef<StatusReply<CampaignStatus>> replyTo) implements Command {}

    /** Sent by the registry when a node starts: brings the campaign up so that it carries on. */
    public enum Wake implements Command { INSTANCE }

    private record Then(Function<CampaignState, Effect<CampaignEvent, CampaignState>> step) implements Command {}

    /** The shard region of the campaigns and the registry that lists them. */
    public record Campaigns(ActorRef<ShardingEnvelope<Command>> region, ActorRef<EntityRegistry.Command> registry) {}

    /** Starts campaign sharding and the registry on this node; call after {@code ArrayActor.init}. */
    public static Campaigns init(ActorSystem<?> system, ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays) {
        CampaignSettings settings = CampaignSettings.from(system.settings().config());
        // a campaign waits on timers between reads: it must not be passivated while idle
        ActorRef<ShardingEnvelope<Command>> region = ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
                        ctx -> create(ctx.getEntityId(), arrays, registry(system), settings))
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
    private boolean inFlight;
    private boolean starting;
    private String phase = "idle";
    private String lastError;

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
                // after a crash: take up the schedule where the events left it
                context.getSelf().tell(new Then(this::proceed));
            }
        }).build();
    }

    @Override
    public EventHandler<CampaignState, CampaignEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(CampaignState::apply);
    }

    @Override
    public CommandHandler<Command, CampaignEvent, CampaignState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Then.class, (s, t) -> t.step().apply(s))
                .onCommand(Wake.class, (s, w) -> Effect().none())
                .onCommand(Start.class, this::onStart)
                .onCommand(GetStatus.class, (s, g) -> {
                    g.replyTo().tell(s.exists() ? StatusReply.success(status(s)) : missing());
                    return Effect().none();
                })
                .onCommand(Pause.class, this::onPause)
                .onCommand(Resume.class, this::onResume)
                .onCommand(Abort.class, this::onAbort)
                .build();
    }

    private <T> StatusReply<T> missing() {
        return Refusal.reply(Kind.NOT_FOUND, "campaign '" + campaignId + "' does not exist; start it with POST /api/campaigns");
    }

    private CampaignStatus status(CampaignState s) {
        return CampaignStatus.of(s, s.active() ? phase : s.status(), lastError);
    }

    // ---- operator commands ----

    private Effect<CampaignEvent, CampaignState> onStart(CampaignState s, Start start) {
        if (s.exists() || starting) {
            start.replyTo().tell(Refusal.reply(Kind.CONFLICT, "cannot start campaign '" + campaignId + "': it already exists"
                    + (s.exists() ? " (" + s.status() + ")" : "") + "; choose another id"));
            return Effect().none();
        }
        List<String> problems = start.spec() == null ? List.of("no spec given") : start.spec().problems();
        if (!problems.isEmpty()) {
            start.replyTo().tell(Refusal.reply(Kind.BAD_INPUT, "bad campaign spec: " + String.join("; ", problems)));
            return Effect().none();
        }
        starting = true;
        context.pipeToSelf(check(start.spec()), (problem, error) -> new Then(st -> {
            starting = false;
            String why = error != null ? rootMessage(error) : problem;
            if (why != null) {
                start.replyTo().tell(Refusal.reply(Kind.BAD_INPUT, "bad campaign spec: " + why));
                return Effect().none();
            }
            return Effect().persist(new CampaignEvent.Started(Instant.now(), campaignId, start.spec()))
                    .thenRun(ns -> registry.tell(new EntityRegistry.Add(campaignId)))
                    .thenRun(ns -> start.replyTo().tell(StatusReply.success(status(ns))))
                    .thenRun(ns -> context.getSelf().tell(new Then(this::proceed)));
        }));
        return Effect().none();
    }

    /** Every array must be registered and hold the block and the levels the spec names; null when they do. */
    private CompletionStage<String> check(CampaignSpec spec) {
        List<CompletableFuture<String>> checks = new ArrayList<>();
        for (String id : spec.arrays()) {
            checks.add(this.<ArraySummary>ask(id, ArrayActor.GetState::new)
                    .handle((a, error) -> error != null ? rootMessage(error) : fits(spec, a))
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<String> problems = new ArrayList<>();
            checks.forEach(c -> {
                if (c.join() != null) {
                    problems.add(c.join());
                }
            });
            return problems.isEmpty() ? null : String.join("; ", problems);
        });
    }

    private static String fits(CampaignSpec spec, ArraySummary a) {
        Block b = blockOf(spec, a);
        if (!b.fitsIn(a.rows(), a.cols())) {
            return "block " + b + " does not fit array '" + a.arrayId() + "' (" + a.rows() + "x" + a.cols() + ")";
        }
        CampaignSpec.ProgramPattern p = spec.program();
        if ("level".equals(spec.patternName()) && p.level() >= a.levels()) {
            return "level " + p.level() + " is outside 0.." + (a.levels() - 1) + " of array '" + a.arrayId() + "'";
        }
        if ("levels".equals(spec.patternName())) {
            if (p.levels().size() != b.cells()) {
                return "program.levels has " + p.levels().size() + " entries but the block of array '" + a.arrayId()
                        + "' has " + b.cells() + " cells";
            }
            for (Integer level : p.levels()) {
                if (level == null || level < 0 || level >= a.levels()) {
                    return "program.levels holds " + level + ", outside 0.." + (a.levels() - 1);
                }
            }
        }
        return null;
    }

    private static Block blockOf(CampaignSpec spec, ArraySummary a) {
        return spec.block() != null ? spec.block() : new Block(0, 0, a.rows(), a.cols());
    }

    private Effect<CampaignEvent, CampaignState> onPause(CampaignState s, Pause p) {
        if (!s.active()) {
            return refuse(p.replyTo(), s, "pause");
        }
        timers.cancel(TIMER);
        return Effect().persist(new CampaignEvent.Paused(Instant.now()))
                .thenRun(ns -> p.replyTo().tell(StatusReply.success(status(ns))));
    }

    private Effect<CampaignEvent, CampaignState> onResume(CampaignState s, Resume r) {
        if (!CampaignState.PAUSED.equals(s.status())) {
            return refuse(r.replyTo(), s, "resume");
        }
        return Effect().persist(new CampaignEvent.Resumed(Instant.now()))
                .thenRun(ns -> r.replyTo().tell(StatusReply.success(status(ns))))
                .thenRun(ns -> context.getSelf().tell(new Then(this::proceed)));
    }

    private Effect<CampaignEvent, CampaignState> onAbort(CampaignState s, Abort a) {
        if (!s.exists() || s.finished()) {
            return refuse(a.replyTo(), s, "abort");
        }
        timers.cancel(TIMER);
        String reason = a.reason() == null || a.reason().isBlank() ? "aborted by the operator" : a.reason();
        return Effect().persist(new CampaignEvent.Aborted(Instant.now(), reason))
                .thenRun(ns -> a.replyTo().tell(StatusReply.success(status(ns))));
    }

    private Effect<CampaignEvent, CampaignState> refuse(ActorRef<StatusReply<CampaignStatus>> replyTo, CampaignState s,
                                                        String what) {
        replyTo.tell(!s.exists() ? missing()
                : Refusal.reply(Kind.CONFLICT, "cannot " + what + " campaign '" + campaignId + "': it is " + s.status()));
        return Effect().none();
    }

    // ---- the schedule ----

    /** Does the next thing the campaign needs, or sets a timer for when it is due. */
    private Effect<CampaignEvent, CampaignState> proceed(CampaignState s) {
        if (!s.active() || inFlight) {
            return Effect().none();
        }
        timers.cancel(TIMER);
        Instant now = Instant.now();
        if (s.plans() == null) {
            return run("programming", program(s));
        }
        if (s.bakeDueAt() != null) {
            if (now.isBefore(s.bakeDueAt())) {
                return waitUntil(s.bakeDueAt(), "baking (bake " + (s.bakesDone() + 1) + ")");
            }
            return run("ending bake " + (s.bakesDone() + 1), endBake(s));
        }
        CampaignSpec.Bake bake = s.pendingBake();
        if (bake != null) {
            return run("starting bake " + (s.bakesDone() + 1), startBake(s, bake));
        }
        if (s.nextRead() < s.spec().totalReads()) {
            if (s.nextReadAt() != null && now.isBefore(s.nextReadAt())) {
                return waitUntil(s.nextReadAt(), "waiting for read " + s.nextRead());
            }
            return run("read " + s.nextRead(), read(s));
        }
        phase = "completed";
        return Effect().persist(new CampaignEvent.Completed(now));
    }

    private Effect<CampaignEvent, CampaignState> waitUntil(Instant due, String what) {
        phase = what;
        Duration wait = Duration.between(Instant.now(), due);
        timers.startSingleTimer(TIMER, new Then(this::proceed), wait.isNegative() ? Duration.ZERO : wait);
        return Effect().none();
    }

    private Effect<CampaignEvent, CampaignState> run(String what, CompletionStage<CampaignEvent> work) {
        inFlight = true;
        phase = what;
        context.pipeToSelf(work, (event, error) -> new Then(s -> stepDone(s, event, error)));
        return Effect().none();
    }

    private Effect<CampaignEvent, CampaignState> stepDone(CampaignState s, CampaignEvent event, Throwable error) {
        inFlight = false;
        if (s.finished()) {
            return Effect().none();
        }
        if (error != null) {
            lastError = phase + ": " + rootMessage(error);
            if (CampaignState.SUSPENDED.equals(s.status()) || !s.active()) {
                return probeLater(s);
            }
            context.getLog().warn("campaign '{}' suspended: {}", campaignId, lastError);
            return Effect().persist(new CampaignEvent.Suspended(Instant.now(), lastError)).thenRun(this::probeLater);
        }
        List<CampaignEvent> events = new ArrayList<>();
        if (CampaignState.SUSPENDED.equals(s.status())) {
            events.add(new CampaignEvent.Unsuspended(Instant.now()));
        }
        events.add(event);
        // what the arrays did is recorded even if the campaign was paused meanwhile
        return Effect().persist(events).thenRun(ns -> context.getSelf().tell(new Then(this::proceed)));
    }

    private Effect<CampaignEvent, CampaignState> probeLater(CampaignState s) {
        if (CampaignState.SUSPENDED.equals(s.status())) {
            phase = "suspended, trying again every " + settings.probeInterval().toMillis() + " ms";
            timers.startSingleTimer(TIMER, new Then(this::proceed), settings.probeInterval());
        }
        return Effect().none();
    }

    private CompletionStage<CampaignEvent> program(CampaignState s) {
        CampaignSpec spec = s.spec();
        Map<String, CompletableFuture<CampaignEvent.ArrayPlan>> plans = new HashMap<>();
        for (String id : spec.arrays()) {
            CompletionStage<CampaignEvent.ArrayPlan> plan = this.<ArraySummary>ask(id, ArrayActor.GetState::new)
                    .thenCompose(a -> {
                        Block block = blockOf(spec, a);
                        int[] levels = levels(spec, block, a.levels());
                        if (levels == null) {
                            return CompletableFuture.completedFuture(new CampaignEvent.ArrayPlan(a.clockSeconds(), block));
                        }
                        return this.<ArrayActor.ProgramDone>ask(id, r -> new ArrayActor.Program(block, levels, null,
                                        spec.writeVerifyOrFalse(), campaignId + "#program", r))
                                .thenApply(done -> new CampaignEvent.ArrayPlan(done.clockSeconds(), block));
                    });
            plans.put(id, plan.toCompletableFuture());
        }
        return all(plans).thenApply(p -> new CampaignEvent.Programmed(Instant.now(), p));
    }

    private static int[] levels(CampaignSpec spec, Block block, int levelCount) {
        int[] out = new int[block.cells()];
        switch (spec.patternName()) {
            case "keep" -> {
                return null;
            }
            case "level" -> java.util.Arrays.fill(out, spec.program().level());
            case "levels" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = spec.program().levels().get(i);
                }
            }
            default -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = i % levelCount;
                }
            }
        }
        return out;
    }

    private CompletionStage<CampaignEvent> read(CampaignState s) {
        int step = s.nextRead();
        double offset = step * s.spec().intervalSeconds() + s.bakeSeconds(s.bakesBefore(step));
        Map<String, CompletableFuture<Long>> sequences = new HashMap<>();
        for (String id : s.spec().arrays()) {
            CampaignEvent.ArrayPlan plan = s.plans().get(id);
            double target = plan.startClockSeconds() + offset;
            CompletionStage<Long> sequence = this.<ArraySummary>ask(id, r -> new ArrayActor.AdvanceClockTo(target, r))
                    .thenCompose(x -> this.<ArrayActor.ReadDone>ask(id,
                            r -> new ArrayActor.Read(plan.block(), campaignId + "#" + step, r)))
                    .thenApply(ArrayActor.ReadDone::sequence);
            sequences.put(id, sequence.toCompletableFuture());
        }
        // the next read keeps the cadence of the schedule, unless the campaign fell behind it
        Instant due = s.nextReadAt() == null ? Instant.now() : s.nextReadAt();
        return all(sequences).thenApply(seqs -> {
            Instant next = due.plus(wallWait(s.spec(), s.spec().intervalSeconds()));
            Instant now = Instant.now();
            return new CampaignEvent.ReadCompleted(now, step, seqs, next.isBefore(now) ? now : next);
        });
    }

    private CompletionStage<CampaignEvent> startBake(CampaignState s, CampaignSpec.Bake bake) {
        int index = s.bakesDone();
        Map<String, CompletableFuture<ArraySummary>> set = new HashMap<>();
        for (String id : s.spec().arrays()) {
            set.put(id, this.<ArraySummary>ask(id, r -> new ArrayActor.SetTemperature(bake.temperatureKelvin(), r))
                    .toCompletableFuture());
        }
        return all(set).thenApply(x -> new CampaignEvent.BakeStarted(Instant.now(), index,
                Instant.now().plus(wallWait(s.spec(), bake.durationSeconds()))));
    }

    private CompletionStage<CampaignEvent> endBake(CampaignState s) {
        int index = s.bakesDone();
        CampaignSpec.Bake bake = s.spec().bakesOrNone().get(index);
        double offset = bake.afterRead() * s.spec().intervalSeconds() + s.bakeSeconds(index + 1);
        Map<String, CompletableFuture<ArraySummary>> done = new HashMap<>();
        for (String id : s.spec().arrays()) {
            double target = s.plans().get(id).startClockSeconds() + offset;
            // the clock moves while the array is hot, then it cools down
            done.put(id, this.<ArraySummary>ask(id, r -> new ArrayActor.SetTemperature(bake.temperatureKelvin(), r))
                    .thenCompose(x -> this.<ArraySummary>ask(id, r -> new ArrayActor.AdvanceClockTo(target, r)))
                    .thenCompose(x -> this.<ArraySummary>ask(id,
                            r -> new ArrayActor.SetTemperature(s.spec().ambientOrDefault(), r)))
                    .toCompletableFuture());
        }
        return all(done).thenApply(x -> new CampaignEvent.BakeFinished(Instant.now(), index,
                Instant.now().plus(wallWait(s.spec(), s.spec().intervalSeconds()))));
    }

    private static Duration wallWait(CampaignSpec spec, double arraySeconds) {
        return Duration.ofNanos(Math.round(arraySeconds / spec.accelerationOrOne() * 1e9));
    }

    /** Waits for every array; fails with the reasons of all that failed, each named. */
    private static <T> CompletionStage<Map<String, T>> all(Map<String, CompletableFuture<T>> perArray) {
        return CompletableFuture.allOf(perArray.values().toArray(CompletableFuture[]::new)).handle((v, ignored) -> {
            Map<String, T> out = new HashMap<>();
            List<String> failures = new ArrayList<>();
            perArray.forEach((id, f) -> {
                if (f.isCompletedExceptionally()) {
                    failures.add(f.handle((x, e) -> rootMessage(e)).join());
                } else {
                    out.put(id, f.join());
                }
            });
            if (!failures.isEmpty()) {
                throw new CompletionException(new IllegalStateException(String.join("; ", failures)));
            }
            return out;
        });
    }

    private <T> CompletionStage<T> ask(String arrayId,
                                       org.apache.pekko.japi.function.Function<ActorRef<StatusReply<T>>, ArrayActor.Command> command) {
        return AskPattern.<ShardingEnvelope<ArrayActor.Command>, T>askWithStatus(arrays,
                        replyTo -> new ShardingEnvelope<>(arrayId, command.apply(replyTo)), settings.askTimeout(),
                        context.getSystem().scheduler())
                .exceptionally(error -> {
                    Throwable t = unwrap(error);
                    if (t instanceof java.util.concurrent.TimeoutException) {
                        throw new CompletionException(new IllegalStateException("array '" + arrayId
                                + "' did not answer within " + settings.askTimeout().toSeconds() + " s", t));
                    }
                    throw error instanceof CompletionException c ? c : new CompletionException(error);
                });
    }
}
