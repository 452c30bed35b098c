package org.rramlab.array;

import static org.rramlab.node.Failures.rootMessage;
import static org.rramlab.node.Failures.unwrap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.rramlab.device.ArrayHealth;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.RramArray;
import org.rramlab.device.scpi.InstrumentErrorException;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.measurement.MeasurementActor;
import org.rramlab.serialization.CborSerializable;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.ReadRecord;

/**
 * One array, event-sourced and sharded (entity id = array id). Operations run one at a time on
 * the driver, off the actor's thread; commands that arrive meanwhile wait in the stash. Every
 * read frame and every programming is published through the {@link MeasurementActor} before the
 * command is acknowledged. After a restart a simulated array is rebuilt from its last checkpoint
 * and the operations since, so it continues exactly as if it had never stopped.
 *
 * <p>Errors a caller can act on start with {@link #LINK_DOWN} (the instruments do not answer:
 * try again later) or {@link #NOT_PUBLISHED} (done, but Kafka does not have it yet: send the same
 * command with the same tag again to publish it).
 */
public final class ArrayActor extends EventSourcedBehavior<ArrayActor.Command, ArrayEvent, ArrayState> {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Array");
    public static final String LINK_DOWN = "link down";
    public static final String NOT_PUBLISHED = "not published";
    public static final String NOT_REGISTERED = "is not registered";
    private static final double CLOCK_EPSILON = 1e-9;

    public sealed interface Command extends CborSerializable {}

    public record Register(ArraySpec spec, ActorRef<StatusReply<ArraySummary>> replyTo) implements Command {}

    /**
     * Program a block to levels or to target conductances (exactly one non-null, row-major). A
     * repeated non-null {@code tag} does not program again: it answers the earlier programming.
     */
    public record Program(Block block, int[] levels, float[] targets, boolean writeVerify, String tag,
                          ActorRef<StatusReply<ProgramDone>> replyTo) implements Command {}

    /** Read a block. A repeated non-null {@code tag} does not read again: it answers the earlier frame. */
    public record Read(Block block, String tag, ActorRef<StatusReply<ReadDone>> replyTo) implements Command {}

    public record AdvanceClock(double seconds, ActorRef<StatusReply<ArraySummary>> replyTo) implements Command {}

    /** Advance the clock to an absolute time; a repeat (or a time already passed) changes nothing. */
    public record AdvanceClockTo(double clockSeconds, ActorRef<StatusReply<ArraySummary>> replyTo) implements Command {}

    public record SetTemperature(double kelvin, ActorRef<StatusReply<ArraySummary>> replyTo) implements Command {}

    public record GetState(ActorRef<StatusReply<ArraySummary>> replyTo) implements Command {}

    public record ProgramDone(String arrayId, long sequence, long pulses, double seconds, int cellsOutOfTolerance,
                              double clockSeconds, boolean repeated) implements CborSerializable {}

    /**
     * A read, acknowledged once Kafka has its frame. {@code frame} is the frame itself when this
     * command read it (or it was held back from Kafka); null when a repeated tag answers an earlier read.
     */
    public record ReadDone(String arrayId, long sequence, double arrayTimeSeconds, boolean suspect, boolean repeated,
                           Frame frame) implements CborSerializable {}

    /** The next step of an operation, once its asynchronous part is done (never sent by others). */
    private record Then(Function<ArrayState, Effect<ArrayEvent, ArrayState>> step) implements Command {}

    private record Opened(RramArray driver, int levels, double temperatureKelvin) {}

    private record ReadOutcome(Frame frame, Throwable publishFailure) {}

    /** Starts sharding of arrays on this node; the region routes {@code ShardingEnvelope(arrayId, command)}. */
    public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system,
                                                           ActorRef<MeasurementActor.Command> measurement) {
        ArraySettings settings = ArraySettings.from(system.settings().config());
        // arrays hold connections and rebuilt state: they stay up rather than passivate when idle
        return ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
                        ctx -> create(ctx.getEntityId(), measurement, settings))
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
    }

    public static Behavior<Command> create(String arrayId, ActorRef<MeasurementActor.Command> measurement,
                                           ArraySettings settings) {
        return Behaviors.setup(ctx -> new ArrayActor(ctx, arrayId, measurement, settings));
    }

    private final ActorContext<Command> context;
    private final String arrayId;
    private final ActorRef<MeasurementActor.Command> measurement;
    private final ArraySettings settings;
    private final Executor blocking;
    private RramArray driver;
    private boolean ready;
    private boolean busy;
    private String broken;

    private ArrayActor(ActorContext<Command> context, String arrayId, ActorRef<MeasurementActor.Command> measurement,
                       ArraySettings settings) {
        super(PersistenceId.of(TYPE_KEY.name(), arrayId));
        this.context = context;
        this.arrayId = arrayId;
        this.measurement = measurement;
        this.settings = settings;
        this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    }

    @Override
    public ArrayState emptyState() {
        return ArrayState.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
    }

    @Override
    public SignalHandler<ArrayState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::rebuild)
                .onSignal(PostStop.instance(), state -> {
                    if (driver != null) {
                        driver.close();
                    }
                })
                .build();
    }

    private void rebuild(ArrayState state) {
        if (!state.registered()) {
            ready = true;
            return;
        }
        context.pipeToSelf(ArrayDriver.rebuild(arrayId, state, settings, blocking), (d, error) -> new Then(s -> {
            ready = true;
            if (error != null) {
                broken = "array '" + arrayId + "' could not be rebuilt after a restart: " + rootMessage(error);
                context.getLog().error(broken);
            } else {
                driver = d;
            }
            return Effect().none().thenUnstashAll();
        }));
    }

    @Override
    public EventHandler<ArrayState, ArrayEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(ArrayState::apply);
    }

    @Override
    public CommandHandler<Command, ArrayEvent, ArrayState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Then.class, (state, then) -> then.step().apply(state))
                .onAnyCommand(this::external);
    }

    private Effect<ArrayEvent, ArrayState> external(ArrayState state, Command command) {
        if (!ready || busy) {
            return Effect().stash();
        }
        if (command instanceof Register r) {
            return onRegister(state, r);
        }
        if (!state.registered()) {
            return reject(command, "array '" + arrayId + "' " + NOT_REGISTERED + "; register it first (POST /api/arrays)");
        }
        if (broken != null) {
            return reject(command, broken);
        }
        if (command instanceof GetState g) {
            return onGetState(state, g);
        }
        if (command instanceof Program p) {
            return onProgram(state, p);
        }
        if (command instanceof Read r) {
            return onRead(state, r);
        }
        if (command instanceof AdvanceClock a) {
            if (!(a.seconds() >= 0) || Double.isInfinite(a.seconds())) {
                return reject(command, "cannot advance the clock of array '" + arrayId + "' by " + a.seconds()
                        + " s; give a finite number of seconds >= 0");
            }
            return clockTo(state, state.clockSeconds() + a.seconds(), a.replyTo());
        }
        if (command instanceof AdvanceClockTo a) {
            if (!Double.isFinite(a.clockSeconds())) {
                return reject(command, "cannot advance the clock of array '" + arrayId + "' to " + a.clockSeconds()
                        + " s; give a finite time in seconds");
            }
            return clockTo(state, a.clockSeconds(), a.replyTo());
        }
        if (command instanceof SetTemperature t) {
            return onSetTemperature(state, t);
        }
        throw new IllegalStateException("unhandled command " + command);
    }

    // ---- register ----

    private Effect<ArrayEvent, ArrayState> onRegister(ArrayState state, Register r) {
        String problem = r.spec() == null ? "no spec given" : r.spec().problem();
        if (problem != null) {
            return reject(r, "cannot register array '" + arrayId + "': " + problem);
        }
        if (state.registered()) {
            if (state.registration().spec().equals(r.spec())) {
                r.replyTo().tell(StatusReply.success(summary(state, null)));
                return Effect().none();
            }
            return reject(r, "array '" + arrayId + "' is already registered as " + describe(state.registration().spec())
                    + "; choose another id for a different array");
        }
        busy = true;
        CompletionStage<Opened> opened = ArrayDriver.open(arrayId, r.spec(), settings, blocking).thenApply(d -> {
            DevicePreset preset = d instanceof SimulatedArray s ? s.model().preset() : DevicePreset.load(r.spec().presetName());
            return new Opened(d, preset.levels(), preset.drift().referenceTemperatureKelvin());
        });
        context.pipeToSelf(opened, (o, error) -> new Then(s -> {
            if (error != null) {
                r.replyTo().tell(StatusReply.error("cannot register array '" + arrayId + "': " + rootMessage(error)));
                return finish();
            }
            driver = o.driver();
            return Effect().persist(new ArrayEvent.Registered(Instant.now(), r.spec(), o.levels(), o.temperatureKelvin()))
                    .thenRun(ns -> r.replyTo().tell(StatusReply.success(summary(ns, null))))
                    .thenRun(this::idle)
                    .thenUnstashAll();
        }));
        return Effect().none();
    }

    private static String describe(ArraySpec spec) {
        return spec.simulatedKind()
                ? "simulated " + spec.rows() + "x" + spec.cols() + ", preset " + spec.presetName() + ", seed " + spec.seed()
                : "physical " + spec.rows() + "x" + spec.cols() + " at " + spec.instruments() + " die " + spec.dieOrZero();
    }

    // ---- program ----

    private Effect<ArrayEvent, ArrayState> onProgram(ArrayState state, Program p) {
        String problem = programProblem(state, p);
        if (problem != null) {
            return reject(p, "cannot program array '" + arrayId + "': " + problem);
        }
        ArrayEvent.Programmed earlier = p.tag() == null ? null : state.programTag(p.tag());
        if (earlier != null) {
            ArrayEvent.Programmed pending = unpublished(state, earlier.sequence());
            if (pending == null) {
                p.replyTo().tell(StatusReply.success(programDone(earlier, true)));
                return Effect().none();
            }
            busy = true;
            publishProgrammed(pending, p, true);
            return Effect().none();
        }
        busy = true;
        ProgramRequest request = p.levels() != null
                ? ProgramRequest.ofLevels(p.block(), p.levels(), p.writeVerify())
                : ProgramRequest.ofConductances(p.block(), p.targets(), p.writeVerify());
        context.pipeToSelf(driver.program(request), (result, error) -> new Then(s -> programmed(s, p, result, error)));
        return Effect().none();
    }

    private String programProblem(ArrayState state, Program p) {
        String block = blockProblem(state, p.block());
        if (block != null) {
            return block;
        }
        if ((p.levels() == null) == (p.targets() == null)) {
            return "give either levels or target conductances, not both or neither";
        }
        int n = p.levels() != null ? p.levels().length : p.targets().length;
        if (n != p.block().cells()) {
            return "block " + p.block() + " has " + p.block().cells() + " cells but " + n + " targets were given";
        }
        int top = state.registration().levels() - 1;
        if (p.levels() != null) {
            for (int i = 0; i < n; i++) {
                if (p.levels()[i] < 0 || p.levels()[i] > top) {
                    return "level " + p.levels()[i] + " at position " + i + " is outside 0.." + top + "; give levels in that range";
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                if (!(p.targets()[i] > 0) || !Float.isFinite(p.targets()[i])) {
                    return "target " + p.targets()[i] + " S at position " + i + " is not a positive finite conductance";
                }
            }
        }
        return null;
    }

    private Effect<ArrayEvent, ArrayState> programmed(ArrayState state, Program p, ProgramResult result, Throwable error) {
        if (error != null) {
            return failed(state, p, error);
        }
        ArrayEvent.Programmed event = new ArrayEvent.Programmed(Instant.now(), p.tag(), state.programmings() + 1,
                p.block(), p.levels(), p.targets(), p.writeVerify(), result.pulses(), result.seconds(),
                result.cellsOutOfTolerance(), state.clockSeconds());
        return Effect().persist(withLinkRestored(state, event)).thenRun(ns -> publishProgrammed(event, p, false));
    }

    private void publishProgrammed(ArrayEvent.Programmed event, Program p, boolean repeated) {
        byte[] levels = new byte[event.block().cells()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = event.levels() != null ? (byte) event.levels()[i] : ProgrammedRecord.NO_LEVEL;
        }
        ProgrammedRecord record = new ProgrammedRecord(arrayId, event.sequence(), event.clockSeconds(), event.block(), levels);
        context.pipeToSelf(publish(record), (done, error) -> new Then(s -> {
            if (error != null) {
                p.replyTo().tell(StatusReply.error(NOT_PUBLISHED + ": array '" + arrayId + "' was programmed (programming "
                        + event.sequence() + ") but Kafka does not have its record yet (" + rootMessage(error)
                        + "); send the same Program with tag '" + p.tag() + "' again to publish it"));
                return afterOperation(s, true);
            }
            return Effect().persist(new ArrayEvent.ProgrammedPublished(Instant.now(), event.sequence()))
                    .thenRun(ns -> p.replyTo().tell(StatusReply.success(programDone(event, repeated))))
                    .thenRun(ns -> context.getSelf().tell(new Then(st -> afterOperation(st, !repeated))));
        }));
    }

    private ProgramDone programDone(ArrayEvent.Programmed e, boolean repeated) {
        return new ProgramDone(arrayId, e.sequence(), e.pulses(), e.seconds(), e.cellsOutOfTolerance(), e.clockSeconds(),
                repeated);
    }

    private static ArrayEvent.Programmed unpublished(ArrayState state, long sequence) {
        for (ArrayEvent.Programmed p : state.unpublishedPrograms()) {
            if (p.sequence() == sequence) {
                return p;
            }
        }
        return null;
    }

    // ---- read ----

    private Effect<ArrayEvent, ArrayState> onRead(ArrayState state, Read r) {
        String problem = blockProblem(state, r.block());
        if (problem != null) {
            return reject(r, "cannot read array '" + arrayId + "': " + problem);
        }
        ArrayEvent.ReadTaken earlier = r.tag() == null ? null : state.readTag(r.tag());
        if (earlier != null) {
            ArrayEvent.ReadTaken held = state.held(earlier.sequence());
            if (held == null) {
                r.replyTo().tell(StatusReply.success(readDone(earlier, true, null)));
                return Effect().none();
            }
            busy = true;
            context.pipeToSelf(publish(new ReadRecord(frame(held))), (d, error) -> new Then(s -> {
                if (error != null) {
                    r.replyTo().tell(StatusReply.error(notPublished(held, error)));
                    return finish();
                }
                return Effect().persist(new ArrayEvent.ReadPublished(Instant.now(), held.sequence()))
                        .thenRun(ns -> r.replyTo().tell(StatusReply.success(readDone(held, true, frame(held)))))
                        .thenRun(this::idle)
                        .thenUnstashAll();
            }));
            return Effect().none();
        }
        busy = true;
        long sequence = state.lastReadSequence() + 1;
        // frames are numbered here, not by the driver: the numbering must survive restarts
        CompletionStage<ReadOutcome> outcome = driver.read(r.block())
                .thenApply(f -> new Frame(arrayId, sequence, f.arrayTimeSeconds(), f.block(), f.conductances(), f.suspect()))
                .thenCompose(f -> publish(new ReadRecord(f)).handle((d, error) -> new ReadOutcome(f, error)));
        context.pipeToSelf(outcome, (o, error) -> new Then(s -> read(s, r, o, error)));
        return Effect().none();
    }

    private Effect<ArrayEvent, ArrayState> read(ArrayState state, Read r, ReadOutcome outcome, Throwable error) {
        if (error != null) {
            return failed(state, r, error);
        }
        Frame f = outcome.frame();
        boolean published = outcome.publishFailure() == null;
        // the read changed the array whether or not Kafka has it: record it, with the values if not
        ArrayEvent.ReadTaken event = new ArrayEvent.ReadTaken(Instant.now(), r.tag(), f.sequence(), f.block(),
                f.arrayTimeSeconds(), f.suspect(), published ? null : f.conductances());
        return Effect().persist(withLinkRestored(state, event)).thenRun(ns -> {
            if (published) {
                r.replyTo().tell(StatusReply.success(readDone(event, false, f)));
            } else {
                r.replyTo().tell(StatusReply.error(notPublished(event, outcome.publishFailure())));
            }
            context.getSelf().tell(new Then(st -> afterOperation(st, false)));
        });
    }

    private String notPublished(ArrayEvent.ReadTaken read, Throwable error) {
        return NOT_PUBLISHED + ": frame " + read.sequence() + " of array '" + arrayId + "' was read but Kafka does not have"
                + " it yet (" + rootMessage(error) + "); it is kept: send the same Read"
                + (read.tag() == null ? " (give it a tag next time)" : " with tag '" + read.tag() + "'") + " again to publish it";
    }

    private ReadDone readDone(ArrayEvent.ReadTaken e, boolean repeated, Frame frame) {
        return new ReadDone(arrayId, e.sequence(), e.arrayTimeSeconds(), e.suspect(), repeated, frame);
    }

    private Frame frame(ArrayEvent.ReadTaken held) {
        return new Frame(arrayId, held.sequence(), held.arrayTimeSeconds(), held.block(), held.held(), held.suspect());
    }

    // ---- clock and temperature ----

    private Effect<ArrayEvent, ArrayState> clockTo(ArrayState state, double target,
                                                   ActorRef<StatusReply<ArraySummary>> replyTo) {
        double delta = target - state.clockSeconds();
        if (delta <= CLOCK_EPSILON) {
            replyTo.tell(StatusReply.success(summary(state, null)));
            return Effect().none();
        }
        busy = true;
        context.pipeToSelf(driver.advanceClock(delta), (v, error) -> new Then(s -> {
            if (error != null) {
                return failedWith(s, error, message -> replyTo.tell(StatusReply.error(message)));
            }
            return Effect().persist(withLinkRestored(s, new ArrayEvent.ClockAdvanced(Instant.now(), delta)))
                    .thenRun(ns -> replyTo.tell(StatusReply.success(summary(ns, null))))
                    .thenRun(ns -> context.getSelf().tell(new Then(st -> afterOperation(st, false))));
        }));
        return Effect().none();
    }

    private Effect<ArrayEvent, ArrayState> onSetTemperature(ArrayState state, SetTemperature t) {
        if (!(t.kelvin() >= 1 && t.kelvin() <= 2000)) {
            return reject(t, "temperature " + t.kelvin() + " K is outside 1..2000 K; give kelvin (423.15 for 150 C)");
        }
        if (t.kelvin() == state.temperatureKelvin()) {
            t.replyTo().tell(StatusReply.success(summary(state, null)));
            return Effect().none();
        }
        busy = true;
        context.pipeToSelf(driver.setTemperature(t.kelvin()), (v, error) -> new Then(s -> {
            if (error != null) {
                return failedWith(s, error, message -> t.replyTo().tell(StatusReply.error(message)));
            }
            return Effect().persist(withLinkRestored(s, new ArrayEvent.TemperatureSet(Instant.now(), t.kelvin())))
                    .thenRun(ns -> t.replyTo().tell(StatusReply.success(summary(ns, null))))
                    .thenRun(ns -> context.getSelf().tell(new Then(st -> afterOperation(st, false))));
        }));
        return Effect().none();
    }

    // ---- state and health ----

    private Effect<ArrayEvent, ArrayState> onGetState(ArrayState state, GetState g) {
        CompletableFuture<ArrayHealth> health = driver.health().toCompletableFuture()
                .orTimeout(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        context.pipeToSelf(health, (h, error) -> new Then(s -> {
            ArrayHealth seen = error != null
                    ? new ArrayHealth(arrayId, ArrayHealth.LinkState.RECONNECTING, Double.NaN, Double.NaN,
                            "no health answer within " + settings.commandTimeout().toMillis() + " ms: " + rootMessage(error))
                    : h;
            ArraySummary summary = summary(s, seen);
            // a health query is a probe: it may open or close a link interruption
            if (seen.link() == ArrayHealth.LinkState.CONNECTED && s.linkDown() != null) {
                return Effect().persist(new ArrayEvent.LinkRestored(Instant.now()))
                        .thenRun(ns -> g.replyTo().tell(StatusReply.success(summary(ns, seen))));
            }
            if (seen.link() == ArrayHealth.LinkState.FAILED && s.linkDown() == null) {
                return Effect().persist(new ArrayEvent.LinkLost(Instant.now(), seen.detail()))
                        .thenRun(ns -> g.replyTo().tell(StatusReply.success(summary(ns, seen))));
            }
            g.replyTo().tell(StatusReply.success(summary));
            return Effect().none();
        }));
        return Effect().none();
    }

    private ArraySummary summary(ArrayState s, ArrayHealth health) {
        ArraySpec spec = s.registration().spec();
        String link;
        String detail;
        if (health != null) {
            link = health.link().name().toLowerCase(java.util.Locale.ROOT);
            detail = health.detail();
        } else if (s.linkDown() != null) {
            link = "failed";
            detail = s.linkDown().reason();
        } else {
            link = "connected";
            detail = "last operation succeeded";
        }
        List<Interruption> interruptions = new ArrayList<>(s.interruptions());
        if (s.linkDown() != null) {
            interruptions.add(s.linkDown());
        }
        return new ArraySummary(arrayId, spec.kind(), spec.presetName(), spec.rows(), spec.cols(), s.registration().levels(),
                spec.seed(), spec.simulatedKind() ? null : spec.instruments(), spec.die(), link, detail, s.clockSeconds(), s.temperatureKelvin(),
                s.programmings(), s.lastReadSequence(), s.unpublishedPrograms().size() + s.heldReads().size(),
                interruptions, s.registration().at());
    }

    // ---- common steps ----

    /** After an operation: a checkpoint when due (always after a programming), then the next command. */
    private Effect<ArrayEvent, ArrayState> afterOperation(ArrayState state, boolean programmed) {
        boolean due = programmed ? !state.sinceCheckpoint().isEmpty()
                : state.sinceCheckpoint().size() >= settings.checkpointEvery();
        if (!due || !(driver instanceof SimulatedArray sim)) {
            return finish();
        }
        // no operation runs now (busy), so the snapshot is exactly the state after the events so far
        context.pipeToSelf(CompletableFuture.supplyAsync(sim::snapshot, blocking), (bytes, error) -> new Then(s -> {
            if (error != null) {
                context.getLog().warn("checkpoint of array '{}' failed: {}", arrayId, rootMessage(error));
                return finish();
            }
            return Effect().persist(new ArrayEvent.Checkpointed(Instant.now(), bytes)).thenRun(this::idle).thenUnstashAll();
        }));
        return Effect().none();
    }

    private Effect<ArrayEvent, ArrayState> finish() {
        busy = false;
        return Effect().none().thenUnstashAll();
    }

    private void idle(ArrayState ignored) {
        busy = false;
    }

    private Effect<ArrayEvent, ArrayState> failed(ArrayState state, Command command, Throwable error) {
        return failedWith(state, error, message -> replyError(command, message));
    }

    /** An operation failed: if the instruments did not answer, the link is down (recorded once); the caller is told. */
    private Effect<ArrayEvent, ArrayState> failedWith(ArrayState state, Throwable error,
                                                      java.util.function.Consumer<String> reply) {
        String why = rootMessage(error);
        if (!isLinkFailure(state, error)) {
            reply.accept("array '" + arrayId + "': " + why);
            return finish();
        }
        String message = LINK_DOWN + ": array '" + arrayId + "' cannot be reached (" + why + "); the command did not"
                + " complete, send it again once the instruments answer";
        if (state.linkDown() != null) {
            reply.accept(message);
            return finish();
        }
        return Effect().persist(new ArrayEvent.LinkLost(Instant.now(), why))
                .thenRun(ns -> reply.accept(message))
                .thenRun(this::idle)
                .thenUnstashAll();
    }

    private static boolean isLinkFailure(ArrayState state, Throwable error) {
        Throwable cause = unwrap(error);
        // a simulated array has no link; an instrument that answers with an error is not a link failure
        return !state.registration().spec().simulatedKind() && !(cause instanceof InstrumentErrorException);
    }

    private List<ArrayEvent> withLinkRestored(ArrayState state, ArrayEvent event) {
        return state.linkDown() == null ? List.of(event) : List.of(new ArrayEvent.LinkRestored(Instant.now()), event);
    }

    private String blockProblem(ArrayState state, Block block) {
        if (block == null) {
            return "no block given";
        }
        ArraySpec spec = state.registration().spec();
        if (!block.fitsIn(spec.rows(), spec.cols())) {
            return "block at (" + block.row0() + "," + block.col0() + ") of " + block.rows() + "x" + block.cols()
                    + " does not fit the " + spec.rows() + "x" + spec.cols() + " array; give a block inside it";
        }
        return null;
    }

    /** Publishes one record, trying again with a growing wait when the measurement actor refuses or is silent. */
    private CompletionStage<Done> publish(ConductanceRecord record) {
        return publish(record, 1);
    }

    private CompletionStage<Done> publish(ConductanceRecord record, int attempt) {
        ActorSystem<Void> system = context.getSystem();
        CompletionStage<Done> sent = AskPattern.askWithStatus(measurement,
                replyTo -> new MeasurementActor.Publish(record, replyTo), settings.publishTimeout(), system.scheduler());
        return sent.exceptionallyCompose(error -> {
            if (attempt >= settings.publishAttempts()) {
                return CompletableFuture.failedStage(new IllegalStateException("publishing failed " + attempt
                        + " times, last: " + rootMessage(error), error));
            }
            long wait = settings.publishBackoff().toMillis() << (attempt - 1);
            Executor later = CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS, blocking);
            return CompletableFuture.supplyAsync(() -> attempt + 1, later).thenCompose(next -> publish(record, next));
        });
    }

    private Effect<ArrayEvent, ArrayState> reject(Command command, String message) {
        replyError(command, message);
        return Effect().none();
    }

    private static void replyError(Command command, String message) {
        if (command instanceof Register c) {
            c.replyTo().tell(StatusReply.error(message));
        } else if (command instanceof Program c) {
            c.replyTo().tell(StatusReply.error(message));
        } else if (command instanceof Read c) {
            c.replyTo().tell(StatusReply.error(message));
        } else if (command instanceof AdvanceClock c) {
            c.replyTo().tell(StatusReply.error(message));
        } else if (command instanceof AdvanceClockTo c) {
            c.replyTo().tell(StatusReply.error(message));
        } else if (command instanceof SetTemperature c) {
            c.replyTo().tell(StatusReply.error(message));
        } else if (command instanceof GetState c) {
            c.replyTo().tell(StatusReply.error(message));
        }
    }
}
