package org.rramlab.device.characterize;

import org.rramlab.device.noise.DeviceNoise;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.emulator.FaultSpec;
import org.rramlab.device.emulator.StationEmulator;
import org.rramlab.device.scpi.StationAddresses;
import org.rramlab.device.scpi.PhysicalArray;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.device.sim.TestPresets;

/**
 * Through the instrument emulators (prober, array board, analyzer), characterize finds the preset's
 * statistics, and so does the simulator on a chip of another seed: each is held to the preset's values
 * within sampling intervals (4 standard errors), not to the other's draws.
 */
class CharacterizeTest {
    static final double Z = 4;

    @Test
    void emulatorAndSimulatorEachFindThePresetsStatistics() throws Exception {
        DevicePreset preset = TestPresets.dac();
        int rows = 48, cols = 64;
        CharacterizeReport sim;
        try (SimulatedArray array = new SimulatedArray("sim", preset, rows, cols, 5)) {
            sim = Characterizer.run(array, preset, false);
        }
        CharacterizeReport wire;
        try (StationEmulator emulator = new StationEmulator(StationEmulator.Config.of(preset, rows, cols, 1, 6, FaultSpec.NONE)
                .withBoard()).start();
             // 2 x 48 + 64 lines are more than a matrix reaches (48 outputs): the array board routes them
             PhysicalArray array = new PhysicalArray("die-0", rows, cols, StationAddresses.parse(emulator.analyzerAddress(),
                     null, emulator.boardAddress(), emulator.proberAddress()), PhysicalArray.Options.defaults(preset, rows, cols))) {
            wire = Characterizer.run(array, preset, false);
        }
        int cells = rows * cols;
        assertEquals(sim.pulses(), wire.pulses(), "one pulse per cell either way");
        for (CharacterizeReport r : new CharacterizeReport[] {sim, wire}) {
            String who = r == sim ? "simulator" : "emulators over TCP";
            assertEquals(preset.stuckAtHighFraction(), r.statistics().stuckHighFraction(),
                    binomial(preset.stuckAtHighFraction(), cells), who + ": stuck at Gmax");
            assertEquals(preset.stuckAtLowFraction(), r.statistics().stuckLowFraction(),
                    binomial(preset.stuckAtLowFraction(), cells), who + ": stuck at Gmin");
            double sigma = preset.variationSigma();
            for (int k = 0; k < preset.levels(); k++) {
                LevelStatistics s = r.statistics().levels().get(k);
                int n = s.cells();
                String where = who + ", level " + k + ", " + n + " cells";
                assertEquals(DeviceNoise.of(preset).level(k), s.targetSiemens(), 0.0, where);
                assertEquals(sigma, s.logSigma(), Z * sigma / Math.sqrt(2.0 * n), "log sigma, " + where);
                assertEquals(0.0, Math.log(s.medianSiemens() / s.targetSiemens()), Z * 1.2533 * sigma / Math.sqrt(n),
                        "median, " + where);
            }
        }
    }

    /** 4 standard errors of a fraction p observed on n cells. */
    static double binomial(double p, int n) {
        return Z * Math.sqrt(p * (1 - p) / n);
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
