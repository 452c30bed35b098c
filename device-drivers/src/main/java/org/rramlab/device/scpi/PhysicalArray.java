package org.rramlab.device.scpi;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.rramlab.device.ArrayHealth;
import org.rramlab.device.AsyncOps;
import org.rramlab.device.Block;
import org.rramlab.device.DeviceException;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.noise.DeviceNoise;
import org.rramlab.device.RramArray;
import org.rramlab.device.scpi.AnalyzerReplies.DataItem;
import org.rramlab.device.visa.Transports;

/**
 * A 1T1R array on a wafer, behind three instruments at their own addresses: a prober (which die,
 * probes down), a cell router (switch matrix or array board: which lines) and a B1500 (force and
 * measure).
 *
 * <p>A read connects the gate SMU to the row's word line, ground to its source line and the bit
 * SMUs to bit lines, forces the gate bias on the word line and the read voltage on the bit lines,
 * and measures the bit-line currents; G = I / V_read. {@link ReadMode#ROW} measures as many cells
 * at once as there are bit SMUs (MM 1 + XE); {@link ReadMode#CELL} one cell at a time (TI).
 *
 * <p>Programming is a SET pulse per cell from a bit SMU in pulsed mode, with the word-line gate
 * at the voltage the {@link ProgrammingCurve} gives for the target; write-verify runs here: read,
 * and pulse again while the cell is out of tolerance, up to the preset's maximum. A pulse whose
 * reply is lost is counted as applied and never repeated blindly (with write-verify the read-back
 * decides whether another is needed).
 *
 * <p>No planned read is lost: a unit interrupted by the link or a garbled reply is re-issued on a
 * new connection; a value answered with a bad status is measured again on its own, up to
 * {@link Options#statusRetries()} times, and left NaN only if it never comes back clean. A frame
 * is {@link Frame#suspect() suspect} when any of its values needed either kind of repair.
 *
 * <p>Time on the devices is wall time: {@link #advanceClock} sends nothing, it only moves the
 * array's clock as seen by its callers (who waited); {@link #setTemperature} sets the chuck heater
 * and waits until it is stable.
 */
public final class PhysicalArray implements RramArray {
    /**
     * ROW: the bit SMUs of a routing in one multi-channel spot measurement, one channel after the
     * other on the high-resolution ADC (pA resolution); PARALLEL: the same with the B1500's
     * parallel mode ({@code PAD 1}, high-speed ADC), one integration for all of them; CELL: one
     * cell per routing ({@code TI}).
     */
    public enum ReadMode { ROW, CELL, PARALLEL }

    /**
     * @param preset           gives the conductance of each level and the write-verify tolerance
     * @param die              die index of the wafer map holding this array
     * @param readVolts        read voltage on the bit lines
     * @param gateReadVolts    word-line gate bias during a read (transistor fully on)
     * @param complianceAmps   current compliance of the bit SMUs during a read
     * @param setVolts         SET pulse amplitude on the bit line
     * @param pulseSeconds     SET pulse width
     * @param statusRetries    re-measurements of a value answered with a bad status
     * @param operationTimeout bound on each array operation (a whole block read, for instance)
     */
    public record Options(DevicePreset preset, int die, ReadMode mode, Wiring wiring, ProgrammingCurve curve,
                          double readVolts, double gateReadVolts, double complianceAmps, double setVolts, double pulseSeconds,
                          int statusRetries, Duration operationTimeout, LinkOptions link, LinkOptions proberLink,
                          ParameterAnalyzer.Settings analyzer, VeloxProber.Settings prober, SwitchMatrix.Layout matrix,
                          Duration settle, Transports.Opener opener) {
        public static Options defaults(DevicePreset preset, int rows, int cols) {
            return new Options(preset, 0, ReadMode.PARALLEL, Wiring.standard(rows, cols, 4), ProgrammingCurve.forPreset(preset),
                    0.2, 2.5, 1e-3, 1.5, 1e-3, 5, Duration.ofMinutes(30), LinkOptions.defaults(),
                    LinkOptions.defaults(), ParameterAnalyzer.Settings.defaults(), VeloxProber.Settings.defaults(),
                    SwitchMatrix.Layout.defaults(), Duration.ofMillis(5), Transports::open);
        }

        public Options withMode(ReadMode m) {
            return new Options(preset, die, m, wiring, curve, readVolts, gateReadVolts, complianceAmps, setVolts, pulseSeconds,
                    statusRetries, operationTimeout, link, proberLink, analyzer, prober, matrix, settle, opener);
        }

        public Options withDie(int d) {
            return new Options(preset, d, mode, wiring, curve, readVolts, gateReadVolts, complianceAmps, setVolts, pulseSeconds,
                    statusRetries, operationTimeout, link, proberLink, analyzer, prober, matrix, settle, opener);
        }

        public Options withLink(LinkOptions l, LinkOptions proberL) {
            return new Options(preset, die, mode, wiring, curve, readVolts, gateReadVolts, complianceAmps, setVolts, pulseSeconds,
                    statusRetries, operationTimeout, l, proberL, analyzer, prober, matrix, settle, opener);
        }

        public Options withTiming(Duration settleTime, VeloxProber.Settings proberSettings, Duration operation) {
            return new Options(preset, die, mode, wiring, curve, readVolts, gateReadVolts, complianceAmps, setVolts, pulseSeconds,
                    statusRetries, operation, link, proberLink, analyzer, proberSettings, matrix, settleTime, opener);
        }

        public Options withWiring(Wiring w) {
            return new Options(preset, die, mode, w, curve, readVolts, gateReadVolts, complianceAmps, setVolts, pulseSeconds,
                    statusRetries, operationTimeout, link, proberLink, analyzer, prober, matrix, settle, opener);
        }

        public Options withMatrix(SwitchMatrix.Layout m) {
            return new Options(preset, die, mode, wiring, curve, readVolts, gateReadVolts, complianceAmps, setVolts, pulseSeconds,
                    statusRetries, operationTimeout, link, proberLink, analyzer, prober, m, settle, opener);
        }

        public Options withOpener(Transports.Opener o) {
            return new Options(preset, die, mode, wiring, curve, readVolts, gateReadVolts, complianceAmps, setVolts, pulseSeconds,
                    statusRetries, operationTimeout, link, proberLink, analyzer, prober, matrix, settle, o);
        }
    }

    private final String id;
    private final int rows;
    private final int cols;
    private final Options options;
    private final ParameterAnalyzer analyzer;
    private final CellRouter router;
    private final VeloxProber prober;
    private final ExecutorService io;
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean ready;
    /** The instruments' answers to *IDN? (and the prober's version), asked once on connect. */
    private volatile String identity;
    private volatile long statusRepairs;
    private volatile long uncertainPulses;
    private volatile double clockSeconds;

    public PhysicalArray(String id, int rows, int cols, StationAddresses at, Options options) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("array shape must be positive, got " + rows + "x" + cols);
        }
        if (!at.board()) {
            options.wiring().check(rows, cols, options.matrix());
        }
        this.id = id;
        this.rows = rows;
        this.cols = cols;
        this.options = options;
        Wiring w = options.wiring();
        ParameterAnalyzer.Settings adc = options.mode() == ReadMode.PARALLEL && w.bitChannels().length > 1
                ? options.analyzer().inParallel() : options.analyzer();
        this.analyzer = new ParameterAnalyzer(at.analyzer(), options.link(), adc, options.opener(), w.channels());
        this.router = at.board()
                ? new ArrayBoard(at.router(), options.link(), w.bitChannels().length, options.settle(), options.opener())
                : new MatrixRouter(new SwitchMatrix(at.router(), options.link(), options.matrix(), options.settle(),
                        options.opener()), w);
        this.prober = new VeloxProber(at.prober(), options.proberLink(), options.prober(), options.opener());
        this.io = AsyncOps.singleThread("instruments-" + id);
    }

    public ParameterAnalyzer analyzer() {
        return analyzer;
    }

    public CellRouter router() {
        return router;
    }

    public VeloxProber prober() {
        return prober;
    }

    /** Values re-measured because the instrument answered a bad status. */
    public long statusRepairs() {
        return statusRepairs;
    }

    /** Pulses whose reply was lost: counted as applied, never repeated blindly. */
    public long uncertainPulses() {
        return uncertainPulses;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    private void ensureReady() {
        if (ready) {
            return;
        }
        String idn = analyzer.identify();
        if (!idn.contains("B1500")) {
            throw new DeviceException("the instrument at " + analyzer.session().address() + " identifies as '" + idn
                    + "', not a B1500 parameter analyzer; give the analyzer's address as the analyzer");
        }
        analyzer.checkModules();
        String routerIdn = router.identify();
        if (router instanceof MatrixRouter && !(routerIdn.contains("B220") || routerIdn.contains("E5250"))) {
            throw new DeviceException("the instrument at " + router.session().address() + " identifies as '" + routerIdn
                    + "', not a B2200A/B2201A/E5250A switch matrix; give the matrix's address as the matrix");
        }
        DieStep step;
        try {
            step = prober.stepToDie(options.die());
        } catch (InstrumentErrorException refused) {
            throw new DeviceException("the prober refused to step to die " + options.die() + " (" + refused.getMessage()
                    + "); choose a die number on the wafer map", refused);
        }
        if (step instanceof DieStep.EndOfWafer) {
            throw new DeviceException("die " + options.die() + " is not on the wafer map (beyond its end); choose a die on the map");
        }
        String proberIdn;
        try {
            proberIdn = prober.identify();
        } catch (InstrumentErrorException | MalformedReplyException refused) {
            // a message server that does not know the command still moves the chuck: record why, go on
            proberIdn = "(no version: " + refused.getMessage() + ")";
        }
        prober.moveChuckContact();
        identity = "analyzer: " + idn + "; " + (router instanceof MatrixRouter ? "matrix: " : "board: ") + routerIdn
                + "; prober: " + proberIdn;
        ready = true;
    }

    private long linkRetries() {
        return analyzer.session().retries() + router.session().retries() + prober.session().retries();
    }

    /** DV on the gate and on the first {@code n} bit SMUs: the read bias. */
    String readSetup(int n) {
        Wiring w = options.wiring();
        StringBuilder b = new StringBuilder(ParameterAnalyzer.dv(w.gateChannel(), options.gateReadVolts(), 1e-4));
        for (int j = 0; j < n; j++) {
            b.append(';').append(ParameterAnalyzer.dv(w.bitChannels()[j], options.readVolts(), options.complianceAmps()));
        }
        return b.toString();
    }

    private float siemens(DataItem item) {
        return item.ok() ? (float) (item.value() / options.readVolts()) : Float.NaN;
    }

    /** One cell alone, re-measured until clean or out of tries; NaN if it never is. */
    private float readCell(int row, int col, boolean[] repaired) {
        router.connect(row, col, 1);
        int bit = options.wiring().bitChannels()[0];
        DataItem item = analyzer.spotCurrent(readSetup(1), bit);
        for (int attempt = 0; !item.ok() && attempt < options.statusRetries(); attempt++) {
            repaired[0] = true;
            statusRepairs++;
            item = analyzer.spotCurrent(readSetup(1), bit);
        }
        repaired[0] |= !item.ok();
        return siemens(item);
    }

    @Override
    public CompletionStage<Frame> read(Block block) {
        return AsyncOps.run(io, options.operationTimeout(), "reading " + block + " of array '" + id + "'", () -> {
            block.requireIn(id, rows, cols, "read");
            ensureReady();
            long retriesBefore = linkRetries();
            float[] out = new float[block.cells()];
            boolean[] repaired = {false};
            int width = options.mode() == ReadMode.CELL ? 1 : router.width();
            int[] bits = options.wiring().bitChannels();
            for (int r = 0; r < block.rows(); r++) {
                int row = block.row0() + r;
                for (int c = 0; c < block.cols(); c += width) {
                    int n = Math.min(width, block.cols() - c);
                    int col0 = block.col0() + c;
                    if (n == 1) {
                        out[r * block.cols() + c] = readCell(row, col0, repaired);
                        continue;
                    }
                    router.connect(row, col0, n);
                    List<DataItem> items = analyzer.multiSpot(readSetup(n), java.util.Arrays.copyOf(bits, n));
                    for (int j = 0; j < n; j++) {
                        DataItem item = items.get(j);
                        if (item.ok()) {
                            out[r * block.cols() + c + j] = siemens(item);
                        } else {
                            repaired[0] = true;
                            statusRepairs++;
                            out[r * block.cols() + c + j] = readCell(row, col0 + j, repaired);
                        }
                    }
                }
            }
            boolean suspect = repaired[0] || linkRetries() != retriesBefore;
            return new Frame(id, sequence.incrementAndGet(), clockSeconds, block, out, suspect);
        });
    }

    @Override
    public CompletionStage<ProgramResult> program(ProgramRequest request) {
        return AsyncOps.run(io, options.operationTimeout(), "programming " + request.block() + " of array '" + id + "'", () -> {
            Block b = request.block();
            b.requireIn(id, rows, cols, "program");
            DevicePreset preset = options.preset();
            DeviceNoise law = DeviceNoise.of(preset);
            float[] targets = new float[b.cells()];
            for (int j = 0; j < targets.length; j++) {
                if (request.levels() != null && (request.levels()[j] < 0 || request.levels()[j] >= preset.levels())) {
                    throw new DeviceException("level " + request.levels()[j] + " at position " + j + " is outside 0.."
                            + (preset.levels() - 1) + " of preset " + preset.name() + "; give levels in that range");
                }
                targets[j] = request.levels() != null ? (float) law.level(request.levels()[j]) : request.targetSiemens()[j];
                if (!(targets[j] > 0 && Float.isFinite(targets[j]))) {
                    throw new DeviceException("target conductance " + targets[j] + " S at position " + j
                            + " is not a positive finite number; give targets in siemens, e.g. 5e-5");
                }
            }
            ensureReady();
            long pulses = 0;
            int outOfTolerance = 0;
            for (int r = 0; r < b.rows(); r++) {
                for (int c = 0; c < b.cols(); c++) {
                    float target = targets[r * b.cols() + c];
                    int[] used = {0};
                    boolean ok = programCell(b.row0() + r, b.col0() + c, target, request.writeVerify(), used);
                    pulses += used[0];
                    if (request.writeVerify() && !ok) {
                        outOfTolerance++;
                    }
                }
            }
            return new ProgramResult(b, pulses, pulses * options.pulseSeconds(), outOfTolerance);
        });
    }

    /** SET pulses on one cell; returns whether it ended within tolerance (always true without verify). */
    private boolean programCell(int row, int col, double target, boolean verify, int[] pulses) {
        DevicePreset preset = options.preset();
        double tolerance = preset.writeVerify().toleranceRelative();
        int max = verify ? preset.writeVerify().maxPulses() : 1;
        int bit = options.wiring().bitChannels()[0];
        String gate = ParameterAnalyzer.dv(options.wiring().gateChannel(), options.curve().gateVolts(target), 1e-4);
        boolean[] ignored = {false};
        while (pulses[0] < max) {
            router.connect(row, col, 1);
            try {
                analyzer.pulse(gate, bit, 0, options.setVolts(), options.pulseSeconds(), options.complianceAmps());
            } catch (LinkException | MalformedReplyException e) {
                // XE was sent and may have pulsed the cell: count it as applied, never pulse again blindly;
                // with write-verify the read-back below decides whether another pulse is needed
                uncertainPulses++;
            }
            pulses[0]++;
            if (!verify) {
                return true;
            }
            double g = readCell(row, col, ignored);
            if (Math.abs(g - target) <= tolerance * target) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CompletionStage<Void> advanceClock(double seconds) {
        return AsyncOps.run(io, options.operationTimeout(), "advancing the clock of array '" + id + "'", () -> {
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new DeviceException("cannot advance the clock by " + seconds + " s; give a finite number >= 0");
            }
            clockSeconds += seconds; // wall time passed for the devices while the caller waited
            return null;
        });
    }

    @Override
    public CompletionStage<Void> setTemperature(double kelvin) {
        return AsyncOps.run(io, options.operationTimeout(), "setting the temperature of array '" + id + "'", () -> {
            prober.setHeaterCelsius(kelvin - 273.15);
            return null;
        });
    }

    @Override
    public CompletionStage<ArrayHealth> health() {
        return AsyncOps.run(io, options.operationTimeout(), "health of array '" + id + "'", () -> {
            try {
                ensureReady();
                double kelvin = prober.heaterCelsius() + 273.15;
                return new ArrayHealth(id, worst(), clockSeconds, kelvin, "die " + options.die() + "; analyzer "
                        + analyzer.session().address() + ", router " + router.session().address() + ", prober "
                        + prober.session().address() + "; link retries " + linkRetries() + ", reconnects "
                        + (analyzer.session().reconnects() + router.session().reconnects() + prober.session().reconnects())
                        + ", values re-measured " + statusRepairs + ", motion re-checks " + prober.motionRechecks());
            } catch (InstrumentException e) {
                return new ArrayHealth(id, ArrayHealth.LinkState.FAILED, clockSeconds, Double.NaN, e.getMessage());
            }
        });
    }

    private ArrayHealth.LinkState worst() {
        ArrayHealth.LinkState w = analyzer.session().state();
        for (ArrayHealth.LinkState s : new ArrayHealth.LinkState[] {router.state(), prober.session().state()}) {
            w = s.ordinal() > w.ordinal() ? s : w;
        }
        return w;
    }

    @Override
    public void close() {
        io.shutdownNow();
        analyzer.close();
        router.close();
        prober.close();
    }
}
