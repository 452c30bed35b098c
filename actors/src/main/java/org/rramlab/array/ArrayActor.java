package org.rramlab.array;

import static org.rramlab.node.Failures.rootMessage;
import static org.rramlab.node.Failures.unwrap;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
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
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.rramlab.api.Refusal;
import org.rramlab.api.Refusal.Kind;
import org.rramlab.device.ArrayHealth;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.RramArray;
import org.rramlab.device.scpi.InstrumentErrorException;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.measurement.MeasurementActor;
import org.rramlab.serialization.CborSerializable;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.ReadRecord;

/**
 * One array, event-sourced and sharded (entity id = array id). Operations run one at a time on
 * the driver, off the actor's thread; commands that arrive meanwhile wait in the stash. Every
 * read frame and every programming is published through the {@link MeasurementActor} before the
 * command is acknowledged. After a restart a simulated array is rebuilt from its last checkpoint
 * and the operations since, so it continues exactly as if it had never stopped.
 *
 * <p>Refusals are {@link Refusal}s: NOT_FOUND before registration, BAD_INPUT for a command that
 * does not fit the array, UNAVAILABLE when it cannot be done now, LINK_DOWN when the instruments do
 * not answer (try again later) and NOT_PUBLISHED when it was done but Kafka does not have it yet
 * (send the same command with the same tag again). Callers decide on the kind; the messages start
 * with the words {@link #LINK_DOWN} and {@link #NOT_PUBLISHED} for the people who read them.
 */
public final class ArrayActor extends EventSourcedBehavior<ArrayActor.Command, ArrayEvent, ArrayState> {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Array");
    public static final String LINK_DOWN = "link down";
    public static final String NOT_PUBLISHED = "not published";
    private static final double CLOCK_EPSILON = 1e-9;
    /** A repeat of a read within this of its frame's failed publishing is answered with that failure (it waited in the stash). */
    private static final Duration REPEAT_AFTER_FAILURE = Duration.ofSeconds(2);

    // ---- protocol ----

    public sealed interface Command extends CborSerializable {}

    /** A command from outside, answered on {@code replyTo}. */
    public sealed interface Request<T> extends Command {
        ActorRef<StatusReply<T>> replyTo();
    }

    public record Register(ArraySpec spec, ActorRef<StatusReply<ArraySummary>> replyTo) implements Request<ArraySummary> {}

    /**
     * Program a block to levels or to target conductances (exactly one non-null, row-major). A
     * repeated non-null {@code tag} does not program again: it answers the earlier programming.
     * With {@code cells} (indices row * cols + col, ascending, inside {@code block}), only those
     * cells are programmed, each on its own, to one level or target each (a refresh of scattered
     * devices): one programming, one checkpoint, one record per cell on the topic.
     */
    public record Program(Block block, int[] levels, float[] targets, boolean writeVerify, String tag, int[] cells,
                          ActorRef<StatusReply<ProgramDone>> replyTo) implements Request<ProgramDone> {
        public Program(Block block, int[] levels, float[] targets, boolean writeVerify, String tag,
                       ActorRef<StatusReply<ProgramDone>> replyTo) {
            this(block, levels, targets, writeVerify, tag, null, replyTo);
        }

        /** Only {@code cells} of an array {@code cols} wide, each to its target conductance, with write-verify. */
        public static Program cells(int cols, int[] cells, float[] targets, String tag,
                                    ActorRef<StatusReply<ProgramDone>> replyTo) {
            int r0 = Integer.MAX_VALUE, c0 = Integer.MAX_VALUE, r1 = -1, c1 = -1;
            for (int i : cells) {
                r0 = Math.min(r0, i / cols);
                r1 = Math.max(r1, i / cols);
                c0 = Math.min(c0, i % cols);
                c1 = Math.max(c1, i % cols);
            }
            Block around = cells.length == 0 ? new Block(0, 0, 1, 1) : new Block(r0, c0, r1 - r0 + 1, c1 - c0 + 1);
            return new Program(around, null, targets, true, tag, cells, replyTo);
        }
    }

    /** Read a block. A repeated non-null {@code tag} does not read again: it answers the earlier frame. */
    public record Read(Block block, String tag, ActorRef<StatusReply<ReadDone>> replyTo) implements Request<ReadDone> {}

    public record AdvanceClock(double seconds, ActorRef<StatusReply<ArraySummary>> replyTo)
            implements Request<ArraySummary> {}

    /** Advance the clock to an absolute time; a repeat (or a time already passed) changes nothing. */
    public record AdvanceClockTo(double clockSeconds, ActorRef<StatusReply<ArraySummary>> replyTo)
            implements Request<ArraySummary> {}

    public record SetTemperature(double kelvin, ActorRef<StatusReply<ArraySummary>> replyTo)
            implements Request<ArraySummary> {}

    public record GetState(ActorRef<StatusReply<ArraySummary>> replyTo) implements Request<ArraySummary> {}

    public record ProgramDone(String arrayId, long sequence, long pulses, double seconds, int cellsOutOfTolerance,
                              double clockSeconds, boolean repeated) implements CborSerializable {}

    /**
     * A read, acknowledged once Kafka has its frame. {@code frame} is the frame itself when this
     * command read it (or it was held back from Kafka); null when a repeated tag answers an earlier read.
     */
    public record ReadDone(String arrayId, long sequence, double arrayTimeSeconds, boolean suspect, boolean repeated,
                           Frame frame) implements CborSerializable {}

    // What the actor's own asynchronous work sends back to it (never sent by others), one per outcome.

    /** After a restart: the driver rebuilt from the events, or why it could not be. */
    private record Rebuilt(RramArray driver, Throwable error) implements Command {}

    private record Opened(Register register, RramArray driver, int levels, double temperatureKelvin)
            implements Command {}

    private record OpenFailed(Register register, Throwable error) implements Command {}

    private record ProgramRan(Program program, ProgramResult result) implements Command {}

    private record ProgramPublished(Program program, ArrayEvent.Programmed event, boolean repeated) implements Command {}

    private record ProgramNotPublished(Program program, ArrayEvent.Programmed event, Throwable error)
            implements Command {}

    /** A fresh frame, and why Kafka does not have it (null when it does). */
    private record ReadRan(Read read, Frame frame, Throwable publishFailure) implements Command {}

    private record HeldReadPublished(Read read, ArrayEvent.ReadTaken held) implements Command {}

    private record HeldReadNotPublished(Read read, ArrayEvent.ReadTaken held, Throwable error) implements Command {}

    /** The driver moved the clock or set the temperature as {@code change} says. */
    private record Adjusted(Request<ArraySummary> request, ArrayEvent.Op change) implements Command {}

    /** The driver failed a programming, a read or an adjustment. */
    private record OperationFailed(Request<?> request, Throwable error) implements Command {}

    private record HealthSeen(GetState request, ArrayHealth health) implements Command {}

    /** An operation's events are journaled: checkpoint when due, then take the next command. */
    private record Settled(boolean programmed) implements Command {}

    private record CheckpointTaken(byte[] snapshot) implements Command {}

    private record CheckpointFailed(Throwable error) implements Command {}

    private record ReadOutcome(Frame frame, Throwable publishFailure) {}

    /** Starts sharding of arrays on this node; the region routes {@code ShardingEnvelope(arrayId, command)}. */
    public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system,
                                                           ActorRef<MeasurementActor.Command> measurement) {
        ArraySettings settings = ArraySettings.from(system.settings().config());
        // arrays hold connections and rebuilt state: they stay up rather than passivate when idle;
        // an array whose id names a station (station-a.die7) runs only on a node with that role
        ClusterShardingSettings sharding = ClusterShardingSettings.create(system).withNoPassivationStrategy();
        return ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
                        ctx -> create(ctx.getEntityId(), measurement, settings))
                .withMessageExtractor(new StationShards<Command>(sharding.numberOfShards()))
                .withAllocationStrategy(new StationAllocation(system))
                .withSettings(sharding));
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
    private final RecordPublisher publisher;
    // The driver is this incarnation's connection, not a fact about the array: it is opened again
    // (and "broken" found again) after every restart, so none of these three is journaled.
    private RramArray driver;
    /** Why the driver could not be rebuilt after a restart; every command but Register is refused with it. */
    private String broken;
    /** Recovery is rebuilding the driver, or an operation runs on it: commands wait in the stash. */
    private boolean busy = true;
    /**
     * The held frame whose publishing failed last, and when: a repeat of its read that comes right after
     * (a campaign asks again when an answer is slow) gets that failure at once instead of another round of
     * publish tries, so that repeats do not pile up while Kafka is away. Not journaled.
     */
    private long lastFailedSequence = -1;
    private long lastFailedAtNanos;
    private Throwable lastFailure;

    private ArrayActor(ActorContext<Command> context, String arrayId, ActorRef<MeasurementActor.Command> measurement,
                       ArraySettings settings) {
        super(PersistenceId.of(TYPE_KEY.name(), arrayId));
        this.context = context;
        this.arrayId = arrayId;
        this.measurement = measurement;
        this.settings = settings;
        this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        this.publisher = new RecordPublisher(measurement, settings, context.getSystem().scheduler(), blocking);
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
                .onSignal(PostStop.instance(), state -> closeDriver())
                .build();
    }

    /**
     * Closing a driver may wait (an instrument session finishing its exchange under its lock): it runs
     * on the blocking dispatcher, never on this actor's thread.
     */
    private void closeDriver() {
        RramArray open = driver;
        driver = null;
        if (open == null) {
            return;
        }
        Runnable close = () -> {
            try {
                open.close();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ArrayActor.class).warn("array {}: closing its driver failed: {}",
                        arrayId, e.getMessage());
            }
        };
        try {
            blocking.execute(close);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            close.run(); // the actor system is ending: nothing else runs on this thread any more
        }
    }

    private void rebuild(ArrayState state) {
        if (!state.registered()) {
            busy = false;
            return;
        }
        context.pipeToSelf(ArrayDriver.rebuild(arrayId, state, settings, blocking), Rebuilt::new);
    }

    @Override
    public EventHandler<ArrayState, ArrayEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(ArrayEvent.Registered.class, ArrayState::newlyRegistered)
                .onEvent(ArrayEvent.Programmed.class, ArrayState::programmed)
                .onEvent(ArrayEvent.ProgrammedPublished.class, ArrayState::programPublished)
                .onEvent(ArrayEvent.ReadTaken.class, ArrayState::readTaken)
                .onEvent(ArrayEvent.ReadPublished.class, ArrayState::readPublished)
                .onEvent(ArrayEvent.ClockAdvanced.class, ArrayState::clockAdvanced)
                .onEvent(ArrayEvent.TemperatureSet.class, ArrayState::temperatureSet)
                .onEvent(ArrayEvent.Checkpointed.class, ArrayState::checkpointed)
                .onEvent(ArrayEvent.LinkLost.class, ArrayState::linkLost)
                .onEvent(ArrayEvent.LinkRestored.class, ArrayState::linkRestored)
                .build();
    }

    // ---- command handler: every transition ----

    @Override
    public CommandHandler<Command, ArrayEvent, ArrayState> commandHandler() {
        CommandHandlerBuilder<Command, ArrayEvent, ArrayState> builder = newCommandHandlerBuilder();
        // the completions of the actor's own work come first: they are what ends "busy"
        builder.forAnyState()
                .onCommand(Rebuilt.class, this::onRebuilt)
                .onCommand(Opened.class, this::onOpened)
                .onCommand(OpenFailed.class, this::onOpenFailed)
                .onCommand(ProgramRan.class, this::onProgramRan)
                .onCommand(ProgramPublished.class, this::onProgramPublished)
                .onCommand(ProgramNotPublished.class, this::onProgramNotPublished)
                .onCommand(ReadRan.class, this::onReadRan)
                .onCommand(HeldReadPublished.class, this::onHeldReadPublished)
                .onCommand(HeldReadNotPublished.class, this::onHeldReadNotPublished)
                .onCommand(Adjusted.class, this::onAdjusted)
                .onCommand(OperationFailed.class, this::onOperationFailed)
                .onCommand(HealthSeen.class, this::onHealthSeen)
                .onCommand(Settled.class, this::onSettled)
                .onCommand(CheckpointTaken.class, this::onCheckpointTaken)
                .onCommand(CheckpointFailed.class, this::onCheckpointFailed)
                // the one gate: while the driver opens or an operation runs, requests wait their turn
                .onCommand(command -> busy, (state, command) -> Effect().stash());
        builder.forState(state -> !state.registered())
                .onCommand(Register.class, this::onRegister)
                .onAnyCommand((state, command) -> reject(command, Kind.NOT_FOUND, "array '" + arrayId
                        + "' is not registered; register it first (POST /api/arrays)"));
        builder.forState(ArrayState::registered)
                .onCommand(Register.class, this::onRegisterAgain)
                .onCommand(command -> broken != null, (state, command) -> reject(command, Kind.UNAVAILABLE, broken))
                .onCommand(GetState.class, this::onGetState)
                .onCommand(Program.class, this::onProgram)
                .onCommand(Read.class, this::onRead)
                .onCommand(AdvanceClock.class, this::onAdvanceClock)
                .onCommand(AdvanceClockTo.class, this::onAdvanceClockTo)
                .onCommand(SetTemperature.class, this::onSetTemperature);
        return builder.build();
    }

    // ---- register ----

    private Effect<ArrayEvent, ArrayState> onRegister(ArrayState state, Register r) {
        String problem = r.spec() == null ? "no spec given" : r.spec().problem();
        if (problem != null) {
            return reject(r, Kind.BAD_INPUT, "cannot register array '" + arrayId + "': " + problem);
        }
        busy = true;
        CompletionStage<Opened> opened = ArrayDriver.open(arrayId, r.spec(), settings, blocking).thenApply(d -> {
            DevicePreset preset = d instanceof SimulatedArray s ? s.model().preset() : DevicePreset.load(r.spec().presetName());
            return new Opened(r, d, preset.levels(), preset.drift().referenceTemperatureKelvin());
        });
        context.pipeToSelf(opened, (o, error) -> error == null ? o : new OpenFailed(r, error));
        return Effect().none();
    }

    private Effect<ArrayEvent, ArrayState> onRegisterAgain(ArrayState state, Register r) {
        if (!state.registration().spec().equals(r.spec())) {
            return reject(r, Kind.BAD_INPUT, "array '" + arrayId + "' is already registered as "
                    + state.registration().spec().describe() + "; choose another id for a different array");
        }
        r.replyTo().tell(StatusReply.success(summary(state, null)));
        return Effect().none();
    }

    private Effect<ArrayEvent, ArrayState> onOpened(ArrayState state, Opened o) {
        driver = o.driver();
        return Effect().persist(new ArrayEvent.Registered(Instant.now(), o.register().spec(), o.levels(),
                        o.temperatureKelvin()))
                .thenRun(ns -> o.register().replyTo().tell(StatusReply.success(summary(ns, null))))
                .thenRun(this::idle)
                .thenUnstashAll();
    }

    private Effect<ArrayEvent, ArrayState> onOpenFailed(ArrayState state, OpenFailed f) {
        f.register().replyTo().tell(Refusal.reply(Kind.BAD_INPUT, "cannot register array '" + arrayId + "': "
                + rootMessage(f.error())));
        return finish();
    }

    private Effect<ArrayEvent, ArrayState> onRebuilt(ArrayState state, Rebuilt r) {
        if (r.error() != null) {
            broken = "array '" + arrayId + "' could not be rebuilt after a restart: " + rootMessage(r.error());
            context.getLog().error(broken);
        } else {
            driver = r.driver();
        }
        return finish();
    }

    // ---- program: run on the driver, journal, publish, answer ----

    private Effect<ArrayEvent, ArrayState> onProgram(ArrayState state, Program p) {
        String problem = ArrayChecks.program(state, p);
        if (problem != null) {
            return reject(p, Kind.BAD_INPUT, "cannot program array '" + arrayId + "': " + problem);
        }
        ArrayEvent.Programmed earlier = p.tag() == null ? null : state.programTag(p.tag());
        if (earlier != null) {
            return programAgain(state, p, earlier);
        }
        busy = true;
        context.pipeToSelf(ArrayDriver.program(driver, p.block(), p.cells(), p.levels(), p.targets(), p.writeVerify()),
                (result, error) -> error == null ? new ProgramRan(p, result) : new OperationFailed(p, error));
        return Effect().none();
    }

    /** A repeated tag: the earlier answer, after publishing the record if Kafka does not have it yet. */
    private Effect<ArrayEvent, ArrayState> programAgain(ArrayState state, Program p, ArrayEvent.Programmed earlier) {
        ArrayEvent.Programmed pending = state.unpublishedProgram(earlier.sequence());
        if (pending == null) {
            p.replyTo().tell(StatusReply.success(programDone(earlier, true)));
            return Effect().none();
        }
        busy = true;
        publishProgrammed(pending, p, true);
        return Effect().none();
    }

    private Effect<ArrayEvent, ArrayState> onProgramRan(ArrayState state, ProgramRan ran) {
        Program p = ran.program();
        ProgramResult result = ran.result();
        // a programming of single cells takes one sequence per cell, as its records on the topic do
        long sequence = state.programmings() + (p.cells() == null ? 1 : p.cells().length);
        ArrayEvent.Programmed event = new ArrayEvent.Programmed(Instant.now(), p.tag(), sequence, p.block(), p.levels(),
                p.targets(), p.writeVerify(), result.pulses(), result.seconds(), result.cellsOutOfTolerance(),
                state.clockSeconds(), p.cells());
        return Effect().persist(withLinkRestored(state, event)).thenRun(ns -> publishProgrammed(event, p, false));
    }

    private void publishProgrammed(ArrayEvent.Programmed event, Program p, boolean repeated) {
        CompletionStage<?> published = CompletableFuture.completedFuture(null);
        for (ProgrammedRecord record : ArrayChecks.records(arrayId, driver.cols(), event)) {
            published = published.thenCompose(x -> publisher.publish(record));
        }
        context.pipeToSelf(published, (done, error) -> error == null
                ? new ProgramPublished(p, event, repeated) : new ProgramNotPublished(p, event, error));
    }

    private Effect<ArrayEvent, ArrayState> onProgramPublished(ArrayState state, ProgramPublished published) {
        ArrayEvent.Programmed event = published.event();
        return Effect().persist(new ArrayEvent.ProgrammedPublished(Instant.now(), event.sequence()))
                .thenRun(ns -> published.program().replyTo().tell(StatusReply.success(
                        programDone(event, published.repeated()))))
                .thenRun(ns -> settled(!published.repeated()));
    }

    private Effect<ArrayEvent, ArrayState> onProgramNotPublished(ArrayState state, ProgramNotPublished failed) {
        failed.program().replyTo().tell(Refusal.reply(Kind.NOT_PUBLISHED, NOT_PUBLISHED + ": array '" + arrayId
                + "' was programmed (programming " + failed.event().sequence() + ") but Kafka does not have its record"
                + " yet (" + rootMessage(failed.error()) + "); send the same Program with tag '" + failed.program().tag()
                + "' again to publish it"));
        return checkpointOrNext(state, true);
    }

    private ProgramDone programDone(ArrayEvent.Programmed e, boolean repeated) {
        return new ProgramDone(arrayId, e.sequence(), e.pulses(), e.seconds(), e.cellsOutOfTolerance(), e.clockSeconds(),
                repeated);
    }

    // ---- read: run on the driver, publish, journal, answer ----

    private Effect<ArrayEvent, ArrayState> onRead(ArrayState state, Read r) {
        String problem = ArrayChecks.block(state, r.block());
        if (problem != null) {
            return reject(r, Kind.BAD_INPUT, "cannot read array '" + arrayId + "': " + problem);
        }
        ArrayEvent.ReadTaken earlier = r.tag() == null ? null : state.readTag(r.tag());
        if (earlier != null) {
            return readAgain(state, r, earlier);
        }
        busy = true;
        long sequence = state.lastReadSequence() + 1;
        // frames are numbered here, not by the driver: the numbering must survive restarts
        CompletionStage<ReadOutcome> outcome = driver.read(r.block())
                .thenApply(f -> new Frame(arrayId, sequence, f.arrayTimeSeconds(), f.block(), f.conductances(), f.suspect()))
                .thenCompose(f -> publisher.publish(new ReadRecord(f)).handle((d, error) -> new ReadOutcome(f, error)));
        context.pipeToSelf(outcome, (o, error) -> error == null
                ? new ReadRan(r, o.frame(), o.publishFailure()) : new OperationFailed(r, error));
        return Effect().none();
    }

    /** A repeated tag: the earlier answer, after publishing the frame if it was held back from Kafka. */
    private Effect<ArrayEvent, ArrayState> readAgain(ArrayState state, Read r, ArrayEvent.ReadTaken earlier) {
        ArrayEvent.ReadTaken held = state.held(earlier.sequence());
        if (held == null) {
            r.replyTo().tell(StatusReply.success(readDone(earlier, true, null)));
            return Effect().none();
        }
        if (held.sequence() == lastFailedSequence && System.nanoTime() - lastFailedAtNanos < REPEAT_AFTER_FAILURE.toNanos()) {
            r.replyTo().tell(Refusal.reply(Kind.NOT_PUBLISHED, notPublished(held, lastFailure)));
            return Effect().none();
        }
        busy = true;
        context.pipeToSelf(publisher.publish(new ReadRecord(frame(held))), (d, error) -> error == null
                ? new HeldReadPublished(r, held) : new HeldReadNotPublished(r, held, error));
        return Effect().none();
    }

    private Effect<ArrayEvent, ArrayState> onReadRan(ArrayState state, ReadRan ran) {
        Frame f = ran.frame();
        Read r = ran.read();
        boolean published = ran.publishFailure() == null;
        if (!published) {
            publishFailed(f.sequence(), ran.publishFailure());
        }
        // the read changed the array whether or not Kafka has it: record it, with the values if not
        ArrayEvent.ReadTaken event = new ArrayEvent.ReadTaken(Instant.now(), r.tag(), f.sequence(), f.block(),
                f.arrayTimeSeconds(), f.suspect(), published ? null : f.conductances());
        return Effect().persist(withLinkRestored(state, event))
                .thenRun(ns -> r.replyTo().tell(published ? StatusReply.success(readDone(event, false, f))
                        : Refusal.reply(Kind.NOT_PUBLISHED, notPublished(event, ran.publishFailure()))))
                .thenRun(ns -> settled(false));
    }

    private Effect<ArrayEvent, ArrayState> onHeldReadPublished(ArrayState state, HeldReadPublished published) {
        ArrayEvent.ReadTaken held = published.held();
        return Effect().persist(new ArrayEvent.ReadPublished(Instant.now(), held.sequence()))
                .thenRun(ns -> published.read().replyTo().tell(StatusReply.success(readDone(held, true, frame(held)))))
                .thenRun(this::idle)
                .thenUnstashAll();
    }

    private Effect<ArrayEvent, ArrayState> onHeldReadNotPublished(ArrayState state, HeldReadNotPublished failed) {
        publishFailed(failed.held().sequence(), failed.error());
        failed.read().replyTo().tell(Refusal.reply(Kind.NOT_PUBLISHED, notPublished(failed.held(), failed.error())));
        return finish();
    }

    private String notPublished(ArrayEvent.ReadTaken read, Throwable error) {
        return NOT_PUBLISHED + ": frame " + read.sequence() + " of array '" + arrayId + "' was read but Kafka does not have"
                + " it yet (" + rootMessage(error) + "); it is kept: send the same Read"
                + (read.tag() == null ? " (give it a tag next time)" : " with tag '" + read.tag() + "'") + " again to publish it";
    }

    private void publishFailed(long sequence, Throwable error) {
        lastFailedSequence = sequence;
        lastFailedAtNanos = System.nanoTime();
        lastFailure = error;
    }

    private ReadDone readDone(ArrayEvent.ReadTaken e, boolean repeated, Frame frame) {
        return new ReadDone(arrayId, e.sequence(), e.arrayTimeSeconds(), e.suspect(), repeated, frame);
    }

    private Frame frame(ArrayEvent.ReadTaken held) {
        return new Frame(arrayId, held.sequence(), held.arrayTimeSeconds(), held.block(), held.held(), held.suspect());
    }

    // ---- clock and temperature: one adjustment ----

    private Effect<ArrayEvent, ArrayState> onAdvanceClock(ArrayState state, AdvanceClock a) {
        if (!(a.seconds() >= 0) || Double.isInfinite(a.seconds())) {
            return reject(a, Kind.BAD_INPUT, "cannot advance the clock of array '" + arrayId + "' by " + a.seconds()
                    + " s; give a finite number of seconds >= 0");
        }
        return clockTo(state, a, state.clockSeconds() + a.seconds());
    }

    private Effect<ArrayEvent, ArrayState> onAdvanceClockTo(ArrayState state, AdvanceClockTo a) {
        if (!Double.isFinite(a.clockSeconds())) {
            return reject(a, Kind.BAD_INPUT, "cannot advance the clock of array '" + arrayId + "' to " + a.clockSeconds()
                    + " s; give a finite time in seconds");
        }
        return clockTo(state, a, a.clockSeconds());
    }

    private Effect<ArrayEvent, ArrayState> clockTo(ArrayState state, Request<ArraySummary> request, double target) {
        double delta = target - state.clockSeconds();
        return adjust(state, request, new ArrayEvent.ClockAdvanced(Instant.now(), delta), delta <= CLOCK_EPSILON);
    }

    private Effect<ArrayEvent, ArrayState> onSetTemperature(ArrayState state, SetTemperature t) {
        if (!(t.kelvin() >= 1 && t.kelvin() <= 2000)) {
            return reject(t, Kind.BAD_INPUT, "temperature " + t.kelvin()
                    + " K is outside 1..2000 K; give kelvin (423.15 for 150 C)");
        }
        return adjust(state, t, new ArrayEvent.TemperatureSet(Instant.now(), t.kelvin()),
                t.kelvin() == state.temperatureKelvin());
    }

    /** Moves the clock or sets the temperature on the driver, then journals the change; nothing to do answers at once. */
    private Effect<ArrayEvent, ArrayState> adjust(ArrayState state, Request<ArraySummary> request, ArrayEvent.Op change,
                                                  boolean changesNothing) {
        if (changesNothing) {
            request.replyTo().tell(StatusReply.success(summary(state, null)));
            return Effect().none();
        }
        busy = true;
        context.pipeToSelf(ArrayDriver.perform(driver, change),
                (v, error) -> error == null ? new Adjusted(request, change) : new OperationFailed(request, error));
        return Effect().none();
    }

    private Effect<ArrayEvent, ArrayState> onAdjusted(ArrayState state, Adjusted adjusted) {
        return Effect().persist(withLinkRestored(state, adjusted.change()))
                .thenRun(ns -> adjusted.request().replyTo().tell(StatusReply.success(summary(ns, null))))
                .thenRun(ns -> settled(false));
    }

    // ---- state and health (a probe: it runs beside operations, and may open or close a link interruption) ----

    private Effect<ArrayEvent, ArrayState> onGetState(ArrayState state, GetState g) {
        CompletableFuture<ArrayHealth> health = driver.health().toCompletableFuture()
                .orTimeout(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        context.pipeToSelf(health, (h, error) -> new HealthSeen(g, error == null ? h
                : new ArrayHealth(arrayId, ArrayHealth.LinkState.RECONNECTING, Double.NaN, Double.NaN,
                        "no health answer within " + settings.commandTimeout().toMillis() + " ms: " + rootMessage(error))));
        return Effect().none();
    }

    private Effect<ArrayEvent, ArrayState> onHealthSeen(ArrayState state, HealthSeen seen) {
        ArrayHealth h = seen.health();
        List<ArrayEvent> events = h.link() == ArrayHealth.LinkState.CONNECTED && state.linkDown() != null
                ? List.of(new ArrayEvent.LinkRestored(Instant.now()))
                : h.link() == ArrayHealth.LinkState.FAILED && state.linkDown() == null
                ? List.of(new ArrayEvent.LinkLost(Instant.now(), h.detail())) : List.of();
        return Effect().persist(events).thenRun(ns -> seen.request().replyTo().tell(StatusReply.success(summary(ns, h))));
    }

    private ArraySummary summary(ArrayState state, ArrayHealth health) {
        return ArraySummary.of(arrayId, state, health, driver == null ? null : driver.identity());
    }

    // ---- common steps ----

    /** Tells the actor that an operation's events are journaled (it checkpoints next when due). */
    private void settled(boolean programmed) {
        context.getSelf().tell(new Settled(programmed));
    }

    private Effect<ArrayEvent, ArrayState> onSettled(ArrayState state, Settled settled) {
        return checkpointOrNext(state, settled.programmed());
    }

    /** After an operation: a checkpoint when due (always after a programming), then the next command. */
    private Effect<ArrayEvent, ArrayState> checkpointOrNext(ArrayState state, boolean programmed) {
        boolean due = programmed ? !state.sinceCheckpoint().isEmpty()
                : state.sinceCheckpoint().size() >= settings.checkpointEvery();
        if (!due || !(driver instanceof SimulatedArray sim)) {
            return finish();
        }
        // no operation runs now (busy), so the snapshot is exactly the state after the events so far
        context.pipeToSelf(CompletableFuture.supplyAsync(sim::snapshot, blocking),
                (bytes, error) -> error == null ? new CheckpointTaken(bytes) : new CheckpointFailed(error));
        return Effect().none();
    }

    private Effect<ArrayEvent, ArrayState> onCheckpointTaken(ArrayState state, CheckpointTaken taken) {
        return Effect().persist(new ArrayEvent.Checkpointed(Instant.now(), taken.snapshot())).thenRun(this::idle)
                .thenUnstashAll();
    }

    private Effect<ArrayEvent, ArrayState> onCheckpointFailed(ArrayState state, CheckpointFailed failed) {
        context.getLog().warn("checkpoint of array '{}' failed: {}", arrayId, rootMessage(failed.error()));
        return finish();
    }

    private Effect<ArrayEvent, ArrayState> finish() {
        busy = false;
        return Effect().none().thenUnstashAll();
    }

    private void idle(ArrayState ignored) {
        busy = false;
    }

    /** An operation failed: if the instruments did not answer, the link is down (recorded once); the caller is told. */
    private Effect<ArrayEvent, ArrayState> onOperationFailed(ArrayState state, OperationFailed failed) {
        String why = rootMessage(failed.error());
        if (!isLinkFailure(state, failed.error())) {
            refuse(failed.request(), new Refusal(Kind.BAD_INPUT, "array '" + arrayId + "': " + why));
            return finish();
        }
        Refusal refusal = new Refusal(Kind.LINK_DOWN, LINK_DOWN + ": array '" + arrayId + "' cannot be reached ("
                + why + "); the command did not complete, send it again once the instruments answer");
        List<ArrayEvent> lost = state.linkDown() != null ? List.of() : List.of(new ArrayEvent.LinkLost(Instant.now(), why));
        return Effect().persist(lost).thenRun(ns -> refuse(failed.request(), refusal)).thenRun(this::idle)
                .thenUnstashAll();
    }

    private static boolean isLinkFailure(ArrayState state, Throwable error) {
        Throwable cause = unwrap(error);
        // a simulated array has no link; an instrument that answers with an error is not a link failure
        return state.registration().spec() instanceof ArraySpec.Physical && !(cause instanceof InstrumentErrorException);
    }

    private List<ArrayEvent> withLinkRestored(ArrayState state, ArrayEvent event) {
        return state.linkDown() == null ? List.of(event) : List.of(new ArrayEvent.LinkRestored(Instant.now()), event);
    }


    private Effect<ArrayEvent, ArrayState> reject(Command command, Kind kind, String message) {
        if (command instanceof Request<?> request) {
            refuse(request, new Refusal(kind, message));
        }
        return Effect().none();
    }

    private static <T> void refuse(Request<T> request, Refusal refusal) {
        request.replyTo().tell(StatusReply.error(refusal));
    }
}
