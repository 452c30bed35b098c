package org.rramlab.learning.device;

import ai.djl.ndarray.NDArray;
import java.util.SplittableRandom;
import org.rramlab.device.noise.DeviceNoise;
import org.rramlab.learning.model.WeightSource;

/**
 * Device-aware forward: every call draws what the arrays would hold if the master weight were
 * mapped now. Per layer, w_max = max|w|; |w| / w_max goes to the nearest of the levels on one device
 * of a differential pair and the other device sits at Gmin; each device then gets lognormal
 * variation G * exp(N(0, sigma)) and, independently, a stuck-at-Gmax or stuck-at-Gmin fault: the
 * simulator's own law ({@link DeviceNoise}), drawn here from a seeded stream instead of per-cell counters.
 * The effective weight (G+ - G-) / (Gmax - Gmin) * w_max goes forward; the gradient passes
 * straight through to the master weight (straight-through estimator).
 *
 * <p>The draw is done in Java on a copy of the weights: a few hundred thousand random numbers per
 * step, single-threaded and seeded, cheaper than dozens of small tensor operations each paying
 * thread-pool synchronization on a shared CPU. Not thread-safe: one instance per training run.
 */
public final class DeviceAwareWeights implements WeightSource {
    private final DeviceModel model;
    private final SplittableRandom random;
    private final double repairFraction;
    private final double wMaxQuantile;

    public DeviceAwareWeights(DeviceModel model) {
        this(model, 1, 0);
    }

    public DeviceAwareWeights(DeviceModel model, long seed) {
        this(model, seed, 0);
    }

    /**
     * @param repairFraction share of each layer's weights whose draw is replaced by the intended weight:
     *                       the largest errors, as an SRAM branch of that budget would correct them after
     *                       mapping. 0 trains for the arrays alone (the paper's setting).
     */
    public DeviceAwareWeights(DeviceModel model, long seed, double repairFraction) {
        this(model, seed, repairFraction, 1.0);
    }

    /** @param wMaxQuantile the same w_max rule as the mapping's ({@code MappingConfig.wMaxQuantile}) */
    public DeviceAwareWeights(DeviceModel model, long seed, double repairFraction, double wMaxQuantile) {
        this.model = model;
        this.random = new SplittableRandom(seed);
        this.repairFraction = repairFraction;
        this.wMaxQuantile = wMaxQuantile;
    }

    @Override
    public NDArray weight(int layer, NDArray master) {
        NDArray detached = master.stopGradient();
        NDArray sampled = master.getManager().create(sample(detached.toFloatArray()), master.getShape());
        return master.add(sampled.sub(detached).stopGradient());
    }

    /** One draw of the mapped weights for the given weights (one layer). */
    public float[] sample(float[] w) {
        float wMax = org.rramlab.learning.mapping.MappingConfig.wMax(w, wMaxQuantile);
        int top = model.levels() - 1;
        double gMin = model.gMinRelative();
        double step = (1 - gMin) / top;
        double scale = wMax / (1 - gMin);
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            long level = Math.min(top, Math.round(Math.abs(w[i]) / wMax * top));
            double active = device(gMin + level * step);
            double other = device(gMin);
            double v = (active - other) * scale;
            out[i] = (float) (w[i] < 0 ? -v : v);
        }
        int k = (int) Math.round(repairFraction * w.length);
        if (k > 0) {
            repairLargestErrors(w, out, k);
        }
        return out;
    }

    private static void repairLargestErrors(float[] w, float[] out, int k) {
        float[] err = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            err[i] = Math.abs(out[i] - w[i]);
        }
        float[] sorted = err.clone();
        java.util.Arrays.sort(sorted);
        float threshold = sorted[sorted.length - k];
        int repaired = 0;
        for (int i = 0; i < w.length && repaired < k; i++) {
            if (err[i] >= threshold) {
                out[i] = w[i];
                repaired++;
            }
        }
    }

    /** One device of a pair: stuck-at first (one uniform draw), else programming noise (one normal draw). */
    private double device(double target) {
        DeviceNoise noise = model.noise();
        DeviceNoise.Stuck stuck = noise.stuckAt(random.nextDouble());
        if (stuck != DeviceNoise.Stuck.NONE) {
            return noise.stuckConductance(stuck);
        }
        return noise.variationSigma() > 0 ? noise.programmed(target, random.nextGaussian()) : target;
    }
}
