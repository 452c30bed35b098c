package org.rramlab.device.sim;

import org.rramlab.device.noise.DeviceNoise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.characterize.Characterization;
import org.rramlab.device.characterize.ConductanceEstimator;
import org.rramlab.device.characterize.LevelStatistics;

/**
 * A programmed 256x256 array has the statistics its preset promises, in truth and as estimated from
 * reads. Every expectation is read from the preset and every tolerance is a sampling interval (4
 * standard errors: a false alarm about once in 16,000 checks): the shipped preset and a variant with
 * other sigma and stuck fractions, so that a value hard-coded in the simulator or the estimator fails.
 */
class SimulatedArrayStatisticsTest {
    static final int N = 256;
    static final double Z = 4;
    static DevicePreset preset;
    static ArrayModel model;
    static int[] levels;
    static Frame frame;
    /** The shipped preset, and one with another spread and other stuck fractions. */
    static List<Programmed> arrays;

    /** One preset's array, programmed with every level and read once. */
    record Programmed(DevicePreset preset, ArrayModel model, int[] levels, Frame frame) {
        static Programmed of(DevicePreset p, long seed) {
            ArrayModel m = new ArrayModel("stats-" + p.name(), p, N, N, seed);
            int[] lv = TestPresets.levelPattern(N * N, p.levels());
            Block all = new Block(0, 0, N, N);
            m.program(ProgramRequest.ofLevels(all, lv, false));
            return new Programmed(p, m, lv, m.read(all));
        }

        /** The binomial interval half-width for a fraction p of all N x N cells. */
        double fractionTolerance(double p) {
            return Z * Math.sqrt(p * (1 - p) / (N * N));
        }
    }

    @BeforeAll
    static void programAndRead() {
        DevicePreset shipped = TestPresets.dac();
        DevicePreset other = new DevicePreset(shipped.name() + "-variant", "test variant", shipped.levels(),
                shipped.gMaxSiemens(), shipped.onOffRatio(), 0.3, 0.04, 0.05, shipped.readNoiseRelative(),
                shipped.drift(), shipped.writeVerify());
        arrays = List.of(Programmed.of(shipped, 1), Programmed.of(other, 2));
        preset = shipped;
        model = arrays.get(0).model();
        levels = arrays.get(0).levels();
        frame = arrays.get(0).frame();
    }

    @Test
    void levelsAreEvenlySpacedFromGminToGmax() {
        assertEquals(preset.gMaxSiemens() / preset.onOffRatio(), DeviceNoise.of(preset).level(0), 1e-18);
        assertEquals(preset.gMaxSiemens(), DeviceNoise.of(preset).level(preset.levels() - 1), 1e-18);
        DeviceNoise noise = DeviceNoise.of(preset);
        double step = noise.level(1) - noise.level(0);
        for (int k = 1; k < preset.levels(); k++) {
            assertEquals(step, noise.level(k) - noise.level(k - 1), 1e-15);
        }
    }

    @Test
    void programmedVariationIsLognormalWithThePresetSigma() {
        for (Programmed a : arrays) {
            double sigma0 = a.preset().variationSigma();
            for (int level = 0; level < a.preset().levels(); level++) {
                double target = DeviceNoise.of(a.preset()).level(level);
                double sum = 0, sumSq = 0;
                int n = 0;
                for (int i = 0; i < N * N; i++) {
                    if (a.levels()[i] != level || a.model().fault(i / N, i % N) != Fault.NONE) continue;
                    double z = Math.log(a.model().programmedSiemens(i / N, i % N) / target);
                    sum += z;
                    sumSq += z * z;
                    n++;
                }
                double mean = sum / n;
                double sigma = Math.sqrt(sumSq / n - mean * mean);
                // standard errors of a normal sample's sd and mean: sigma / sqrt(2n), sigma / sqrt(n)
                String where = a.preset().name() + " level " + level + ", " + n + " cells";
                assertEquals(sigma0, sigma, Z * sigma0 / Math.sqrt(2.0 * n), "log sigma, " + where);
                assertEquals(0.0, mean, Z * sigma0 / Math.sqrt(n), "log mean, " + where);
            }
        }
    }

    @Test
    void faultFractionsMatchThePresetAndStuckCellsReadTheirStuckValue() {
        for (Programmed a : arrays) {
            DevicePreset p = a.preset();
            int high = 0, low = 0;
            for (int i = 0; i < N * N; i++) {
                Fault f = a.model().fault(i / N, i % N);
                float read = a.frame().conductances()[i];
                // a stuck cell reads its stuck value with read noise only: well within 4 noise sigmas
                if (f == Fault.STUCK_HIGH) {
                    high++;
                    assertEquals(p.gMaxSiemens(), read, p.gMaxSiemens() * Z * p.readNoiseRelative());
                } else if (f == Fault.STUCK_LOW) {
                    low++;
                    assertEquals(p.gMinSiemens(), read, p.gMinSiemens() * Z * p.readNoiseRelative());
                }
            }
            assertEquals(p.stuckAtHighFraction(), high / (double) (N * N), a.fractionTolerance(p.stuckAtHighFraction()),
                    p.name() + ": stuck at Gmax");
            assertEquals(p.stuckAtLowFraction(), low / (double) (N * N), a.fractionTolerance(p.stuckAtLowFraction()),
                    p.name() + ": stuck at Gmin");
        }
    }

    @Test
    void estimatorRecoversThePresetFromReadsAlone() {
        for (Programmed a : arrays) {
            DevicePreset p = a.preset();
            double sigma0 = p.variationSigma();
            double[] targets = new double[p.levels()];
            for (int k = 0; k < targets.length; k++) targets[k] = DeviceNoise.of(p).level(k);
            Characterization c = ConductanceEstimator.estimate(a.levels(), a.frame().conductances(), targets,
                    p.gMinSiemens(), p.gMaxSiemens());
            assertEquals(p.stuckAtHighFraction(), c.stuckHighFraction(), a.fractionTolerance(p.stuckAtHighFraction()),
                    p.name() + ": estimated stuck at Gmax");
            assertEquals(p.stuckAtLowFraction(), c.stuckLowFraction(), a.fractionTolerance(p.stuckAtLowFraction()),
                    p.name() + ": estimated stuck at Gmin");
            for (LevelStatistics s : c.levels()) {
                int n = s.cells();
                String where = p.name() + " level " + s.level() + ", " + n + " cells";
                assertEquals(sigma0, s.logSigma(), Z * sigma0 / Math.sqrt(2.0 * n), "estimated log sigma, " + where);
                // the median of a lognormal sample: standard error 1.2533 sigma / sqrt(n) in log space
                double logMedian = Math.log(s.medianSiemens() / s.targetSiemens());
                assertEquals(0.0, logMedian, Z * 1.2533 * sigma0 / Math.sqrt(n), "estimated median, " + where);
                // the mean against the lognormal law's, target exp(sigma^2 / 2), and against the reads' own mean;
                // the sample mean's standard error: target sqrt((e^s^2 - 1) e^s^2) / sqrt(n)
                double law = s.targetSiemens() * Math.exp(sigma0 * sigma0 / 2);
                double se = s.targetSiemens() * Math.sqrt((Math.exp(sigma0 * sigma0) - 1) * Math.exp(sigma0 * sigma0) / n);
                assertEquals(law, s.meanSiemens(), Z * se, "estimated mean against the law, " + where);
                assertEquals(readMean(a, s.level()), s.meanSiemens(), 2 * Z * se,
                        "estimated mean against the reads of the unstuck cells, " + where);
            }
            assertEquals(N * N, c.cellsUsed());
        }
    }

    /** The plain mean of the reads of a level's cells that are not stuck (the test knows which: the model says). */
    static double readMean(Programmed a, int level) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < N * N; i++) {
            if (a.levels()[i] == level && a.model().fault(i / N, i % N) == Fault.NONE) {
                sum += a.frame().conductances()[i];
                n++;
            }
        }
        return sum / n;
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
