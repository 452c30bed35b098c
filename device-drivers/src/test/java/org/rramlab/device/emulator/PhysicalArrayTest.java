package org.rramlab.device.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
import org.rramlab.device.scpi.MeasurementStatus;
import org.rramlab.device.scpi.PhysicalArray;
import org.rramlab.device.sim.ArrayModel;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.device.sim.TestPresets;

/** The physical path end to end over real TCP, against the emulator without faults. */
class PhysicalArrayTest {
    static final int ROWS = 12;
    static final int COLS = 20;
    final DevicePreset preset = TestPresets.dac();
    final Block all = new Block(0, 0, ROWS, COLS);
    final int[] levels = TestPresets.levelPattern(ROWS * COLS, 10);
    InstrumentEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        emulator = new InstrumentEmulator(new InstrumentEmulator.Config(preset, ROWS, COLS, 3, 21, FaultSpec.NONE, "127.0.0.1", 0)).start();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    PhysicalArray array(PhysicalArray.ReadMode mode, int die) {
        return PhysicalArray.connect("wafer-die-" + die, "scpi://127.0.0.1:" + emulator.port(), ROWS, COLS,
                PhysicalArray.Options.defaults(preset).withMode(mode).withDie(die));
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
                // same seed, same draws; the wire keeps 4 to 6 significant digits
                assertEquals(b.conductances()[i], a.conductances()[i], Math.abs(b.conductances()[i]) * 6e-4, "cell " + i);
            }
            try (PhysicalArray cellWise = array(PhysicalArray.ReadMode.CELL, 0)) {
                Frame c = AsyncOps.await(cellWise.read(all));
                Frame d = AsyncOps.await(reference.read(all));
                for (int i = 0; i < c.conductances().length; i++) {
                    assertEquals(d.conductances()[i], c.conductances()[i], Math.abs(d.conductances()[i]) * 6e-4, "cell " + i);
                }
            }
        }
    }

    @Test
    void clockTemperatureHealthAndForcedCurrentGoThroughTheInstruments() {
        try (PhysicalArray array = array(PhysicalArray.ReadMode.ROW, 2)) {
            AsyncOps.await(array.program(ProgramRequest.ofLevels(all, levels, true)));
            AsyncOps.await(array.advanceClock(500));
            AsyncOps.await(array.setTemperature(350));
            AsyncOps.await(array.advanceClock(10));
            ArrayModel die = emulator.die(2);
            assertEquals(510, die.clockSeconds(), 1e-9);
            assertEquals(350, die.temperatureKelvin());
            ArrayHealth h = AsyncOps.await(array.health());
            assertEquals(ArrayHealth.LinkState.CONNECTED, h.link());
            assertEquals(510, h.arrayTimeSeconds(), 1e-9);
            Frame f = AsyncOps.await(array.read(new Block(1, 2, 3, 4)));
            assertEquals(510, f.arrayTimeSeconds(), 1e-9);
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    double truth = die.noiseFreeSiemens(1 + r, 2 + c);
                    assertEquals(truth, f.conductances()[r * 4 + c], truth * 0.08);
                }
            }
            // force 1 uA, measure V: G = I / V
            DataItem v = array.analyzer().measureCellVoltage(3, 3, 1e-6, 10);
            assertEquals(MeasurementStatus.OK, v.status());
            assertEquals('V', v.type());
            double truth = die.noiseFreeSiemens(3, 3);
            assertEquals(truth, 1e-6 / v.value(), truth * 0.08);
            assertTrue(array.analyzer().identify().contains("B1500"));
            assertEquals(0, array.analyzer().queryError().code());
        }
    }

    @Test
    void probeStationStepsThroughTheWaferAndReportsEndOfWafer() {
        try (PhysicalArray array = array(PhysicalArray.ReadMode.ROW, 0)) {
            var station = array.probeStation();
            assertEquals(new DieStep.AtDie(0, 0, 0), station.stepFirstDie());
            assertEquals(new DieStep.AtDie(1, 0, 0), station.stepNextDie());
            assertEquals(new DieStep.AtDie(2, 0, 0), station.stepNextDie());
            assertEquals(new DieStep.EndOfWafer(), station.stepNextDie());
            station.moveChuckContact();
            station.moveChuckSeparation();
        }
    }

    @Test
    void instrumentErrorsAreClear() {
        try (PhysicalArray array = array(PhysicalArray.ReadMode.ROW, 0)) {
            AsyncOps.await(array.health()); // connects: die stepped, probes down
            InstrumentErrorException e = assertThrows(InstrumentErrorException.class, () -> array.analyzer().measureCell(ROWS, 0));
            assertEquals(305, e.code());
            assertTrue(e.getMessage().contains("out of range"), e.getMessage());
            String outside = failure(array.read(new Block(0, 0, ROWS + 1, 1)));
            assertTrue(outside.contains("give a block inside it"), outside);
        }
        try (PhysicalArray beyond = array(PhysicalArray.ReadMode.ROW, 7)) {
            String m = failure(beyond.read(all));
            assertTrue(m.contains("beyond the end of the wafer"), m);
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> PhysicalArray.connect("x", "http://host", 1, 1, PhysicalArray.Options.defaults(preset)));
        assertTrue(bad.getMessage().contains("scpi://HOST:PORT"));
    }

    static String failure(java.util.concurrent.CompletionStage<?> stage) {
        CompletionException e = assertThrows(CompletionException.class, () -> stage.toCompletableFuture().join());
        assertTrue(e.getCause() instanceof DeviceException, "a DeviceException: " + e.getCause());
        return e.getCause().getMessage();
    }
}
