package org.rramlab.device.sim;

import org.rramlab.device.ArrayHealth;
import org.rramlab.device.Block;
import org.rramlab.device.DeviceException;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.noise.DeviceNoise;

/**
 * The state and physics of one simulated array, synchronous and thread-safe (every method locks
 * the model). Per-device state lives in primitive arrays indexed by {@code row * cols + col}. What a
 * device does to a value (stuck-at, programming noise, drift, read noise) is {@link DeviceNoise}'s law,
 * the same one device-aware training samples from; this class keeps the state and the random streams.
 *
 * <p>Time: {@link #clockSeconds} is the array's own clock; {@link #driftTime} is the drift time,
 * which runs faster than the clock by the Arrhenius factor while the array is baked. A device
 * programmed at drift time tp reads G_prog * ((tau - tp + t0) / t0)^-nu at drift time tau.
 *
 * <p>The truth accessors ({@link #programmedSiemens}, {@link #fault}, ...) exist for tests and
 * the emulator; estimators must work from reads only.
 */
public final class ArrayModel {
    static final long STREAM_FABRICATION = 1;
    static final long STREAM_PROGRAM = 2;
    static final long STREAM_NU = 3;
    static final long STREAM_VERIFY = 4;
    static final long STREAM_READ = 5;
    static final byte OK = 0;
    static final byte STUCK_HIGH = 1;
    static final byte STUCK_LOW = 2;

    final String id;
    final DevicePreset preset;
    final int rows;
    final int cols;
    final long seed;

    // per-device state
    final byte[] fault;
    final float[] gProg;
    final float[] nu;
    final double[] driftTimeProgrammed;
    final int[] programCount;
    final int[] readCount;

    // array state
    double clockSeconds;
    double temperatureKelvin;
    double driftTime;
    long frameSequence;
    long totalPulses;

    // derived, never saved: recomputed identically from the state above
    private final DeviceNoise noise;
    private final double gMin;
    private final double gMax;
    private final long programStream;
    private final long nuStream;
    private final long verifyStream;
    private final long readStream;
    private double acceleration;
    private final float[] drifted;
    private final double[] rowDriftTime;
    private final CellRandom random = new CellRandom();

    /** A freshly fabricated array: faults drawn from the seed, every device at Gmin, clock at 0. */
    public ArrayModel(String id, DevicePreset preset, int rows, int cols, long seed) {
        this(id, preset, rows, cols, seed, checkedCells(rows, cols));
        long fabrication = CellRandom.stream(seed, STREAM_FABRICATION);
        for (int i = 0; i < fault.length; i++) {
            fault[i] = switch (noise.stuckAt(CellRandom.uniform(CellRandom.key(fabrication, i, 0)))) {
                case AT_GMAX -> STUCK_HIGH;
                case AT_GMIN -> STUCK_LOW;
                case NONE -> OK;
            };
        }
        java.util.Arrays.fill(gProg, (float) gMin);
        temperatureKelvin = preset.drift().referenceTemperatureKelvin();
        acceleration = 1.0;
    }

    /** Empty state for {@link Snapshots} to fill. */
    ArrayModel(String id, DevicePreset preset, int rows, int cols, long seed, int cells) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an array needs a non-blank id");
        }
        if (preset.writeVerify().maxPulses() < 1 || preset.writeVerify().maxPulses() > (1 << 20)) {
            throw new IllegalArgumentException("write-verify.max-pulses must be in 1.." + (1 << 20)
                    + ", got " + preset.writeVerify().maxPulses());
        }
        this.id = id;
        this.preset = preset;
        this.rows = rows;
        this.cols = cols;
        this.seed = seed;
        fault = new byte[cells];
        gProg = new float[cells];
        nu = new float[cells];
        driftTimeProgrammed = new double[cells];
        programCount = new int[cells];
        readCount = new int[cells];
        drifted = new float[cells];
        rowDriftTime = new double[rows];
        java.util.Arrays.fill(rowDriftTime, Double.NaN);
        noise = DeviceNoise.of(preset);
        gMin = noise.gMin();
        gMax = noise.gMax();
        programStream = CellRandom.stream(seed, STREAM_PROGRAM);
        nuStream = CellRandom.stream(seed, STREAM_NU);
        verifyStream = CellRandom.stream(seed, STREAM_VERIFY);
        readStream = CellRandom.stream(seed, STREAM_READ);
    }

    private static int checkedCells(int rows, int cols) {
        if (rows <= 0 || cols <= 0 || (long) rows * cols > (1 << 26)) {
            throw new IllegalArgumentException("array shape must be positive and at most 2^26 cells, got "
                    + rows + "x" + cols);
        }
        return rows * cols;
    }

    /** Called after a restore: derived values from the saved temperature. */
    void afterRestore() {
        acceleration = DeviceNoise.of(preset).arrhenius(temperatureKelvin);
    }

    public String id() {
        return id;
    }

    public DevicePreset preset() {
        return preset;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public long seed() {
        return seed;
    }

    public synchronized ProgramResult program(ProgramRequest request) {
        Block b = request.block();
        b.requireIn(id, rows, cols, "program");
        int[] levels = request.levels();
        float[] targets = request.targetSiemens();
        DevicePreset.WriteVerify wv = preset.writeVerify();
        int top = preset.levels() - 1;
        // validate every target before touching any device, so bad input changes nothing
        for (int j = 0; j < b.cells(); j++) {
            if (levels != null && (levels[j] < 0 || levels[j] > top)) {
                throw new DeviceException("level " + levels[j] + " at position " + j + " of block " + b
                        + " is outside 0.." + top + " of preset " + preset.name() + "; give levels in that range");
            }
            if (targets != null && !(targets[j] > 0 && Float.isFinite(targets[j]))) {
                throw new DeviceException("target conductance " + targets[j] + " S at position " + j + " of block "
                        + b + " is not a positive finite number; give targets in siemens, e.g. 5e-5");
            }
        }
        long pulses = 0;
        int outOfTolerance = 0;
        int j = 0;
        for (int r = 0; r < b.rows(); r++) {
            int row = b.row0() + r;
            rowDriftTime[row] = Double.NaN;
            for (int c = 0; c < b.cols(); c++, j++) {
                int i = row * cols + b.col0() + c;
                double target;
                double fraction;
                if (levels != null) {
                    target = noise.level(levels[j]);
                    fraction = (double) levels[j] / top;
                } else {
                    target = targets[j];
                    fraction = Math.min(1.0, Math.max(0.0, (target - gMin) / (gMax - gMin)));
                }
                int k = programCount[i]++;
                double g = noise.programmed(target, random.gaussian(CellRandom.key(programStream, i, k)));
                long p = 1;
                if (request.writeVerify()) {
                    while (!withinTolerance(i, g, target, wv.toleranceRelative()) && p < wv.maxPulses()) {
                        long counter = ((long) k << 20) | p;
                        g = noise.verifyStep(target, random.gaussian(CellRandom.key(verifyStream, i, counter)));
                        p++;
                    }
                    if (!withinTolerance(i, g, target, wv.toleranceRelative())) {
                        outOfTolerance++;
                    }
                }
                pulses += p;
                gProg[i] = (float) g;
                nu[i] = (float) noise.driftExponent(fraction, random.gaussian(CellRandom.key(nuStream, i, k)));
                driftTimeProgrammed[i] = driftTime;
            }
        }
        totalPulses += pulses;
        return new ProgramResult(b, pulses, pulses * wv.pulseSeconds(), outOfTolerance);
    }

    /** The verify step compares what the device conducts (a stuck device never moves) with the target. */
    private boolean withinTolerance(int i, double g, double target, double tolerance) {
        double seen = fault[i] == STUCK_HIGH ? noise.stuckConductance(DeviceNoise.Stuck.AT_GMAX)
                : fault[i] == STUCK_LOW ? noise.stuckConductance(DeviceNoise.Stuck.AT_GMIN) : g;
        return Math.abs(seen - target) <= tolerance * target;
    }

    public synchronized Frame read(Block b) {
        b.requireIn(id, rows, cols, "read");
        float[] out = new float[b.cells()];
        boolean noisy = noise.readNoiseRelative() != 0;
        int j = 0;
        for (int r = 0; r < b.rows(); r++) {
            int row = b.row0() + r;
            ensureRow(row);
            int base = row * cols + b.col0();
            if (!noisy) {
                System.arraycopy(drifted, base, out, j, b.cols());
                j += b.cols();
                continue;
            }
            for (int i = base, end = base + b.cols(); i < end; i++) {
                double z = random.gaussian(CellRandom.key(readStream, i, readCount[i]++));
                out[j++] = (float) noise.read(drifted[i], z);
            }
        }
        return new Frame(id, ++frameSequence, clockSeconds, b, out, false);
    }

    /**
     * Recomputes a row's drifted conductances when the drift time moved since it was cached.
     * {@link DeviceNoise#drifted} takes ln((dt + t0) / t0), which is shared by neighbours programmed at
     * the same time (usually the whole row) and computed once for them; StrictMath
     * keeps the values identical on every JVM, so a restored array reads bit for bit the same.
     */
    private void ensureRow(int row) {
        if (rowDriftTime[row] == driftTime) {
            return;
        }
        float high = (float) noise.stuckConductance(DeviceNoise.Stuck.AT_GMAX);
        float low = (float) noise.stuckConductance(DeviceNoise.Stuck.AT_GMIN);
        double programmedAt = Double.NaN;
        double logAge = 0;
        for (int i = row * cols, end = i + cols; i < end; i++) {
            byte f = fault[i];
            if (f == STUCK_HIGH) {
                drifted[i] = high;
                continue;
            }
            if (f == STUCK_LOW) {
                drifted[i] = low;
                continue;
            }
            if (driftTimeProgrammed[i] != programmedAt) {
                programmedAt = driftTimeProgrammed[i];
                logAge = noise.driftLogAge(driftTime - programmedAt);
            }
            drifted[i] = (float) noise.drifted(gProg[i], nu[i], logAge);
        }
        rowDriftTime[row] = driftTime;
    }

    public synchronized void advanceClock(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new DeviceException("cannot advance the clock of array '" + id + "' by " + seconds
                    + " s; give a finite number of seconds >= 0");
        }
        clockSeconds += seconds;
        driftTime += seconds * acceleration;
    }

    public synchronized void setTemperature(double kelvin) {
        if (!(kelvin >= 1 && kelvin <= 2000)) {
            throw new DeviceException("temperature " + kelvin + " K for array '" + id
                    + "' is outside 1..2000 K; give the temperature in kelvin (e.g. 423.15 for 150 C)");
        }
        temperatureKelvin = kelvin;
        afterRestore();
    }

    public synchronized ArrayHealth health() {
        return new ArrayHealth(id, ArrayHealth.LinkState.CONNECTED, clockSeconds, temperatureKelvin,
                "simulated " + rows + "x" + cols + ", preset " + preset.name() + ", seed " + seed
                        + ", pulses " + totalPulses + ", frames " + frameSequence);
    }

    public synchronized double clockSeconds() {
        return clockSeconds;
    }

    public synchronized double temperatureKelvin() {
        return temperatureKelvin;
    }

    /** Drift time: the clock, accelerated by the Arrhenius factor while baked. */
    public synchronized double driftTimeSeconds() {
        return driftTime;
    }

    public synchronized long totalPulses() {
        return totalPulses;
    }

    // ---- truth, for tests and the emulator (an estimator must not use these) ----

    public synchronized Fault fault(int row, int col) {
        return Fault.of(fault[index(row, col)]);
    }

    public synchronized float programmedSiemens(int row, int col) {
        return gProg[index(row, col)];
    }

    public synchronized float driftExponent(int row, int col) {
        return nu[index(row, col)];
    }

    /** What the device conducts now, without read noise. */
    public synchronized float noiseFreeSiemens(int row, int col) {
        ensureRow(row);
        return drifted[index(row, col)];
    }

    private int index(int row, int col) {
        new Block(row, col, 1, 1).requireIn(id, rows, cols, "inspect");
        return row * cols + col;
    }
}
