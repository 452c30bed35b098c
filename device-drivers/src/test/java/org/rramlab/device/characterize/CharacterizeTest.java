package org.rramlab.device.characterize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.emulator.FaultSpec;
import org.rramlab.device.emulator.StationEmulator;
import org.rramlab.device.scpi.StationAddresses;
import org.rramlab.device.scpi.PhysicalArray;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.device.sim.TestPresets;

/** Through the three instrument emulators (prober, matrix, analyzer), characterize gives the simulated array's statistics for the same seed. */
class CharacterizeTest {
    @Test
    void emulatorAndSimulatorAgree() throws Exception {
        DevicePreset preset = TestPresets.dac();
        int rows = 48, cols = 64;
        CharacterizeReport sim;
        try (SimulatedArray array = new SimulatedArray("sim", preset, rows, cols, 5)) {
            sim = Characterizer.run(array, preset, false);
        }
        CharacterizeReport wire;
        try (StationEmulator emulator = new StationEmulator(StationEmulator.Config.of(preset, rows, cols, 1, 5, FaultSpec.NONE)
                .withBoard()).start();
             // 2 x 48 + 64 lines are more than a matrix reaches (48 outputs): the array board routes them
             PhysicalArray array = new PhysicalArray("die-0", rows, cols, StationAddresses.parse(emulator.analyzerAddress(),
                     null, emulator.boardAddress(), emulator.proberAddress()), PhysicalArray.Options.defaults(preset, rows, cols))) {
            wire = Characterizer.run(array, preset, false);
        }
        assertEquals(sim.pulses(), wire.pulses());
        // values cross the wire with 5 to 7 significant digits (FMT 11); the fits agree far inside that
        assertEquals(sim.statistics().stuckHighFraction(), wire.statistics().stuckHighFraction(), 1e-4);
        assertEquals(sim.statistics().stuckLowFraction(), wire.statistics().stuckLowFraction(), 1e-4);
        for (int k = 0; k < preset.levels(); k++) {
            LevelStatistics a = sim.statistics().levels().get(k);
            LevelStatistics b = wire.statistics().levels().get(k);
            assertEquals(a.cells(), b.cells());
            assertEquals(a.logSigma(), b.logSigma(), a.logSigma() * 1e-3, "log sigma of level " + k);
            assertEquals(a.medianSiemens(), b.medianSiemens(), a.medianSiemens() * 1e-3, "median of level " + k);
            assertEquals(a.meanSiemens(), b.meanSiemens(), a.meanSiemens() * 1e-3, "mean of level " + k);
        }
    }

    @Test
    void levelsWithTooFewCellsAreReportedAsNull() {
        DevicePreset preset = TestPresets.dac();
        try (SimulatedArray array = new SimulatedArray("tiny", preset, 1, 12, 1)) {
            CharacterizeReport r = Characterizer.run(array, preset, false);
            var json = r.toJson();
            assertEquals(10, json.get("levels").size());
            // 12 cells over 10 levels: levels 2..9 have one cell each, no spread to estimate
            assertEquals(true, json.get("levels").get(5).get("log_sigma").isNull());
            assertEquals(false, json.get("levels").get(0).get("log_sigma").isNull());
        }
    }
}
