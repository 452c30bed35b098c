package org.rramlab.statistics;

import java.util.ArrayList;
import java.util.List;

/**
 * Sums for the drift law, per level and per bin of log-time L = ln((t + t0) / t0), t the time
 * since the cell was programmed: count, sum of L, and sum and sum of squares of the ln-deviation
 * of each read from the cell's first read after programming. Deviations remove the cell-to-cell
 * spread of the programmed value, so the drift slope shows even over a few cells, and stuck cells
 * (left out when the first read finds them at a stuck value) cannot dilute it. Bins are
 * {@value #BIN} wide up to L = {@value #BINS} * {@value #BIN}; memory is fixed and bins merge.
 */
final class DriftBins {
    static final double BIN = 0.1;
    static final int BINS = 400;
    /** Bins merged into one point of the plotted curve (L steps of 0.5). */
    static final int PLOT_MERGE = 5;

    final int levels;
    final long[] n;
    final double[] sumL;
    final double[] sumDev;
    final double[] sumDevSquares;
    /** Cell programmings whose first read set a reference: the population the slope averages over. */
    final long[] referenceCells;

    DriftBins(int levels) {
        this.levels = levels;
        n = new long[levels * BINS];
        sumL = new double[levels * BINS];
        sumDev = new double[levels * BINS];
        sumDevSquares = new double[levels * BINS];
        referenceCells = new long[levels];
    }

    static int bin(double logTime) {
        int b = (int) (logTime * (1 / BIN));
        return b >= BINS ? BINS - 1 : b;
    }

    void merge(DriftBins other) {
        for (int i = 0; i < n.length; i++) {
            n[i] += other.n[i];
            sumL[i] += other.sumL[i];
            sumDev[i] += other.sumDev[i];
            sumDevSquares[i] += other.sumDevSquares[i];
        }
        for (int k = 0; k < levels; k++) referenceCells[k] += other.referenceCells[k];
    }

    /**
     * Per level, least squares of the bin-mean deviation against the bin-mean L (weights: reads):
     * nu = -slope. Its standard error combines the scatter of the bins about the line with the
     * cell-to-cell spread of nu over the cells observed (the same cells fill every bin, so the
     * bins alone would understate it). The spread of nu comes from the growth of the deviation
     * variance: var(L) = 2 noise^2 + spread^2 L^2.
     */
    List<LevelDrift> fit(double t0) {
        List<LevelDrift> out = new ArrayList<>(levels);
        for (int k = 0; k < levels; k++) {
            out.add(fitLevel(k, t0));
        }
        return List.copyOf(out);
    }

    /** The measured curve of level k: one point per {@value #PLOT_MERGE} bins that hold reads. */
    private List<LevelDrift.DriftPoint> points(int k, double t0) {
        List<LevelDrift.DriftPoint> out = new ArrayList<>();
        int base = k * BINS;
        for (int start = 0; start < BINS; start += PLOT_MERGE) {
            long c = 0;
            double l = 0, dev = 0;
            for (int b = start; b < Math.min(BINS, start + PLOT_MERGE); b++) {
                c += n[base + b];
                l += sumL[base + b];
                dev += sumDev[base + b];
            }
            if (c > 0) {
                double meanL = l / c;
                out.add(new LevelDrift.DriftPoint(meanL, t0 * Math.expm1(meanL), dev / c, c));
            }
        }
        return out;
    }

    private LevelDrift fitLevel(int k, double t0) {
        int base = k * BINS;
        // per bin: the reads (its weight), the mean log time x, the mean deviation y and its variance v
        long[] count = new long[BINS];
        double[] xs = new double[BINS];
        double[] ys = new double[BINS];
        double[] vs = new double[BINS];
        double w = 0, wx = 0, wy = 0, wu = 0, wv = 0;
        int used = 0;
        long reads = 0;
        for (int b = 0; b < BINS; b++) {
            long c = n[base + b];
            if (c == 0) continue;
            double x = sumL[base + b] / c;
            double y = sumDev[base + b] / c;
            double v = Math.max(0, sumDevSquares[base + b] / c - y * y);
            count[b] = c;
            xs[b] = x;
            ys[b] = y;
            vs[b] = v;
            w += c;
            wx += c * x;
            wy += c * y;
            wu += c * x * x;
            wv += c * v;
            used++;
            reads += c;
        }
        if (used < 2) {
            return new LevelDrift(k, Double.NaN, Double.NaN, Double.NaN, used, reads, referenceCells[k], points(k, t0));
        }
        double xm = wx / w, ym = wy / w, um = wu / w, vm = wv / w;
        double sxx = 0, sxy = 0, suu = 0, suv = 0;
        for (int b = 0; b < BINS; b++) {
            long c = count[b];
            if (c == 0) continue;
            double x = xs[b];
            double y = ys[b];
            double v = vs[b];
            double u = x * x;
            sxx += c * (x - xm) * (x - xm);
            sxy += c * (x - xm) * (y - ym);
            suu += c * (u - um) * (u - um);
            suv += c * (u - um) * (v - vm);
        }
        if (!(sxx > 0)) {
            return new LevelDrift(k, Double.NaN, Double.NaN, Double.NaN, used, reads, referenceCells[k], points(k, t0));
        }
        double slope = sxy / sxx;
        double spread = suu > 0 ? Math.sqrt(Math.max(0, suv / suu)) : Double.NaN;
        double residual = 0;
        for (int b = 0; b < BINS; b++) {
            long c = count[b];
            if (c == 0) continue;
            double r = ys[b] - (ym + slope * (xs[b] - xm));
            residual += c * r * r;
        }
        double bins = used > 2 ? residual / ((used - 2) * sxx) : 0;
        double population = Double.isFinite(spread) && referenceCells[k] > 0
                ? spread * spread / referenceCells[k] : 0;
        return new LevelDrift(k, -slope, Math.sqrt(bins + population), spread, used, reads, referenceCells[k], points(k, t0));
    }
}
