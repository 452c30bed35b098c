package org.rramlab.device.emulator;

import org.rramlab.device.noise.DeviceNoise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.device.ArrayHealth;
import org.rramlab.device.AsyncOps;
import org.rramlab.device.Block;
import org.rramlab.device.DeviceException;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.scpi.AnalyzerReplies.DataItem;
import org.rramlab.device.scpi.DieStep;
import org.rramlab.device.scpi.InstrumentErrorException;
import org.rramlab.device.scpi.LinkOptions;
import org.rramlab.device.scpi.MeasurementStatus;
import org.rramlab.device.scpi.PhysicalArray;
import org.rramlab.device.scpi.StationAddresses;
import org.rramlab.device.scpi.VeloxProber;
import org.rramlab.device.sim.ArrayModel;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.device.sim.TestPresets;

/** The physical path end to end over real TCP: prober, matrix and analyzer emulators on their own ports, no faults. */
@Timeout(120)
class PhysicalArrayTest {
    static final int ROWS = 12;
    static final int COLS = 20;
    final DevicePreset preset = TestPresets.dac();
    final Block all = new Block(0, 0, ROWS, COLS);
    final int[] levels = TestPresets.levelPattern(ROWS * COLS, 10);
    StationEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        emulator = new StationEmulator(StationEmulator.Config.of(preset, ROWS, COLS, 3, 21, FaultSpec.NONE).withBoard()).start();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    static StationAddresses addresses(StationEmulator e) {
        return StationAddresses.parse(e.analyzerAddress(), e.matrixAddress(), null, e.proberAddress());
    }

    static PhysicalArray.Options fast(DevicePreset preset, int rows, int cols) {
        LinkOptions link = LinkOptions.defaults().withCommandTimeout(Duration.ofMillis(500));
        return PhysicalArray.Options.defaults(preset, rows, cols).withLink(link, link)
                .withTiming(Duration.ZERO, new VeloxProber.Settings(Duration.ofSeconds(2), 0.5, 2, Duration.ofMillis(5),
                        Duration.ofSeconds(20)), Duration.ofMinutes(2));
    }

    PhysicalArray array(PhysicalArray.ReadMode mode, int die) {
        return new PhysicalArray("wafer-die-" + die, ROWS, COLS, addresses(emulator), fast(preset, ROWS, COLS).withMode(mode).withDie(die));
    }

    @Test
    void rowAndCellReadsGiveTheSimulatedArraysValues() {
        try (SimulatedArray reference = new SimulatedArray("ref", preset, ROWS, COLS, 21);
             PhysicalArray rowWise = array(PhysicalArray.ReadMode.ROW, 0)) {
            ProgramResult viaWire = AsyncOps.await(rowWise.program(ProgramRequest.ofLevels(all, levels, false)));
            ProgramResult local = AsyncOps.await(reference.program(ProgramRequest.ofLevels(all, levels, false)));
            assertEquals(local.pulses(), viaWire.pulses());
            Frame a = AsyncOps.await(rowWise.read(all));
            Frame b = AsyncOps.await(reference.read(all));
            assertFalse(a.suspect());
            assertEquals(1, a.sequence());
            for (int i = 0; i < a.conductances().length; i++) {
                // same seed, same draws; FMT 11 keeps 5 to 7 significant digits
                assertEquals(b.conductances()[i], a.conductances()[i], Math.abs(b.conductances()[i]) * 1e-4, "cell " + i);
            }
            try (PhysicalArray cellWise = array(PhysicalArray.ReadMode.CELL, 0)) {
                Frame c = AsyncOps.await(cellWise.read(all));
                Frame d = AsyncOps.await(reference.read(all));
                for (int i = 0; i < c.conductances().length; i++) {
                    assertEquals(d.conductances()[i], c.conductances()[i], Math.abs(d.conductances()[i]) * 1e-4, "cell " + i);
                }
            }
        }
    }

    @Test
    void anArrayBoardAddressesCellsLikeAMatrix() {
        try (SimulatedArray reference = new SimulatedArray("ref", preset, ROWS, COLS, 21);
             PhysicalArray onBoard = new PhysicalArray("board", ROWS, COLS, StationAddresses.parse(emulator.analyzerAddress(), null,
                     emulator.boardAddress(), emulator.proberAddress()), fast(preset, ROWS, COLS))) {
            AsyncOps.await(onBoard.program(ProgramRequest.ofLevels(all, levels, false)));
            AsyncOps.await(reference.program(ProgramRequest.ofLevels(all, levels, false)));
            Frame a = AsyncOps.await(onBoard.read(all));
            Frame b = AsyncOps.await(reference.read(all));
            for (int i = 0; i < a.conductances().length; i++) {
                assertEquals(b.conductances()[i], a.conductances()[i], Math.abs(b.conductances()[i]) * 1e-4, "cell " + i);
            }
        }
    }

    @Test
    void writeVerifyRunsOnTheHostAndBringsCellsIntoTolerance() {
        try (PhysicalArray array = array(PhysicalArray.ReadMode.ROW, 1)) {
            Block block = new Block(2, 3, 3, 5);
            int[] lv = TestPresets.levelPattern(block.cells(), 10);
            ProgramResult r = AsyncOps.await(array.program(ProgramRequest.ofLevels(block, lv, true)));
            assertTrue(r.pulses() >= block.cells(), "at least one pulse per cell: " + r);
            ArrayModel die = emulator.die(1);
            int inTolerance = 0;
            for (int j = 0; j < block.cells(); j++) {
                double target = DeviceNoise.of(preset).level(lv[j]);
                double g = die.programmedSiemens(block.row0() + j / block.cols(), block.col0() + j % block.cols());
                if (die.fault(block.row0() + j / block.cols(), block.col0() + j % block.cols()) == org.rramlab.device.sim.Fault.NONE
                        && Math.abs(g - target) <= 2 * preset.writeVerify().toleranceRelative() * target) {
                    inTolerance++;
                }
            }
            assertTrue(inTolerance >= block.cells() - r.cellsOutOfTolerance() - 2, inTolerance + " in tolerance, result " + r);
        }
    }

    @Test
    void heaterClockHealthAndForcedCurrentGoThroughTheInstruments() {
        try (PhysicalArray array = array(PhysicalArray.ReadMode.ROW, 2)) {
            AsyncOps.await(array.program(ProgramRequest.ofLevels(all, levels, false)));
            AsyncOps.await(array.setTemperature(350));
            ArrayModel die = emulator.die(2);
            assertEquals(350, die.temperatureKelvin(), 0.01);
            AsyncOps.await(array.advanceClock(500));
            emulator.advanceClock(500); // the devices' clock: an emulator control, no instrument command
            ArrayHealth h = AsyncOps.await(array.health());
            assertEquals(ArrayHealth.LinkState.CONNECTED, h.link());
            assertEquals(500, h.arrayTimeSeconds(), 1e-9);
            assertEquals(350, h.temperatureKelvin(), 0.02);
            Frame f = AsyncOps.await(array.read(new Block(1, 2, 3, 4)));
            assertEquals(500, f.arrayTimeSeconds(), 1e-9);
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    double truth = die.noiseFreeSiemens(1 + r, 2 + c);
                    assertEquals(truth, f.conductances()[r * 4 + c], truth * 0.08);
                }
            }
            // force 1 uA, measure V on one cell: G = I / V
            array.router().connect(3, 3, 1);
            String gate = org.rramlab.device.scpi.ParameterAnalyzer.dv(1, 2.5, 1e-4);
            DataItem v = array.analyzer().spotVoltage(gate, 2, 1e-6, 10);
            assertEquals(MeasurementStatus.OK, v.status());
            assertEquals('V', v.type());
            double truth = die.noiseFreeSiemens(3, 3);
            assertEquals(truth, 1e-6 / v.value(), truth * 0.08);
            // a staircase sweep (WV, MM 2, XE): I = G V at every step
            List<DataItem> sweep = array.analyzer().voltageSweep(gate, 2, 0.05, 0.2, 4, 1e-3, 0, 0, new int[] {2});
            assertEquals(4, sweep.size());
            assertTrue(sweep.get(3).value() > sweep.get(0).value() * 3, sweep.toString());
            // a current sweep (WI): the forcing channel measures its voltage, V = I / G at every step
            List<DataItem> iv = array.analyzer().currentSweep(gate, 2, 1e-7, 4e-7, 4, 10, new int[] {2});
            assertEquals(4, iv.size());
            assertEquals('V', iv.get(0).type());
            assertEquals(4 * iv.get(0).value(), iv.get(3).value(), iv.get(3).value() * 0.1, iv.toString());
            assertTrue(array.analyzer().identify().contains("B1500"));
            assertEquals(0, array.analyzer().queryError().code());
        }
    }

    @Test
    void theInstrumentsIdentitiesAreAskedOnceOnConnectAndKept() {
        try (PhysicalArray array = array(PhysicalArray.ReadMode.ROW, 0);
             PhysicalArray onBoard = new PhysicalArray("board", ROWS, COLS, StationAddresses.parse(emulator.analyzerAddress(),
                     null, emulator.boardAddress(), emulator.proberAddress()), fast(preset, ROWS, COLS))) {
            assertNull(array.identity(), "not connected yet");
            AsyncOps.await(array.read(all));
            String idn = array.identity();
            assertTrue(idn.startsWith("analyzer: " + array.analyzer().identify() + "; matrix: "), idn);
            assertTrue(idn.contains("B1500A") && idn.contains("; prober: " + array.prober().identify()), idn);
            assertTrue(array.prober().identify().contains("Velox"), array.prober().identify());
            AsyncOps.await(array.read(all));
            assertEquals(idn, array.identity(), "asked once, kept");
            AsyncOps.await(onBoard.health());
            assertTrue(onBoard.identity().contains("; board: "), onBoard.identity());
        }
    }

    @Test
    void proberStepsThroughTheWaferAndReportsEndOfWafer() {
        try (PhysicalArray array = array(PhysicalArray.ReadMode.ROW, 0)) {
            VeloxProber prober = array.prober();
            // three dies on a 3 x 3 map with off-wafer corners: (1,0), then (0,1), (1,1)
            assertEquals(new DieStep.AtDie(1, 0, 0, 1), prober.stepFirstDie());
            assertEquals(new DieStep.AtDie(0, 1, 0, 1), prober.stepNextDie());
            assertEquals(new DieStep.AtDie(1, 1, 0, 1), prober.stepNextDie());
            assertEquals(new DieStep.EndOfWafer(), prober.stepNextDie());
            assertEquals(new DieStep.AtDie(0, 1, 0, 1), prober.stepToDie(1), "StepToDie by die number");
            assertEquals(new DieStep.AtDie(1, 1, 0, 1), prober.stepToColumnRow(1, 1), "StepNextDie Column Row");
            assertEquals(2, prober.mapPosition()[6], "die 2 is at column 1, row 1");
            InstrumentErrorException corner = assertThrows(InstrumentErrorException.class, () -> prober.stepToColumnRow(0, 0));
            assertTrue(corner.getMessage().contains("not on the wafer map"), corner.getMessage());
            InstrumentErrorException skipped = assertThrows(InstrumentErrorException.class, () -> prober.stepToColumnRow(2, 1));
            assertTrue(skipped.getMessage().contains("skipped"), skipped.getMessage());
            prober.moveChuckContact();
            double[] h = prober.chuckHeights();
            assertEquals(h[1], h[0], 1e-9, "at contact height");
            prober.moveChuckSeparation();
            assertEquals(prober.chuckHeights()[2], prober.chuckHeights()[0], 1e-9, "at separation height");
        }
    }

    @Test
    void instrumentErrorsNameTheCommand() {
        try (PhysicalArray array = array(PhysicalArray.ReadMode.ROW, 0)) {
            AsyncOps.await(array.health()); // connects: die stepped, probes down
            // a refused query gets no reply; ERRX? then tells the driver why
            InstrumentErrorException e = assertThrows(InstrumentErrorException.class, () -> array.analyzer().spotCurrent("", 7));
            assertEquals(121, e.code(), "slot 7 holds no SMU on this station");
            assertTrue(e.getMessage().contains("'TI 7'"), e.getMessage());
            String outside = failure(array.read(new Block(0, 0, ROWS + 1, 1)));
            assertTrue(outside.contains("give a block inside it"), outside);
        }
        try (PhysicalArray beyond = array(PhysicalArray.ReadMode.ROW, 7)) {
            String m = failure(beyond.read(all));
            assertTrue(m.contains("not on the wafer map"), m);
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> StationAddresses.parse("http://host", emulator.matrixAddress(), null, emulator.proberAddress()));
        assertTrue(bad.getMessage().startsWith("analyzer: instrument address 'http://host'"), bad.getMessage());
        assertTrue(bad.getMessage().contains("TCPIP0::HOST::PORT::SOCKET"), bad.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> new PhysicalArray("big", 256, 256, addresses(emulator), fast(preset, 256, 256)));
        assertTrue(big.getMessage().contains("use an array board"), big.getMessage());
    }

    static String failure(java.util.concurrent.CompletionStage<?> stage) {
        CompletionException e = assertThrows(CompletionException.class, () -> stage.toCompletableFuture().join());
        assertTrue(e.getCause() instanceof DeviceException, "a DeviceException: " + e.getCause());
        return e.getCause().getMessage();
    }
}
