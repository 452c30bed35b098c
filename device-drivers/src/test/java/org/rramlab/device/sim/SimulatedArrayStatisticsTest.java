package org.rramlab.device.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.characterize.Characterization;
import org.rramlab.device.characterize.ConductanceEstimator;
import org.rramlab.device.characterize.LevelStatistics;

/** A programmed 256x256 array has the statistics its preset promises, in truth and as estimated from reads. */
class SimulatedArrayStatisticsTest {
    static final int N = 256;
    static DevicePreset preset;
    static ArrayModel model;
    static int[] levels;
    static Frame frame;

    @BeforeAll
    static void programAndRead() {
        preset = TestPresets.dac();
        model = new ArrayModel("stats", preset, N, N, 1);
        levels = TestPresets.levelPattern(N * N, preset.levels());
        Block all = new Block(0, 0, N, N);
        model.program(ProgramRequest.ofLevels(all, levels, false));
        frame = model.read(all);
    }

    @Test
    void levelsAreEvenlySpacedFromGminToGmax() {
        assertEquals(preset.gMaxSiemens() / 100, preset.levelSiemens(0), 1e-18);
        assertEquals(preset.gMaxSiemens(), preset.levelSiemens(9), 1e-18);
        double step = preset.levelSiemens(1) - preset.levelSiemens(0);
        for (int k = 1; k < 10; k++) {
            assertEquals(step, preset.levelSiemens(k) - preset.levelSiemens(k - 1), 1e-15);
        }
    }

    @Test
    void programmedVariationIsLognormalWithThePresetSigma() {
        for (int level = 0; level < preset.levels(); level++) {
            double target = preset.levelSiemens(level);
            double sum = 0, sumSq = 0;
            int n = 0;
            for (int i = 0; i < N * N; i++) {
                if (levels[i] != level || model.fault(i / N, i % N) != Fault.NONE) continue;
                double z = Math.log(model.programmedSiemens(i / N, i % N) / target);
                sum += z;
                sumSq += z * z;
                n++;
            }
            double mean = sum / n;
            double sigma = Math.sqrt(sumSq / n - mean * mean);
            assertEquals(0.5, sigma, 0.5 * 0.05, "log sigma of level " + level);
            assertEquals(0.0, mean, 0.05, "log mean of level " + level);
        }
    }

    @Test
    void faultFractionsMatchThePresetAndStuckCellsReadTheirStuckValue() {
        int high = 0, low = 0;
        for (int i = 0; i < N * N; i++) {
            Fault f = model.fault(i / N, i % N);
            float read = frame.conductances()[i];
            if (f == Fault.STUCK_HIGH) {
                high++;
                assertEquals(preset.gMaxSiemens(), read, preset.gMaxSiemens() * 0.06);
            } else if (f == Fault.STUCK_LOW) {
                low++;
                assertEquals(preset.gMinSiemens(), read, preset.gMinSiemens() * 0.06);
            }
        }
        assertEquals(0.0175, high / (double) (N * N), 0.003);
        assertEquals(0.0904, low / (double) (N * N), 0.003);
    }

    @Test
    void estimatorRecoversThePresetFromReadsAlone() {
        double[] targets = new double[preset.levels()];
        for (int k = 0; k < targets.length; k++) targets[k] = preset.levelSiemens(k);
        Characterization c = ConductanceEstimator.estimate(levels, frame.conductances(), targets,
                preset.gMinSiemens(), preset.gMaxSiemens());
        assertEquals(0.0175, c.stuckHighFraction(), 0.003);
        assertEquals(0.0904, c.stuckLowFraction(), 0.003);
        for (LevelStatistics s : c.levels()) {
            assertEquals(0.5, s.logSigma(), 0.5 * 0.05, "estimated log sigma of level " + s.level());
            assertEquals(s.targetSiemens(), s.medianSiemens(), s.targetSiemens() * 0.05, "median of level " + s.level());
            assertEquals(s.medianSiemens() * Math.exp(0.5 * s.logSigma() * s.logSigma()), s.meanSiemens(), 1e-12);
        }
        assertEquals(N * N, c.cellsUsed());
    }

    @Test
    void readNoiseHasThePresetRelativeSpreadAndReadsNeverChangeState() {
        Block row = new Block(7, 0, 1, N);
        float[] before = new float[N];
        for (int c = 0; c < N; c++) before[c] = model.programmedSiemens(7, c);
        double sum = 0, sumSq = 0;
        int n = 0;
        for (int rep = 0; rep < 40; rep++) {
            Frame f = model.read(row);
            for (int c = 0; c < N; c++) {
                double rel = f.conductances()[c] / model.noiseFreeSiemens(7, c) - 1;
                sum += rel;
                sumSq += rel * rel;
                n++;
            }
        }
        double sd = Math.sqrt(sumSq / n - (sum / n) * (sum / n));
        assertEquals(preset.readNoiseRelative(), sd, preset.readNoiseRelative() * 0.05);
        for (int c = 0; c < N; c++) assertEquals(before[c], model.programmedSiemens(7, c));
    }

    @Test
    void sameSeedSameArrayAndAnotherSeedAnother() {
        ArrayModel a = new ArrayModel("a", preset, 16, 16, 42);
        ArrayModel b = new ArrayModel("b", preset, 16, 16, 42);
        ArrayModel c = new ArrayModel("c", preset, 16, 16, 43);
        Block all = new Block(0, 0, 16, 16);
        int[] lv = TestPresets.levelPattern(256, 10);
        for (ArrayModel m : new ArrayModel[] {a, b, c}) m.program(ProgramRequest.ofLevels(all, lv, false));
        float[] ra = a.read(all).conductances();
        assertTrue(java.util.Arrays.equals(ra, b.read(all).conductances()));
        assertTrue(!java.util.Arrays.equals(ra, c.read(all).conductances()));
    }

    @Test
    void blockSplittingDoesNotChangeTheDraws() {
        // a whole-block operation and row-by-row operations give identical devices and reads
        ArrayModel whole = new ArrayModel("w", preset, 8, 8, 5);
        ArrayModel rows = new ArrayModel("r", preset, 8, 8, 5);
        int[] lv = TestPresets.levelPattern(64, 10);
        whole.program(ProgramRequest.ofLevels(new Block(0, 0, 8, 8), lv, true));
        for (int r = 0; r < 8; r++) {
            rows.program(ProgramRequest.ofLevels(new Block(r, 0, 1, 8), java.util.Arrays.copyOfRange(lv, r * 8, r * 8 + 8), true));
        }
        float[] a = whole.read(new Block(0, 0, 8, 8)).conductances();
        for (int r = 0; r < 8; r++) {
            float[] b = rows.read(new Block(r, 0, 1, 8)).conductances();
            assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(a, r * 8, r * 8 + 8), b), "row " + r);
        }
    }
}
