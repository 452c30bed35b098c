package org.rramlab.device.emulator;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.scpi.SwitchMatrix;
import org.rramlab.device.scpi.Wiring;
import org.rramlab.device.sim.ArrayModel;

/**
 * A probe station's instruments, each on its own port and speaking its own protocol, backed by
 * simulated arrays (one per die): a B1500 parameter analyzer, a B2200A (or E5250A) switch matrix,
 * a Velox prober message server and, optionally, an array board; with {@code vxi11} also a VXI-11
 * host (portmapper + core channel) serving the analyzer as {@code inst0} and {@code gpib0,17},
 * the matrix as {@code gpib0,22} and the board as {@code gpib0,23}. The instruments share one
 * lock, as one station, and faults from a {@link FaultSpec} strike every connection.
 */
public final class StationEmulator implements AutoCloseable {
    public static final int ANALYZER_GPIB = 17;
    public static final int MATRIX_GPIB = 22;
    public static final int BOARD_GPIB = 23;

    /**
     * What to emulate; port 0 picks a free one, -1 serves nothing.
     *
     * @param bitSmus        bit-line SMUs of the wiring (cells measured at once)
     * @param relayMillis    time the matrix takes to answer *OPC? after a routing
     * @param heaterKelvinPerSecond how fast the chuck heater moves toward its set point
     * @param timeScale      device seconds per wall second (0 freezes the devices' clock)
     * @param wiring         how the station is cabled (a station file's); null: the standard wiring of {@code bitSmus}
     * @param timing         null: instruments answer at once (tests); else they take the time real ones take
     *                       (integration from AIT, relays, prober steps and contact)
     */
    public record Config(DevicePreset preset, int rows, int cols, int dies, long seed, FaultSpec faults, String bindAddress,
                         int analyzerPort, int matrixPort, int proberPort, int boardPort, boolean vxi11, int portmapperPort,
                         int corePort, int bitSmus, boolean e5250a, int matrixCards, long relayMillis,
                         double heaterKelvinPerSecond, double timeScale, Wiring wiring,
                         org.rramlab.device.scpi.InstrumentTiming timing) {
        /** Three instruments on free loopback ports, frozen clock, fast heater: for tests. */
        public static Config of(DevicePreset preset, int rows, int cols, int dies, long seed, FaultSpec faults) {
            return new Config(preset, rows, cols, dies, seed, faults, "127.0.0.1", 0, 0, 0, -1, false, 0, 0, 4, false, 4, 0,
                    500, 0, null, null);
        }

        public Config withVxi11() {
            return new Config(preset, rows, cols, dies, seed, faults, bindAddress, analyzerPort, matrixPort, proberPort, boardPort,
                    true, portmapperPort, corePort, bitSmus, e5250a, matrixCards, relayMillis, heaterKelvinPerSecond, timeScale, wiring, timing);
        }

        public Config withBoard() {
            return new Config(preset, rows, cols, dies, seed, faults, bindAddress, analyzerPort, matrixPort, proberPort, 0,
                    vxi11, portmapperPort, corePort, bitSmus, e5250a, matrixCards, relayMillis, heaterKelvinPerSecond, timeScale, wiring, timing);
        }

        public Config withTiming(long relay, double heaterRate, double scale) {
            return new Config(preset, rows, cols, dies, seed, faults, bindAddress, analyzerPort, matrixPort, proberPort, boardPort,
                    vxi11, portmapperPort, corePort, bitSmus, e5250a, matrixCards, relay, heaterRate, scale, wiring, timing);
        }

        /** The instruments of a declared station: its matrix model, cards and cabling. */
        public Config withStation(org.rramlab.device.scpi.StationFile station) {
            return new Config(preset, rows, cols, dies, seed, faults, bindAddress, analyzerPort, matrixPort, proberPort, boardPort,
                    vxi11, portmapperPort, corePort, station.wiring().bitChannels().length,
                    station.matrix().model() == SwitchMatrix.Model.E5250A, station.matrix().cards(), relayMillis,
                    heaterKelvinPerSecond, timeScale, station.wiring(), timing);
        }

        /** Instruments that take the time real ones take. */
        public Config withRealTiming(org.rramlab.device.scpi.InstrumentTiming t) {
            return new Config(preset, rows, cols, dies, seed, faults, bindAddress, analyzerPort, matrixPort, proberPort, boardPort,
                    vxi11, portmapperPort, corePort, bitSmus, e5250a, matrixCards, Math.round(t.relayMs()), heaterKelvinPerSecond,
                    timeScale, wiring, t);
        }

        /** The matrix the emulator is (its configuration mode is set by commands, as on the instrument). */
        public SwitchMatrix.Layout layout() {
            return new SwitchMatrix.Layout(e5250a ? SwitchMatrix.Model.E5250A : SwitchMatrix.Model.B2200A, matrixCards,
                    SwitchMatrix.Mode.AUTO);
        }

        public Wiring effectiveWiring() {
            return wiring != null ? wiring : Wiring.standard(rows, cols, bitSmus, layout().model());
        }
    }

    private final Config config;
    private final Station station;
    private final FaultInjector faults;
    private final Object lock = new Object();
    private final VeloxEmulation velox;
    private final LineServer analyzer;
    private final LineServer matrix;
    private final LineServer prober;
    private final LineServer board;
    private Vxi11Server vxi11;

    public StationEmulator(Config config) {
        this.config = config;
        Wiring wiring = config.effectiveWiring();
        if (config.boardPort() < 0) {
            wiring.check(config.rows(), config.cols(), config.layout());
        }
        this.station = new Station(config.preset(), config.rows(), config.cols(), config.dies(), config.seed(), wiring,
                config.heaterKelvinPerSecond(), config.timeScale());
        this.faults = new FaultInjector(config.faults(), config.seed());
        this.velox = new VeloxEmulation(station, config.timing());
        this.analyzer = new LineServer("analyzer", new AnalyzerEmulation(station, faults, config.seed(), config.timing()), faults,
                lock, station);
        this.matrix = new LineServer("matrix", new MatrixEmulation(station, config.matrixCards(), config.e5250a(),
                config.relayMillis(), config.seed()), faults, lock, station);
        this.prober = new LineServer("prober", velox, faults, lock, station);
        this.board = new LineServer("board", new BoardEmulation(station), faults, lock, station);
    }

    public StationEmulator start() throws IOException {
        String bind = config.bindAddress();
        if (config.analyzerPort() >= 0) {
            analyzer.start(bind, config.analyzerPort());
        }
        if (config.matrixPort() >= 0) {
            matrix.start(bind, config.matrixPort());
        }
        if (config.proberPort() >= 0) {
            prober.start(bind, config.proberPort());
        }
        if (config.boardPort() >= 0) {
            board.start(bind, config.boardPort());
        }
        if (config.vxi11()) {
            Map<String, LineServer> devices = new LinkedHashMap<>();
            devices.put("inst0", analyzer);
            devices.put("gpib0," + ANALYZER_GPIB, analyzer);
            devices.put("gpib0," + MATRIX_GPIB, matrix);
            devices.put("gpib0," + BOARD_GPIB, board);
            vxi11 = new Vxi11Server(devices, faults).start(bind, config.portmapperPort(), config.corePort());
        }
        return this;
    }

    public Config config() {
        return config;
    }

    public int analyzerPort() {
        return analyzer.port();
    }

    public int matrixPort() {
        return matrix.port();
    }

    public int proberPort() {
        return prober.port();
    }

    public int boardPort() {
        return board.port();
    }

    public int portmapperPort() {
        return vxi11.portmapperPort();
    }

    private String host() {
        return config.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : config.bindAddress();
    }

    public String analyzerAddress() {
        return "TCPIP0::" + host() + "::" + analyzerPort() + "::SOCKET";
    }

    public String matrixAddress() {
        return "TCPIP0::" + host() + "::" + matrixPort() + "::SOCKET";
    }

    public String proberAddress() {
        return "TCPIP0::" + host() + "::" + proberPort() + "::SOCKET";
    }

    public String boardAddress() {
        return "TCPIP0::" + host() + "::" + boardPort() + "::SOCKET";
    }

    /** The analyzer through the VXI-11 gateway (give the driver the portmapper port). */
    public String analyzerVxi11Address() {
        return "TCPIP0::" + host() + "::gpib0," + ANALYZER_GPIB + "::INSTR";
    }

    public String matrixVxi11Address() {
        return "TCPIP0::" + host() + "::gpib0," + MATRIX_GPIB + "::INSTR";
    }

    /** The simulated array of a die (the truth behind the instruments; for tests). */
    public ArrayModel die(int die) {
        return station.dies[die];
    }

    /**
     * Emulator-only control, no instrument command: let {@code seconds} pass on the devices' clock
     * (a real station waits instead).
     */
    public void advanceClock(double seconds) {
        synchronized (lock) {
            station.advanceClock(seconds);
        }
    }

    /** Motion commands the prober executed (steps and chuck moves). */
    public long motions() {
        synchronized (lock) {
            return velox.motions;
        }
    }

    public long drops() {
        return faults.drops.get();
    }

    public long garbled() {
        return faults.garbled.get();
    }

    public long delayedReplies() {
        return faults.delayed.get();
    }

    public long halfOpened() {
        return faults.halfOpened.get();
    }

    public long badStatuses() {
        return faults.compliances.get() + faults.overflows.get();
    }

    public String stats() {
        return "commands analyzer " + analyzer.commands.get() + ", matrix " + matrix.commands.get() + ", prober "
                + prober.commands.get() + "; drops " + faults.drops.get() + ", garbled " + faults.garbled.get()
                + ", compliance " + faults.compliances.get() + ", overflow " + faults.overflows.get() + ", delayed "
                + faults.delayed.get() + ", half-open " + faults.halfOpened.get();
    }

    @Override
    public void close() {
        analyzer.close();
        matrix.close();
        prober.close();
        board.close();
        if (vxi11 != null) {
            vxi11.close();
        }
    }
}
