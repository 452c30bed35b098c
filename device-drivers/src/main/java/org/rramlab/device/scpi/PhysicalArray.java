package org.rramlab.device.scpi;

import java.net.URI;
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
import org.rramlab.device.RramArray;
import org.rramlab.device.scpi.AnalyzerReplies.DataItem;
import org.rramlab.device.scpi.AnalyzerReplies.ProgramReply;

/**
 * An array on a wafer, reached through a probe station (which die) and a parameter analyzer
 * (which cell, force and measure). Conductance is I / V_read from the spot current under the
 * read bias. Reads go row by row ({@link ReadMode#ROW}, one TIR query per row) or cell by cell
 * ({@link ReadMode#CELL}, SEL + TI per cell).
 *
 * <p>No planned read is lost: a unit interrupted by the link or a garbled reply is re-issued on a
 * new connection; a value answered with compliance or overflow is measured again on its own, up
 * to {@link Options#statusRetries()} times, and left NaN only if it never comes back clean. A frame
 * is {@link Frame#suspect() suspect} when any of its values needed either kind of repair.
 */
public final class PhysicalArray implements RramArray {
    public enum ReadMode { ROW, CELL }

    /**
     * @param preset           gives the conductance of each level
     * @param die              die of the wafer map holding this array
     * @param readVolts        read bias
     * @param complianceAmps   current compliance under the read bias
     * @param statusRetries    re-measurements of a value answered with compliance or overflow
     * @param operationTimeout bound on each array operation (a whole block read, for instance)
     */
    public record Options(DevicePreset preset, int die, ReadMode mode, int channel, double readVolts,
                          double complianceAmps, int statusRetries, Duration operationTimeout, LinkOptions link) {
        public static Options defaults(DevicePreset preset) {
            return new Options(preset, 0, ReadMode.ROW, 1, 0.2, 1e-3, 5, Duration.ofMinutes(10), LinkOptions.defaults());
        }

        public Options withMode(ReadMode m) {
            return new Options(preset, die, m, channel, readVolts, complianceAmps, statusRetries, operationTimeout, link);
        }

        public Options withDie(int d) {
            return new Options(preset, d, mode, channel, readVolts, complianceAmps, statusRetries, operationTimeout, link);
        }

        public Options withLink(LinkOptions l) {
            return new Options(preset, die, mode, channel, readVolts, complianceAmps, statusRetries, operationTimeout, l);
        }
    }

    private final String id;
    private final int rows;
    private final int cols;
    private final Options options;
    private final ParameterAnalyzer analyzer;
    private final ProbeStation probe;
    private final ExecutorService io;
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean ready;
    private volatile long statusRepairs;

    public PhysicalArray(String id, int rows, int cols, String host, int port, Options options) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("array shape must be positive, got " + rows + "x" + cols);
        }
        this.id = id;
        this.rows = rows;
        this.cols = cols;
        this.options = options;
        this.analyzer = new ParameterAnalyzer(host, port, options.link(), options.channel());
        this.probe = new ProbeStation(host, port, options.link());
        int die = options.die();
        // on every connection to the station: back to our die, probes down
        probe.session().onConnect(link -> {
            String step = "StepNextDie " + die;
            String raw = link.query(step);
            ProbeReplies.Reply r = ProbeReplies.expect(raw, step, true);
            if (r.code() == ProbeReplies.END_OF_WAFER) {
                throw new InstrumentErrorException("probe station", step, r.code(),
                        "die " + die + " is beyond the end of the wafer; choose a die on the wafer map");
            }
            ProbeReplies.ints(r, 3, raw);
            ProbeReplies.expect(link.query("MoveChuckContact"), "MoveChuckContact", false);
        });
        this.io = AsyncOps.singleThread("instruments-" + id);
    }

    /** Connects to {@code scpi://HOST:PORT}, where one port serves both instruments (the emulator's way). */
    public static PhysicalArray connect(String id, String uri, int rows, int cols, Options options) {
        URI u;
        try {
            u = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("instrument address '" + uri + "' is not a URI; give scpi://HOST:PORT", e);
        }
        if (!"scpi".equals(u.getScheme()) || u.getHost() == null || u.getPort() <= 0) {
            throw new IllegalArgumentException("instrument address '" + uri + "' must look like scpi://HOST:PORT, "
                    + "for example scpi://127.0.0.1:5025");
        }
        return new PhysicalArray(id, rows, cols, u.getHost(), u.getPort(), options);
    }

    public ParameterAnalyzer analyzer() {
        return analyzer;
    }

    public ProbeStation probeStation() {
        return probe;
    }

    /** Values re-measured because the instrument answered compliance or overflow. */
    public long statusRepairs() {
        return statusRepairs;
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

    private void ensureReady() {
        if (ready) {
            return;
        }
        String idn = analyzer.identify();
        if (!idn.contains("B1500")) {
            throw new DeviceException("the instrument at " + analyzer.session().address() + " identifies as '" + idn
                    + "', not a B1500-style parameter analyzer; point the driver at the analyzer's address");
        }
        analyzer.setReadBias(options.readVolts(), options.complianceAmps());
        probe.readArrayClock(); // connects the station: steps to the die and makes contact
        ready = true;
    }

    private long linkRetries() {
        return analyzer.session().retries() + probe.session().retries();
    }

    @Override
    public CompletionStage<ProgramResult> program(ProgramRequest request) {
        return AsyncOps.run(io, options.operationTimeout(), "programming " + request.block() + " of array '" + id + "'", () -> {
            Block b = request.block();
            b.requireIn(id, rows, cols, "program");
            ensureReady();
            float[] targets = new float[b.cells()];
            for (int j = 0; j < targets.length; j++) {
                targets[j] = request.levels() != null
                        ? (float) options.preset().levelSiemens(request.levels()[j])
                        : request.targetSiemens()[j];
            }
            long pulses = 0;
            double seconds = 0;
            int out = 0;
            for (int r = 0; r < b.rows(); r++) {
                int row = b.row0() + r;
                if (options.mode() == ReadMode.ROW) {
                    ProgramReply reply = analyzer.programRow(row, b.col0(), request.writeVerify(),
                            java.util.Arrays.copyOfRange(targets, r * b.cols(), (r + 1) * b.cols()));
                    pulses += reply.pulses();
                    seconds += reply.seconds();
                    out += reply.cellsOutOfTolerance();
                } else {
                    for (int c = 0; c < b.cols(); c++) {
                        ProgramReply reply = analyzer.programRow(row, b.col0() + c, request.writeVerify(),
                                new float[] {targets[r * b.cols() + c]});
                        pulses += reply.pulses();
                        seconds += reply.seconds();
                        out += reply.cellsOutOfTolerance();
                    }
                }
            }
            return new ProgramResult(b, pulses, seconds, out);
        });
    }

    @Override
    public CompletionStage<Frame> read(Block block) {
        return AsyncOps.run(io, options.operationTimeout(), "reading " + block + " of array '" + id + "'", () -> {
            block.requireIn(id, rows, cols, "read");
            ensureReady();
            long retriesBefore = linkRetries();
            double time = probe.readArrayClock()[0];
            float[] out = new float[block.cells()];
            boolean repaired = false;
            int j = 0;
            for (int r = 0; r < block.rows(); r++) {
                int row = block.row0() + r;
                List<DataItem> items = options.mode() == ReadMode.ROW ? analyzer.measureRow(row, block.col0(), block.cols()) : null;
                for (int c = 0; c < block.cols(); c++, j++) {
                    int col = block.col0() + c;
                    DataItem item = items != null ? items.get(c) : analyzer.measureCell(row, col);
                    for (int attempt = 0; !item.ok() && attempt < options.statusRetries(); attempt++) {
                        repaired = true;
                        statusRepairs++;
                        item = analyzer.measureCell(row, col);
                    }
                    repaired |= !item.ok();
                    out[j] = item.ok() ? (float) (item.value() / analyzer.biasVolts()) : Float.NaN;
                }
            }
            boolean suspect = repaired || linkRetries() != retriesBefore;
            return new Frame(id, sequence.incrementAndGet(), time, block, out, suspect);
        });
    }

    @Override
    public CompletionStage<Void> advanceClock(double seconds) {
        return AsyncOps.run(io, options.operationTimeout(), "advancing the clock of array '" + id + "'", () -> {
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new DeviceException("cannot advance the clock by " + seconds + " s; give a finite number >= 0");
            }
            ensureReady();
            double now = probe.readArrayClock()[0];
            probe.advanceClockTo(now + seconds);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> setTemperature(double kelvin) {
        return AsyncOps.run(io, options.operationTimeout(), "setting the temperature of array '" + id + "'", () -> {
            ensureReady();
            probe.setChuckTemperature(kelvin);
            return null;
        });
    }

    @Override
    public CompletionStage<ArrayHealth> health() {
        return AsyncOps.run(io, options.operationTimeout(), "health of array '" + id + "'", () -> {
            try {
                ensureReady();
                double[] clock = probe.readArrayClock();
                return new ArrayHealth(id, worst(), clock[0], clock[1], "die " + options.die() + " at "
                        + analyzer.session().address() + ", link retries " + linkRetries() + ", reconnects "
                        + (analyzer.session().reconnects() + probe.session().reconnects())
                        + ", values re-measured " + statusRepairs);
            } catch (InstrumentException e) {
                return new ArrayHealth(id, ArrayHealth.LinkState.FAILED, Double.NaN, Double.NaN, e.getMessage());
            }
        });
    }

    private ArrayHealth.LinkState worst() {
        ArrayHealth.LinkState a = analyzer.session().state();
        ArrayHealth.LinkState p = probe.session().state();
        return a.ordinal() > p.ordinal() ? a : p;
    }

    @Override
    public void close() {
        io.shutdownNow();
        analyzer.close();
        probe.close();
    }
}
