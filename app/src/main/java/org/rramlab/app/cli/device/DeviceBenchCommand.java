package org.rramlab.app.cli.device;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rramlab.device.AsyncOps;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.emulator.FaultSpec;
import org.rramlab.device.emulator.StationEmulator;
import org.rramlab.device.scpi.PhysicalArray;
import org.rramlab.device.sim.ArrayModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Benchmark simulated and emulated array throughput. Every figure is measured on one thread
 * (per core), after a warm-up, within a share of the time budget.
 */
@Command(name = "device", mixinStandardHelpOptions = true, description = {
        "Benchmark simulated and emulated array throughput: simulated reads (cells/s per core, clock fixed and",
        "clock moving), programming with and without write-verify, reads through the instrument emulator over",
        "loopback, and the time to recover from a dropped connection."})
public class DeviceBenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    ArrayOptions device = new ArrayOptions(256, 256);

    @Option(names = "--seconds", defaultValue = "10", description = "total time budget in seconds (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--settle-ms", defaultValue = "5", description = "matrix settle time before each measurement, ms (default: ${DEFAULT-VALUE})")
    double settleMs;

    @Option(names = "--relay-ms", defaultValue = "3", description = "emulated matrix relay time answered by *OPC?, ms (default: ${DEFAULT-VALUE})")
    long relayMs;

    @Option(names = "--real-timing", description = {"the emulated instruments take the time real ones take (1 PLC = 20 ms",
            "integration per measured channel at 50 Hz, --relay-ms relays); prints the rates a station would reach and the",
            "limit the timing model implies"})
    boolean realTiming;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    private StationEmulator.Config emulatorConfig(DevicePreset p, int er, int ec, org.rramlab.device.scpi.InstrumentTiming timing) {
        StationEmulator.Config c = StationEmulator.Config.of(p, er, ec, 1, 1, FaultSpec.NONE).withTiming(relayMs, 500, 0);
        return realTiming ? c.withRealTiming(timing) : c;
    }

    /** Runs {@code op} repeatedly for about {@code budget} seconds after a short warm-up; returns ops per second. */
    private static double rate(double budget, Runnable op) {
        long warmEnd = System.nanoTime() + (long) (Math.min(0.3, budget * 0.2) * 1e9);
        while (System.nanoTime() < warmEnd) {
            op.run();
        }
        long n = 0;
        long start = System.nanoTime();
        long end = start + (long) (budget * 1e9);
        long now;
        do {
            op.run();
            n++;
            now = System.nanoTime();
        } while (now < end);
        return n / ((now - start) / 1e9);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int rows = device.rows;
        int cols = device.cols;
        DevicePreset p;
        try {
            if (!(seconds >= 1) || seconds > 3600) {
                throw new IllegalArgumentException("--seconds must be in 1..3600, got " + seconds);
            }
            p = device.load();
        } catch (IllegalArgumentException e) {
            err.println("rramlab bench device: " + e.getMessage());
            return 2;
        }
        int cells = rows * cols;
        Block all = new Block(0, 0, rows, cols);
        int[] levels = new int[cells];
        for (int i = 0; i < cells; i++) levels[i] = i % p.levels();

        ArrayModel model = new ArrayModel("bench", p, rows, cols, 1);
        model.program(ProgramRequest.ofLevels(all, levels, false));
        double readsFixed = rate(seconds * 0.2, () -> model.read(all)) * cells;
        double readsMoving = rate(seconds * 0.1, () -> {
            model.advanceClock(1);
            model.read(all);
        }) * cells;
        ProgramRequest plain = ProgramRequest.ofLevels(all, levels, false);
        ProgramRequest verified = ProgramRequest.ofLevels(all, levels, true);
        double programPlain = rate(seconds * 0.1, () -> model.program(plain)) * cells;
        long pulsesBefore = model.totalPulses();
        long[] programs = {0};
        double programVerify = rate(seconds * 0.1, () -> {
            model.program(verified);
            programs[0]++;
        }) * cells;

        // through the matrix + analyzer + prober emulators over loopback, with the settle time of a real matrix;
        // 16 x 16 is the largest array a 4-card matrix (48 outputs) reaches with the standard wiring
        int er = Math.min(rows, 16);
        int ec = Math.min(cols, 16);
        Block emulated = new Block(0, 0, er, ec);
        int[] emulatedLevels = new int[emulated.cells()];
        for (int i = 0; i < emulatedLevels.length; i++) emulatedLevels[i] = i % p.levels();
        ProgramRequest emulatedPlain = ProgramRequest.ofLevels(emulated, emulatedLevels, false);
        double wireReads;
        double wireRowReads;
        double wireCellReads;
        List<Long> recoveries = new ArrayList<>();
        long drops;
        Duration settle = Duration.ofNanos(Math.round(settleMs * 1e6));
        org.rramlab.device.scpi.InstrumentTiming timing = new org.rramlab.device.scpi.InstrumentTiming(50, relayMs, settleMs, 0, 1000,
                300);
        try (StationEmulator emulator = new StationEmulator(emulatorConfig(p, er, ec, timing)).start();
             PhysicalArray array = StationOptions.open("bench", er, ec, emulator, PhysicalArray.Options.defaults(p, er, ec)
                     .withTiming(settle, org.rramlab.device.scpi.VeloxProber.Settings.defaults(), Duration.ofMinutes(30)))) {
            AsyncOps.await(array.program(emulatedPlain));
            wireReads = rate(seconds * 0.2, () -> AsyncOps.await(array.read(emulated))) * emulated.cells();
        }
        // the same read with the row's channels measured one after the other (MM 1 without PAD, high-resolution ADC)
        try (StationEmulator emulator = new StationEmulator(emulatorConfig(p, er, ec, timing)).start();
             PhysicalArray array = StationOptions.open("bench", er, ec, emulator, PhysicalArray.Options.defaults(p, er, ec)
                     .withMode(PhysicalArray.ReadMode.ROW)
                     .withTiming(settle, org.rramlab.device.scpi.VeloxProber.Settings.defaults(), Duration.ofMinutes(30)))) {
            AsyncOps.await(array.program(emulatedPlain));
            wireRowReads = rate(seconds * 0.2, () -> AsyncOps.await(array.read(emulated))) * emulated.cells();
        }
        Block row = new Block(0, 0, 1, ec);
        try (StationEmulator emulator = new StationEmulator(emulatorConfig(p, er, ec, timing)).start();
             PhysicalArray array = StationOptions.open("bench", er, ec, emulator, PhysicalArray.Options.defaults(p, er, ec)
                     .withMode(PhysicalArray.ReadMode.CELL)
                     .withTiming(settle, org.rramlab.device.scpi.VeloxProber.Settings.defaults(), Duration.ofMinutes(30)))) {
            wireCellReads = rate(seconds * 0.1, () -> AsyncOps.await(array.read(row))) * row.cells();
        }
        // drop the connection every 50 commands, read rows, time each recovery (backoff included)
        try (StationEmulator emulator = new StationEmulator(StationEmulator.Config.of(p, er, ec, 1, 1,
                FaultSpec.parse("drop-after=50"))).start();
             PhysicalArray array = StationOptions.open("bench", er, ec, emulator, PhysicalArray.Options.defaults(p, er, ec))) {
            rate(seconds * 0.2, () -> AsyncOps.await(array.read(row)));
            recoveries.addAll(array.analyzer().session().recoveryNanos());
            recoveries.addAll(array.router().session().recoveryNanos());
            recoveries.addAll(array.prober().session().recoveryNanos());
            drops = emulator.drops();
        }
        Collections.sort(recoveries);
        double medianMs = recoveries.isEmpty() ? Double.NaN : recoveries.get(recoveries.size() / 2) / 1e6;
        double maxMs = recoveries.isEmpty() ? Double.NaN : recoveries.get(recoveries.size() - 1) / 1e6;

        ObjectNode result = new ObjectMapper().createObjectNode();
        result.put("rows", rows);
        result.put("cols", cols);
        result.put("preset", p.name());
        result.put("sim_cell_reads_per_second_clock_fixed", Math.round(readsFixed));
        result.put("sim_cell_reads_per_second_clock_moving", Math.round(readsMoving));
        result.put("sim_cells_programmed_per_second", Math.round(programPlain));
        result.put("sim_cells_programmed_per_second_write_verify", Math.round(programVerify));
        result.put("write_verify_pulses_per_cell", programs[0] == 0 ? 0
                : (double) (model.totalPulses() - pulsesBefore) / (programs[0] * (double) cells));
        result.put("emulator_block", er + "x" + ec);
        result.put("emulator_settle_ms", settleMs);
        result.put("emulator_relay_ms", relayMs);
        result.put("emulator_cell_reads_per_second_parallel_mode", Math.round(wireReads));
        result.put("emulator_cell_reads_per_second_row_mode", Math.round(wireRowReads));
        result.put("emulator_cell_reads_per_second_cell_mode", Math.round(wireCellReads));
        result.put("emulator_real_timing", realTiming);
        if (realTiming) {
            // the limit the timing model implies (no round trips: loopback), for 4 bit SMUs and for one
            double integration = timing.integrationSeconds(1, 2, 1);
            result.put("limit_cells_per_second_parallel_mode", Math.round(4 / (timing.routingSeconds()
                    + timing.measureSeconds(4, timing.integrationSeconds(0, 2, 1), true)) * 10) / 10.0);
            result.put("limit_cells_per_second_row_mode", Math.round(4 / (timing.routingSeconds() + timing.measureSeconds(4, integration))
                    * 10) / 10.0);
            result.put("limit_cells_per_second_cell_mode", Math.round(1 / (timing.routingSeconds() + timing.measureSeconds(1, integration))
                    * 10) / 10.0);
        }
        result.put("emulator_drops", drops);
        result.put("emulator_recoveries", recoveries.size());
        result.put("emulator_recovery_ms_median", medianMs);
        result.put("emulator_recovery_ms_max", maxMs);
        result.put("processors", Runtime.getRuntime().availableProcessors());
        if (json) {
            out.println(result.toString());
        } else {
            result.fields().forEachRemaining(e -> out.println(String.format(Locale.ROOT, "%-48s %s", e.getKey(), e.getValue())));
        }
        out.flush();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new DeviceBenchCommand()).execute(args));
    }
}
