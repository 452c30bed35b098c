package org.rramlab.device.sim;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import org.rramlab.device.ArrayHealth;
import org.rramlab.device.AsyncOps;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.RramArray;

/**
 * A simulated RRAM array (see {@link ArrayModel} for the physics). Operations run on the
 * executor given, or on a thread of the array's own, each bounded by the timeout.
 * Deterministic for a seed; {@link #snapshot()} and {@link #restore(byte[])} are exact.
 */
public final class SimulatedArray implements RramArray {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final ArrayModel model;
    private final Executor executor;
    private final ExecutorService ownExecutor;
    private final Duration timeout;
    private volatile boolean closed;

    public SimulatedArray(String id, DevicePreset preset, int rows, int cols, long seed) {
        this(new ArrayModel(id, preset, rows, cols, seed), null, DEFAULT_TIMEOUT);
    }

    public SimulatedArray(String id, DevicePreset preset, int rows, int cols, long seed,
                          Executor executor, Duration timeout) {
        this(new ArrayModel(id, preset, rows, cols, seed), executor, timeout);
    }

    private SimulatedArray(ArrayModel model, Executor executor, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("operation timeout must be positive, got " + timeout);
        }
        this.model = model;
        this.timeout = timeout;
        this.ownExecutor = executor == null ? AsyncOps.singleThread("sim-array-" + model.id()) : null;
        this.executor = executor == null ? ownExecutor : executor;
    }

    /** Restores an array saved with {@link #snapshot()}: same state, same subsequent reads. */
    public static SimulatedArray restore(byte[] snapshot) {
        return new SimulatedArray(Snapshots.read(snapshot), null, DEFAULT_TIMEOUT);
    }

    public static SimulatedArray restore(byte[] snapshot, Executor executor, Duration timeout) {
        return new SimulatedArray(Snapshots.read(snapshot), executor, timeout);
    }

    /** The whole state, including the random-stream counters; consistent even while operations run. */
    public byte[] snapshot() {
        return Snapshots.write(model);
    }

    /** The synchronous model, for the emulator and for tests that check the physics. */
    public ArrayModel model() {
        return model;
    }

    @Override
    public String id() {
        return model.id();
    }

    /** In the *IDN? form (maker, model, serial, firmware), saying plainly that no instrument is behind it. */
    @Override
    public String identity() {
        return "rramlab,simulated array (no instrument),preset " + model.preset().name() + " " + model.rows() + "x"
                + model.cols() + " seed " + model.seed() + ",simulator";
    }

    @Override
    public int rows() {
        return model.rows();
    }

    @Override
    public int cols() {
        return model.cols();
    }

    private <T> CompletionStage<T> run(String what, java.util.concurrent.Callable<T> op) {
        return AsyncOps.run(executor, timeout, what, () -> {
            if (closed) {
                throw new org.rramlab.device.DeviceException(what + ": array '" + id() + "' is closed; "
                        + "create it again or restore it from a snapshot");
            }
            return op.call();
        });
    }

    @Override
    public CompletionStage<ProgramResult> program(ProgramRequest request) {
        return run( "programming " + request.block() + " of array '" + id() + "'",
                () -> model.program(request));
    }

    @Override
    public CompletionStage<Frame> read(Block block) {
        return run("reading " + block + " of array '" + id() + "'",
                () -> model.read(block));
    }

    @Override
    public CompletionStage<Void> advanceClock(double seconds) {
        return run("advancing the clock of array '" + id() + "'", () -> {
            model.advanceClock(seconds);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> setTemperature(double kelvin) {
        return run("setting the temperature of array '" + id() + "'", () -> {
            model.setTemperature(kelvin);
            return null;
        });
    }

    @Override
    public CompletionStage<ArrayHealth> health() {
        return run("health of array '" + id() + "'", model::health);
    }

    @Override
    public void close() {
        closed = true;
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
    }
}
