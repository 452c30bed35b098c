package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.noise.DeviceNoise;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.learning.device.DeviceAwareWeights;
import org.rramlab.learning.device.DeviceModel;

/**
 * The training sampler and the array simulator draw from one law, and it is the preset's: at every
 * level, the effective weights of differential pairs programmed on a simulated array, and those the
 * sampler draws, each follow the distribution this test computes itself from the preset's numbers
 * (stuck-at mixture, lognormal spread, numerical integration for the difference of two lognormals):
 * a Kolmogorov-Smirnov distance under its 0.1 % critical value, 1.95 / sqrt(n). The two paths share
 * DeviceNoise and are seeded apart; the law they are held to shares nothing with them.
 */
class NoiseAgreementTest {
    private static final int ROWS = 256;
    private static final int PAIRS_PER_ROW = 128;
    private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);

    @Test
    void samplerAndSimulatorEachFollowThePresetsLawAtEveryLevel() {
        DevicePreset base = DevicePreset.load(DevicePreset.DEFAULT);
        // reads without noise: the sampler models what is programmed, not one read of it
        DevicePreset p = new DevicePreset(base.name(), base.description(), base.levels(), base.gMaxSiemens(),
                base.onOffRatio(), base.variationSigma(), base.stuckAtHighFraction(), base.stuckAtLowFraction(), 0,
                base.drift(), base.writeVerify());
        int top = p.levels() - 1;
        int n = ROWS * PAIRS_PER_ROW;
        double critical = 1.95 / Math.sqrt(n);
        for (int level : new int[] {0, 1, 5, top}) {
            Law law = new Law(p, level);
            float[] simulated = simulatedPairs(p, level, 31 + level);
            float[] w = new float[n + 1];
            Arrays.fill(w, (float) level / top);
            w[n] = 1f; // w_max = 1 (max|w|), so level / top maps to exactly this level
            float[] sampled = Arrays.copyOf(new DeviceAwareWeights(DeviceModel.of(p), 5 + level).sample(w), n);
            for (var path : java.util.Map.of("simulator", simulated, "sampler", sampled).entrySet()) {
                double[] m = moments(path.getValue());
                String where = "level " + level + ", " + path.getKey();
                // the sample mean's standard error is the law's sd / sqrt(n)
                assertEquals(law.mean(), m[0], 4 * law.sd() / Math.sqrt(n), where + ": mean effective weight");
                double d = ksDistance(path.getValue(), law);
                System.out.printf("%s: KS distance %.4f (critical %.4f), mean %.4f (law %.4f)%n", where, d, critical,
                        m[0], law.mean());
                assertTrue(d < critical, where + ": KS distance to the preset's law " + d + " >= " + critical);
            }
        }
    }

    /**
     * The effective weight (G+ - G-) / (Gmax - Gmin) of a pair (level, Gmin) under the preset, with
     * conductances in units of Gmax: each device stuck at Gmax (pH), at Gmin (pL), or its target times
     * exp(sigma Z).
     */
    record Law(double pH, double pL, double sigma, double gMin, double a, double b) {
        Law(DevicePreset p, int level) {
            this(p.stuckAtHighFraction(), p.stuckAtLowFraction(), p.variationSigma(), 1 / p.onOffRatio(),
                    DeviceNoise.of(p).level(level) / p.gMaxSiemens(), 1 / p.onOffRatio());
        }

        double pc() {
            return 1 - pH - pL;
        }

        double range() {
            return 1 - gMin;
        }

        /** E[G] of a device with target t. */
        double deviceMean(double t) {
            return pH + pL * gMin + pc() * t * Math.exp(sigma * sigma / 2);
        }

        double deviceSecondMoment(double t) {
            return pH + pL * gMin * gMin + pc() * t * t * Math.exp(2 * sigma * sigma);
        }

        double mean() {
            return (deviceMean(a) - deviceMean(b)) / range();
        }

        double sd() {
            double va = deviceSecondMoment(a) - deviceMean(a) * deviceMean(a);
            double vb = deviceSecondMoment(b) - deviceMean(b) * deviceMean(b);
            return Math.sqrt(va + vb) / range();
        }

        /** P(w <= x), or P(w < x) when {@code strict} (the stuck-stuck pairs are point masses). */
        double cdf(double x, boolean strict) {
            double y = x * range();
            double f = 0;
            // both stuck: differences 0, Gmax - Gmin, Gmin - Gmax
            f += (pH * pH + pL * pL) * step(y, 0, strict) + pH * pL * step(y, range(), strict)
                    + pL * pH * step(y, -range(), strict);
            // one stuck, the other lognormal
            f += pH * pc() * above(1 - y, b) + pL * pc() * above(gMin - y, b);
            f += pc() * pH * below(y + 1, a) + pc() * pL * below(y + gMin, a);
            // both lognormal: integrate over the second device's z
            f += pc() * pc() * bothLognormal(y);
            return f;
        }

        private static double step(double y, double at, boolean strict) {
            return strict ? (y > at ? 1 : 0) : (y >= at ? 1 : 0);
        }

        /** P(t exp(sigma Z) >= v). */
        private double above(double v, double t) {
            return v <= 0 ? 1 : 1 - NORMAL.cumulativeProbability(Math.log(v / t) / sigma);
        }

        /** P(t exp(sigma Z) <= v). */
        private double below(double v, double t) {
            return v <= 0 ? 0 : NORMAL.cumulativeProbability(Math.log(v / t) / sigma);
        }

        /** P(a e^(sigma Z1) - b e^(sigma Z2) <= y) by the midpoint rule over z2 in [-8, 8]. */
        private double bothLognormal(double y) {
            int steps = 800;
            double h = 16.0 / steps;
            double sum = 0;
            for (int i = 0; i < steps; i++) {
                double z2 = -8 + (i + 0.5) * h;
                sum += NORMAL.density(z2) * below(y + b * Math.exp(sigma * z2), a) * h;
            }
            return sum;
        }
    }

    /**
     * An upper bound of sup |F_n - F| over the sample: exact at every 32nd order statistic and at every
     * run of equal values (the point masses), and between two such points the largest gap the monotone
     * F_n and F leave room for (which adds at most about 32 / n + the law's rise over the stretch).
     */
    static double ksDistance(float[] sample, Law law) {
        double[] x = new double[sample.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = sample[i];
        }
        Arrays.sort(x);
        int n = x.length;
        int stride = 32;
        double d = 0;
        double lastF = Double.NaN;
        int lastEnd = -1;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && x[j + 1] == x[i]) {
                j++;
            }
            boolean tie = j > i;
            boolean marked = tie || i == 0 || j == n - 1 || (i / stride != (j + 1) / stride);
            if (marked) {
                double f = law.cdf(x[i], false);
                double fLeft = tie ? law.cdf(x[i], true) : f;
                d = Math.max(d, Math.abs(f - (j + 1) / (double) n));
                d = Math.max(d, Math.abs(fLeft - i / (double) n));
                if (lastEnd >= 0) {
                    // between the last marked value and this one: F_n in [(lastEnd + 1) / n, i / n], F in [lastF, fLeft]
                    d = Math.max(d, Math.max(i / (double) n - lastF, fLeft - (lastEnd + 1) / (double) n));
                }
                lastF = f;
                lastEnd = j;
            }
            i = j + 1;
        }
        return d;
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
