package org.rramlab.app.cli.device;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rramlab.device.emulator.FaultSpec;
import org.rramlab.device.emulator.StationEmulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Serve a probe station's instruments, each on its own port with its own protocol, backed by simulated arrays. */
@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = {"Serve a probe station's instruments over TCP, each on its own port and in its own protocol:",
                "a B1500 parameter analyzer (FLEX), a B2200A/E5250A switch matrix (SCPI), a Velox prober message server,",
                "optionally an array board and a VXI-11 host; backed by simulated arrays, one per die.",
                "Runs until interrupted (Ctrl-C)."})
public class EmulatorCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--analyzer-port", defaultValue = "5025", description = "B1500 raw-socket port, 0 for a free one (default: ${DEFAULT-VALUE})")
    int analyzerPort;

    @Option(names = "--matrix-port", defaultValue = "5026", description = "switch matrix raw-socket port (default: ${DEFAULT-VALUE})")
    int matrixPort;

    @Option(names = "--prober-port", defaultValue = "1412", description = "Velox message server port (default: ${DEFAULT-VALUE})")
    int proberPort;

    @Option(names = "--board-port", defaultValue = "-1", description = "array board port, -1 for none (default: ${DEFAULT-VALUE})")
    int boardPort;

    @Option(names = "--vxi11", description = "also serve the analyzer (inst0, gpib0,17), the matrix (gpib0,22) and the board (gpib0,23) over VXI-11")
    boolean vxi11;

    @Option(names = "--portmapper-port", defaultValue = "111", description = "ONC-RPC portmapper port with --vxi11 (111 needs privileges) (default: ${DEFAULT-VALUE})")
    int portmapperPort;

    @Option(names = "--core-port", defaultValue = "0", description = "VXI-11 core channel port with --vxi11, 0 for a free one (default: ${DEFAULT-VALUE})")
    int corePort;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind;

    @Mixin
    ArrayOptions device = new ArrayOptions(16, 16);

    @Option(names = "--seed", defaultValue = "1", description = "fabrication seed; die d gets seed + d (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--dies", defaultValue = "1", description = "dies on the wafer (default: ${DEFAULT-VALUE})")
    int dies;

    @Option(names = "--bit-smus", defaultValue = "4", description = "SMUs cabled to bit lines (default: ${DEFAULT-VALUE})")
    int bitSmus;

    @Option(names = "--matrix-model", defaultValue = "B2200A", description = "B2200A or E5250A (default: ${DEFAULT-VALUE})")
    String matrixModel;

    @Option(names = "--matrix-cards", defaultValue = "4", description = "cards of 12 outputs in the matrix, 1..4 (default: ${DEFAULT-VALUE})")
    int matrixCards;

    @Option(names = "--station", paramLabel = "FILE", description = {"a station file (config/stations/*.conf): the matrix model,",
            "cards and cabling the emulated instruments have; replaces --matrix-model, --matrix-cards and --bit-smus"})
    java.nio.file.Path stationFile;

    @Option(names = "--relay-ms", defaultValue = "0", description = "time the matrix takes to answer *OPC? (default: ${DEFAULT-VALUE})")
    long relayMs;

    @Option(names = "--real-timing", description = {"the instruments take the time real ones take: integration from AIT",
            "(1 PLC = 20 ms at 50 Hz per measured channel), --relay-ms (5 unless given), --step-ms, --contact-ms"})
    boolean realTiming;

    @Mixin
    ProberTimingOptions timing = new ProberTimingOptions();

    @Option(names = "--heater-rate", defaultValue = "0.5", description = "chuck heater ramp, K per second (default: ${DEFAULT-VALUE})")
    double heaterRate;

    @Option(names = "--time-scale", defaultValue = "1", description = {"emulator-only control: device seconds per wall second",
            "(0 freezes the devices' clock; real devices age in wall time) (default: ${DEFAULT-VALUE})"})
    double timeScale;

    @Option(names = "--faults", defaultValue = "none", description = {
            "faults to inject, comma-separated: drop-every=DURATION, drop-after=COMMANDS, delay=DURATION,",
            "garble=P, compliance=P, overflow=P, half-open-after=COMMANDS (e.g. drop-every=5s,garble=0.001)"})
    String faults;

    @Override
    public Integer call() {
        java.io.PrintWriter err = spec.commandLine().getErr();
        StationEmulator emulator;
        try {
            if (!matrixModel.equals("B2200A") && !matrixModel.equals("E5250A")) {
                throw new IllegalArgumentException("--matrix-model must be B2200A or E5250A, got " + matrixModel);
            }
            if (!(timeScale >= 0) || !(heaterRate > 0)) {
                throw new IllegalArgumentException("--time-scale must be >= 0 and --heater-rate > 0");
            }
            StationEmulator.Config config = new StationEmulator.Config(device.load(), device.rows, device.cols, dies, seed,
                    FaultSpec.parse(faults), bind, analyzerPort, matrixPort, proberPort, boardPort, vxi11, portmapperPort, corePort,
                    bitSmus, matrixModel.equals("E5250A"), matrixCards, relayMs, heaterRate, timeScale, null, null);
            if (realTiming) {
                config = config.withRealTiming(new org.rramlab.device.scpi.InstrumentTiming(timing.lineHz, relayMs > 0 ? relayMs : 5, 0, 0,
                        timing.stepMs, timing.contactMs));
            }
            if (stationFile != null) {
                org.rramlab.device.scpi.StationFile station = org.rramlab.device.scpi.StationFile.load(stationFile);
                if (boardPort < 0) {
                    station.check(device.rows, device.cols);
                }
                config = config.withStation(station);
                matrixModel = station.matrix().model().name();
            }
            emulator = new StationEmulator(config);
        } catch (IllegalArgumentException e) {
            err.println("rramlab emulator: " + e.getMessage());
            return 2;
        }
        try {
            emulator.start();
        } catch (IOException e) {
            emulator.close();
            err.println("rramlab emulator: cannot listen on " + bind + " (" + e.getMessage()
                    + "); choose other ports or stop what uses them" + (vxi11 && portmapperPort < 1024
                    ? "; port " + portmapperPort + " needs privileges: give --portmapper-port 1111 and the drivers the same" : ""));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            System.err.println("rramlab emulator: stopped; " + emulator.stats());
            stopped.countDown();
        }));
        java.io.PrintWriter out = spec.commandLine().getOut();
        out.println("rramlab emulator: " + dies + " die(s) of " + device.rows + "x" + device.cols + ", preset " + device.preset + ", seed " + seed
                + ", faults " + faults + ", time scale " + timeScale);
        out.println("  --analyzer " + emulator.analyzerAddress());
        out.println("  --matrix   " + emulator.matrixAddress() + "   (" + matrixModel + ")");
        out.println("  --prober   " + emulator.proberAddress());
        if (boardPort >= 0) {
            out.println("  --board    " + emulator.boardAddress());
        }
        if (vxi11) {
            out.println("  VXI-11: portmapper " + bind + ":" + emulator.portmapperPort() + "; --analyzer " + emulator.analyzerVxi11Address()
                    + " --matrix " + emulator.matrixVxi11Address() + (emulator.portmapperPort() != 111
                    ? " --portmapper-port " + emulator.portmapperPort() : ""));
        }
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EmulatorCommand()).execute(args));
    }
}
