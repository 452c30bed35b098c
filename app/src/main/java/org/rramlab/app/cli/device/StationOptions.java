package org.rramlab.app.cli.device;

import java.time.Duration;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.emulator.StationEmulator;
import org.rramlab.device.scpi.LinkOptions;
import org.rramlab.device.scpi.PhysicalArray;
import org.rramlab.device.scpi.StationAddresses;
import org.rramlab.device.scpi.StationFile;
import org.rramlab.device.scpi.SwitchMatrix;
import org.rramlab.device.scpi.VeloxProber;
import org.rramlab.device.scpi.Wiring;
import picocli.CommandLine.Option;

/** The options that name a station's instruments (one address each) and how the array is cabled. */
public class StationOptions {
    @Option(names = "--analyzer", paramLabel = "ADDR", description = "B1500 address, e.g. TCPIP0::10.0.0.5::5025::SOCKET, "
            + "TCPIP0::gw::gpib0,17::INSTR, PROLOGIX::adapter::17 or GPIB0::17::INSTR")
    String analyzer;

    @Option(names = "--matrix", paramLabel = "ADDR", description = "B2200A / E5250A switch matrix address")
    String matrix;

    @Option(names = "--board", paramLabel = "ADDR", description = "array board address (instead of --matrix, for large arrays)")
    String board;

    @Option(names = "--prober", paramLabel = "ADDR", description = "Velox message server, e.g. TCPIP0::prober::1412::SOCKET")
    String prober;

    @Option(names = "--die", defaultValue = "0", description = "die index on the wafer map (default: ${DEFAULT-VALUE})")
    int die;

    @Option(names = "--read-mode", defaultValue = "PARALLEL", description = {"PARALLEL (the bit SMUs of a routing integrate together:",
            "PAD 1, high-speed ADC), ROW (one MM 1 measuring them in turn, high-resolution ADC) or CELL (TI per cell)",
            "(default: ${DEFAULT-VALUE})"})
    PhysicalArray.ReadMode readMode;

    @Option(names = "--bit-smus", defaultValue = "4", description = "SMUs on bit lines (channels 2..N+1 on matrix inputs 2..N+1) (default: ${DEFAULT-VALUE})")
    int bitSmus;

    @Option(names = "--matrix-model", defaultValue = "B2200A", description = "B2200A or E5250A (default: ${DEFAULT-VALUE})")
    SwitchMatrix.Model matrixModel;

    @Option(names = "--matrix-cards", defaultValue = "4", description = "cards of 12 outputs in the matrix, 1..4 (default: ${DEFAULT-VALUE})")
    int matrixCards;

    @Option(names = "--matrix-mode", defaultValue = "AUTO", description = {"matrix channel configuration mode: AUTO (card 0, outputs 1..48)",
            "or NORMAL (cards 1..4, outputs 1..12) (default: ${DEFAULT-VALUE})"})
    SwitchMatrix.Mode matrixMode;

    @Option(names = "--station", paramLabel = "FILE", description = {"a station file (config/stations/*.conf): matrix model, cards, mode,",
            "which inputs carry which SMU and the GNDU, which outputs go to which pads; replaces --bit-smus and --matrix-*"})
    java.nio.file.Path stationFile;

    @Option(names = "--settle-ms", defaultValue = "5", description = "wait after the relays close, ms (default: ${DEFAULT-VALUE})")
    double settleMs;

    @Option(names = "--portmapper-port", defaultValue = "111", description = "VXI-11 portmapper port (default: ${DEFAULT-VALUE})")
    int portmapperPort;

    boolean given() {
        return analyzer != null || matrix != null || board != null || prober != null;
    }

    StationAddresses addresses() {
        return StationAddresses.parse(analyzer, matrix, board, prober);
    }

    /**
     * The declared station: the station file when given (refusing an array it cannot reach when
     * the cells are routed by the matrix), else the standard wiring on the matrix of the options.
     */
    StationFile station(int rows, int cols) {
        if (stationFile != null) {
            StationFile f = StationFile.load(stationFile);
            if (board == null) {
                f.check(rows, cols);
            }
            return f;
        }
        SwitchMatrix.Layout layout = new SwitchMatrix.Layout(matrixModel, matrixCards, matrixMode);
        Wiring w = Wiring.standard(rows, cols, bitSmus, matrixModel);
        if (board == null) {
            w.check(rows, cols, layout);
        }
        return new StationFile("options", layout, w, rows, cols);
    }

    PhysicalArray.Options options(DevicePreset preset, int rows, int cols) {
        PhysicalArray.Options d = PhysicalArray.Options.defaults(preset, rows, cols);
        LinkOptions link = LinkOptions.defaults().withPortmapperPort(portmapperPort);
        StationFile s = station(rows, cols);
        return d.withDie(die).withMode(readMode).withWiring(s.wiring()).withLink(link, link).withMatrix(s.matrix())
                .withTiming(Duration.ofNanos(Math.round(settleMs * 1e6)), VeloxProber.Settings.defaults(), d.operationTimeout());
    }

    /** A physical array on a running station emulator's raw-socket ports. */
    static PhysicalArray open(String id, int rows, int cols, StationEmulator emulator, PhysicalArray.Options options) {
        return new PhysicalArray(id, rows, cols, StationAddresses.parse(emulator.analyzerAddress(), emulator.matrixAddress(), null,
                emulator.proberAddress()), options);
    }
}
