package org.rramlab.learning;

import org.rramlab.device.noise.DeviceNoise;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.rramlab.device.ArrayHealth;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.RramArray;

/**
 * A test array whose devices take exactly their level's conductance, except cells marked stuck at
 * Gmax, which always read Gmax. Counts program calls so tests can see that nothing reprograms it.
 */
public final class IdealArray implements RramArray {
    private final String id;
    private final DevicePreset preset;
    private final int rows;
    private final int cols;
    private final float[] g;
    private final boolean[] stuckHigh;
    public final AtomicInteger programCalls = new AtomicInteger();
    private long sequence;

    public IdealArray(String id, DevicePreset preset, int rows, int cols) {
        this.id = id;
        this.preset = preset;
        this.rows = rows;
        this.cols = cols;
        this.g = new float[rows * cols];
        this.stuckHigh = new boolean[rows * cols];
        Arrays.fill(g, (float) preset.gMinSiemens());
    }

    public void stickHigh(int row, int col) {
        stuckHigh[row * cols + col] = true;
        g[row * cols + col] = (float) preset.gMaxSiemens();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public synchronized CompletionStage<ProgramResult> program(ProgramRequest request) {
        programCalls.incrementAndGet();
        Block b = request.block();
        for (int r = 0; r < b.rows(); r++) {
            for (int c = 0; c < b.cols(); c++) {
                int cell = (b.row0() + r) * cols + b.col0() + c;
                if (!stuckHigh[cell]) {
                    g[cell] = (float) DeviceNoise.of(preset).level(request.levels()[r * b.cols() + c]);
                }
            }
        }
        return CompletableFuture.completedFuture(new ProgramResult(b, b.cells(), 0, 0));
    }

    @Override
    public synchronized CompletionStage<Frame> read(Block b) {
        float[] out = new float[b.cells()];
        for (int r = 0; r < b.rows(); r++) {
            for (int c = 0; c < b.cols(); c++) {
                out[r * b.cols() + c] = g[(b.row0() + r) * cols + b.col0() + c];
            }
        }
        return CompletableFuture.completedFuture(new Frame(id, sequence++, 0, b, out, false));
    }

    @Override
    public CompletionStage<Void> advanceClock(double seconds) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> setTemperature(double kelvin) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<ArrayHealth> health() {
        return CompletableFuture.completedFuture(new ArrayHealth(id, ArrayHealth.LinkState.CONNECTED, 0, 300, "ideal"));
    }

    @Override
    public void close() {}
}
