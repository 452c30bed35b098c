package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.noise.DeviceNoise;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.learning.device.DeviceAwareWeights;
import org.rramlab.learning.device.DeviceModel;

/**
 * The training sampler and the array simulator draw from one law: at every level, the effective
 * weights of differential pairs programmed on a simulated array and those the sampler draws have the
 * same distribution (quantiles within sampling error), stuck devices included.
 */
class NoiseAgreementTest {
    private static final int ROWS = 256;
    private static final int PAIRS_PER_ROW = 128;

    @Test
    void samplerAndSimulatorGiveTheSameEffectiveWeightsAtEveryLevel() {
        DevicePreset base = DevicePreset.load(DevicePreset.DEFAULT);
        // reads without noise: the sampler models what is programmed, not one read of it
        DevicePreset p = new DevicePreset(base.name(), base.description(), base.levels(), base.gMaxSiemens(),
                base.onOffRatio(), base.variationSigma(), base.stuckAtHighFraction(), base.stuckAtLowFraction(), 0,
                base.drift(), base.writeVerify());
        int top = p.levels() - 1;
        int n = ROWS * PAIRS_PER_ROW;
        for (int level : new int[] {0, 1, 5, top}) {
            float[] simulated = simulatedPairs(p, level, 31 + level);
            float[] w = new float[n + 1];
            Arrays.fill(w, (float) level / top);
            w[n] = 1f; // w_max = 1 (max|w|), so level / top maps to exactly this level
            float[] sampled = Arrays.copyOf(new DeviceAwareWeights(DeviceModel.of(p), 5 + level).sample(w), n);
            double[] a = moments(simulated);
            double[] b = moments(sampled);
            // standard errors at n = 32,768: the mean's std / 181, the std's about std / 256
            assertEquals(a[0], b[0], 4 * a[1] / Math.sqrt(n), "level " + level + ": mean effective weight");
            assertEquals(1.0, b[1] / a[1], 0.03, "level " + level + ": spread of the effective weight");
            Arrays.sort(simulated);
            Arrays.sort(sampled);
            for (double q : new double[] {0.02, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.98}) {
                int i = (int) (q * n);
                // a quantile's sampling error at n = 32,768 is a few 0.01 of the local spread
                double spread = simulated[Math.min(n - 1, i + n / 100)] - simulated[Math.max(0, i - n / 100)];
                assertEquals(simulated[i], sampled[i], Math.max(1e-4, spread),
                        "level " + level + ", quantile " + q);
            }
        }
    }

    @Test
    void bothPathsTakeTheirParametersFromThePresetAlone() {
        DevicePreset p = DevicePreset.load(DevicePreset.DEFAULT);
        DeviceNoise siemens = DeviceNoise.of(p);
        DeviceNoise relative = DeviceModel.of(p).noise();
        assertEquals(siemens.normalized(), relative);
        assertEquals(1.0 / p.onOffRatio(), relative.gMin(), 1e-15);
        // the same uniform makes the same fault, the same normal the same programmed value, on both scales
        for (double u : new double[] {0.0, 0.0174, 0.0176, 0.107, 0.108, 0.9}) {
            assertEquals(siemens.stuckAt(u), relative.stuckAt(u));
        }
        assertEquals(siemens.programmed(siemens.level(4), 0.7) / p.gMaxSiemens(),
                relative.programmed(relative.level(4), 0.7), 1e-12);
        assertTrue(relative.driftedAt(0.5, 0.05, 3600) < 0.5, "drift lowers the conductance");
        assertEquals(0.5, relative.driftedAt(0.5, 0.05, 0), 0.0, "no drift at programming time");
    }

    private static double[] moments(float[] x) {
        double sum = 0;
        double sq = 0;
        for (float v : x) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / x.length;
        return new double[] {mean, Math.sqrt(sq / x.length - mean * mean)};
    }

    /** Effective weights (G+ - G-) / (Gmax - Gmin) of pairs (level, Gmin) programmed on a simulated array. */
    private static float[] simulatedPairs(DevicePreset p, int level, long seed) {
        int cols = 2 * PAIRS_PER_ROW;
        int[] levels = new int[ROWS * cols];
        for (int i = 0; i < levels.length; i += 2) {
            levels[i] = level;
        }
        try (SimulatedArray a = new SimulatedArray("agree", p, ROWS, cols, seed)) {
            Block all = new Block(0, 0, ROWS, cols);
            a.program(ProgramRequest.ofLevels(all, levels, false)).toCompletableFuture().join();
            float[] g = a.read(all).toCompletableFuture().join().conductances();
            float[] out = new float[ROWS * PAIRS_PER_ROW];
            double range = p.gMaxSiemens() - p.gMinSiemens();
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) ((g[2 * i] - g[2 * i + 1]) / range);
            }
            return out;
        }
    }
}
