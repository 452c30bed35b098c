package org.rramlab.learning.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rramlab.learning.mapping.LayerMapping;
import org.rramlab.learning.mapping.WeightMapping;

/**
 * Digital drift compensation in the periphery: after the ADC, each column's (or each layer's)
 * output is multiplied by a gain, so that the measured weights, scaled, match the programmed
 * targets again. The gain of a column is the median of target / measured over its devices that
 * were programmed above Gmin and still read with the target's sign: the median ignores stuck
 * devices and the few refreshed ones, which a least-squares fit would follow. Gains are stored as
 * unsigned fixed point ({@code bits} bits, {@code fractionBits} after the point), as a register would.
 *
 * @param perColumn true: one gain per output column of each layer; false: one per layer (the cheap case)
 * @param gains     per layer: fanOut gains (per column) or one (per layer)
 */
public record ColumnGains(boolean perColumn, int bits, int fractionBits, List<float[]> gains) {
    /** Gains outside this range are clamped: a column that needs more has failed, not drifted. */
    static final double MIN_GAIN = 0.25;
    static final double MAX_GAIN = 4.0;

    /** No compensation: every gain 1. */
    public static ColumnGains identity(WeightMapping mapping, boolean perColumn, int bits, int fractionBits) {
        List<float[]> g = new ArrayList<>();
        for (LayerMapping l : mapping.layers()) {
            float[] ones = new float[perColumn ? l.fanOut() : 1];
            Arrays.fill(ones, 1f);
            g.add(ones);
        }
        return new ColumnGains(perColumn, bits, fractionBits, List.copyOf(g));
    }

    /** Estimates the gains from weights measured now against the mapping's targets. */
    public static ColumnGains estimate(WeightMapping mapping, List<float[]> measured, boolean perColumn, int bits,
                                       int fractionBits) {
        return estimate(mapping, measured, perColumn, bits, fractionBits, null);
    }

    /**
     * As above, leaving out the weights marked in {@code skip} (per layer; null: none): refreshed devices,
     * whose drift runs on a younger clock than their column's, say little about the gain the column needs.
     */
    public static ColumnGains estimate(WeightMapping mapping, List<float[]> measured, boolean perColumn, int bits,
                                       int fractionBits, List<boolean[]> skip) {
        List<float[]> targets = mapping.targetWeights();
        List<float[]> out = new ArrayList<>();
        for (int l = 0; l < mapping.layers().size(); l++) {
            LayerMapping layer = mapping.layers().get(l);
            float[] t = targets.get(l);
            float[] m = measured.get(l);
            int groups = perColumn ? layer.fanOut() : 1;
            float[] g = new float[groups];
            for (int c = 0; c < groups; c++) {
                int from = perColumn ? c * layer.fanIn() : 0;
                int to = perColumn ? from + layer.fanIn() : t.length;
                g[c] = (float) quantize(median(t, m, skip == null ? null : skip.get(l), from, to), bits, fractionBits);
            }
            out.add(g);
        }
        return new ColumnGains(perColumn, bits, fractionBits, List.copyOf(out));
    }

    private static double median(float[] t, float[] m, boolean[] skip, int from, int to) {
        double[] ratios = new double[to - from];
        int n = 0;
        int all = 0;
        for (int i = from; i < to; i++) {
            if (t[i] != 0 && m[i] != 0 && Math.signum(t[i]) == Math.signum(m[i])) {
                all++;
                if (skip == null || !skip[i]) {
                    ratios[n++] = t[i] / m[i];
                }
            }
        }
        if (n < all / 2) {
            // most of the column was skipped: its remaining devices are too few to speak for it
            return median(t, m, null, from, to);
        }
        if (n == 0) {
            return 1;
        }
        Arrays.sort(ratios, 0, n);
        double med = n % 2 == 1 ? ratios[n / 2] : 0.5 * (ratios[n / 2 - 1] + ratios[n / 2]);
        return Math.max(MIN_GAIN, Math.min(MAX_GAIN, med));
    }

    private static double quantize(double g, int bits, int fractionBits) {
        double step = Math.scalb(1.0, -fractionBits);
        double top = (Math.scalb(1.0, bits) - 1) * step;
        return Math.min(top, Math.round(g / step) * step);
    }

    /** The gain applied to weight {@code i} of layer {@code l}. */
    public float gain(WeightMapping mapping, int l, int i) {
        float[] g = gains.get(l);
        return perColumn ? g[i / mapping.layers().get(l).fanIn()] : g[0];
    }

    /** The measured weights as the periphery sees them, each column scaled by its gain. */
    public List<float[]> apply(WeightMapping mapping, List<float[]> measured) {
        List<float[]> out = new ArrayList<>();
        for (int l = 0; l < measured.size(); l++) {
            float[] m = measured.get(l);
            float[] w = new float[m.length];
            int fanIn = mapping.layers().get(l).fanIn();
            float[] g = gains.get(l);
            for (int i = 0; i < m.length; i++) {
                w[i] = m[i] * (perColumn ? g[i / fanIn] : g[0]);
            }
            out.add(w);
        }
        return out;
    }

    /** Gain registers in the periphery: one per column, or one per layer. */
    public long registers() {
        return gains.stream().mapToLong(g -> g.length).sum();
    }

    /** How far the gains are from 1, the largest over all columns (how much drift they undo). */
    public double largestCorrection() {
        double worst = 0;
        for (float[] g : gains) {
            for (float x : g) {
                worst = Math.max(worst, Math.abs(x - 1));
            }
        }
        return worst;
    }
}
