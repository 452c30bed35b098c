package org.rramlab.statistics;

import org.rramlab.device.noise.DeviceNoise;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.characterize.Characterization;
import org.rramlab.device.characterize.ConductanceEstimator;

/**
 * Per-level distribution of ln G: a fixed-bin histogram ({@value #BIN_NEPERS} nepers over
 * [ln Gmin - 4, ln Gmax + 2], values outside land in the end bins) and exact count, sum and sum
 * of squares. Memory is fixed by the preset, whatever the number of reads, and two histograms
 * merge by adding, so the overall model is the sum of the arrays'. The bin width is half the
 * width of the stuck-at spikes at 1 % read noise, fine enough for the fit to resolve them.
 */
final class LevelHistogram {
    static final double BIN_NEPERS = 0.005;
    /** Bins merged into one bin of the plotting histogram in reports (0.1 nepers). */
    static final int PLOT_MERGE = 20;

    final int levels;
    final int bins;
    final double low;
    final long[] counts;
    final long[] n;
    final double[] sum;
    final double[] sumSquares;

    LevelHistogram(DevicePreset preset) {
        this.levels = preset.levels();
        this.low = Math.log(preset.gMinSiemens()) - 4;
        double high = Math.log(preset.gMaxSiemens()) + 2;
        this.bins = (int) Math.ceil((high - low) / BIN_NEPERS);
        this.counts = new long[levels * bins];
        this.n = new long[levels];
        this.sum = new double[levels];
        this.sumSquares = new double[levels];
    }

    /** Bin of ln G, clamped to the end bins. */
    int bin(double x) {
        int b = (int) ((x - low) * (1 / BIN_NEPERS));
        return b < 0 ? 0 : b >= bins ? bins - 1 : b;
    }

    double binCentre(int bin) {
        return low + (bin + 0.5) * BIN_NEPERS;
    }

    /** One read of ln G = {@code x} of a cell at {@code level}, in histogram bin {@code bin} (of all levels' bins). */
    void add(int level, int bin, double x) {
        counts[bin]++;
        n[level]++;
        sum[level] += x;
        sumSquares[level] += x * x;
    }

    void merge(LevelHistogram other) {
        for (int i = 0; i < counts.length; i++) counts[i] += other.counts[i];
        for (int k = 0; k < levels; k++) {
            n[k] += other.n[k];
            sum[k] += other.sum[k];
            sumSquares[k] += other.sumSquares[k];
        }
    }

    long total() {
        long t = 0;
        for (long c : n) t += c;
        return t;
    }

    /** The shared EM (working cells per level, stuck spikes at the ends) over the non-empty bins. */
    Characterization fit(DevicePreset preset) {
        int points = 0;
        for (long c : counts) if (c != 0) points++;
        double[] x = new double[points];
        int[] level = new int[points];
        double[] weight = new double[points];
        int p = 0;
        for (int k = 0; k < levels; k++) {
            for (int b = 0, i = k * bins; b < bins; b++, i++) {
                if (counts[i] != 0) {
                    x[p] = binCentre(b);
                    level[p] = k;
                    weight[p++] = counts[i];
                }
            }
        }
        double[] targets = new double[levels];
        DeviceNoise law = DeviceNoise.of(preset);
        for (int k = 0; k < levels; k++) targets[k] = law.level(k);
        return ConductanceEstimator.estimateWeighted(x, level, weight, points, targets,
                preset.gMinSiemens(), preset.gMaxSiemens());
    }

    /** Reads of level k per plotting bin ({@value #PLOT_MERGE} bins merged), starting at {@link #low}. */
    java.util.List<Long> plotBins(int k) {
        int plotBins = (bins + PLOT_MERGE - 1) / PLOT_MERGE;
        long[] out = new long[plotBins];
        for (int b = 0, i = k * bins; b < bins; b++, i++) out[b / PLOT_MERGE] += counts[i];
        java.util.List<Long> list = new java.util.ArrayList<>(plotBins);
        for (long c : out) list.add(c);
        return list;
    }

    /** Mean of ln G over every read of the level (stuck cells included). */
    double rawMean(int k) {
        return n[k] == 0 ? Double.NaN : sum[k] / n[k];
    }

    double rawSigma(int k) {
        if (n[k] < 2) return Double.NaN;
        double mean = sum[k] / n[k];
        return Math.sqrt(Math.max(0, (sumSquares[k] - n[k] * mean * mean) / (n[k] - 1)));
    }
}
