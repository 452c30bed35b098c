package org.rramlab.device.characterize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Estimates level statistics and stuck-at fractions from reads alone.
 *
 * <p>Model, in ln G: a cell programmed to level k reads from N(m_k, s_k) if it works, or sits at
 * one of two stuck values, N(mu_low, w) near Gmin or N(mu_high, w) near Gmax (w: read noise).
 * Faults are independent of targets, so the stuck weights p_low, p_high are shared by all levels;
 * they are pinned by the levels whose targets are far from the stuck values, which lets the same
 * fit separate stuck cells from working cells at levels 0 and top, where both overlap. The fit is
 * expectation-maximisation over every usable read; medians are exp(m_k), means exp(m_k + s_k^2/2).
 */
public final class ConductanceEstimator {
    private static final int MAX_ITERATIONS = 400;
    private static final double TOLERANCE = 1e-10;
    private static final double MIN_WIDTH = 1e-3;
    private static final double MIN_SIGMA = 1e-6;

    private ConductanceEstimator() {}

    /**
     * @param levelOfCell  level each cell was programmed to
     * @param reads        conductance read from each cell, siemens (NaN or <= 0: unusable)
     * @param levelTargets target conductance of each level, siemens
     * @param gMin         nominal Gmin, where stuck-low cells sit (a starting point: refined by the fit)
     * @param gMax         nominal Gmax, where stuck-high cells sit (likewise)
     */
    public static Characterization estimate(int[] levelOfCell, float[] reads, double[] levelTargets,
                                            double gMin, double gMax) {
        if (levelOfCell.length != reads.length) {
            throw new IllegalArgumentException("need one level per read: " + levelOfCell.length
                    + " levels for " + reads.length + " reads");
        }
        int levels = levelTargets.length;
        int n = 0;
        double[] x = new double[reads.length];
        int[] k = new int[reads.length];
        for (int i = 0; i < reads.length; i++) {
            int level = levelOfCell[i];
            if (level < 0 || level >= levels) {
                throw new IllegalArgumentException("cell " + i + " has level " + level + " outside 0.." + (levels - 1));
            }
            if (reads[i] > 0 && Float.isFinite(reads[i])) {
                x[n] = Math.log(reads[i]);
                k[n] = level;
                n++;
            }
        }
        int unusable = reads.length - n;
        int[] count = new int[levels];
        for (int i = 0; i < n; i++) count[k[i]]++;

        // start: robust per-level location and scale (median, MAD), stuck values at the nominal ends
        double[] m = new double[levels];
        double[] s = new double[levels];
        for (int level = 0; level < levels; level++) {
            double[] xs = new double[count[level]];
            int j = 0;
            for (int i = 0; i < n; i++) if (k[i] == level) xs[j++] = x[i];
            m[level] = xs.length == 0 ? Math.log(levelTargets[level]) : median(xs);
            if (xs.length > 1) {
                double[] dev = new double[xs.length];
                for (int i = 0; i < xs.length; i++) dev[i] = Math.abs(xs[i] - m[level]);
                s[level] = Math.max(0.05, 1.4826 * median(dev));
            } else {
                s[level] = 0.5;
            }
        }
        double muLow = Math.log(gMin);
        double muHigh = Math.log(gMax);
        double w = 0.02;
        double pLow = 0.05;
        double pHigh = 0.05;

        double[] sumR = new double[levels];
        double[] sumRx = new double[levels];
        double[] sumRxx = new double[levels];
        double previous = Double.NEGATIVE_INFINITY;
        int iteration = 0;
        final double halfLog2Pi = 0.5 * Math.log(2 * Math.PI);
        while (iteration < MAX_ITERATIONS && n > 0) {
            iteration++;
            Arrays.fill(sumR, 0);
            Arrays.fill(sumRx, 0);
            Arrays.fill(sumRxx, 0);
            double rLowSum = 0, rLowX = 0, rLowXX = 0, rHighSum = 0, rHighX = 0, rHighXX = 0;
            double logLikelihood = 0;
            double pWork = Math.max(1e-12, 1 - pLow - pHigh);
            double logWLow = Math.log(Math.max(pLow, 1e-300)) - Math.log(w) - halfLog2Pi;
            double logWHigh = Math.log(Math.max(pHigh, 1e-300)) - Math.log(w) - halfLog2Pi;
            double[] logWWork = new double[levels];
            for (int level = 0; level < levels; level++) {
                logWWork[level] = Math.log(pWork) - Math.log(s[level]) - halfLog2Pi;
            }
            for (int i = 0; i < n; i++) {
                int level = k[i];
                double zd = (x[i] - m[level]) / s[level];
                double zl = (x[i] - muLow) / w;
                double zh = (x[i] - muHigh) / w;
                double ad = logWWork[level] - 0.5 * zd * zd;
                double al = logWLow - 0.5 * zl * zl;
                double ah = logWHigh - 0.5 * zh * zh;
                double max = Math.max(ad, Math.max(al, ah));
                double ed = Math.exp(ad - max), el = Math.exp(al - max), eh = Math.exp(ah - max);
                double total = ed + el + eh;
                logLikelihood += max + Math.log(total);
                double rd = ed / total, rl = el / total, rh = eh / total;
                sumR[level] += rd;
                sumRx[level] += rd * x[i];
                sumRxx[level] += rd * x[i] * x[i];
                rLowSum += rl;
                rLowX += rl * x[i];
                rLowXX += rl * x[i] * x[i];
                rHighSum += rh;
                rHighX += rh * x[i];
                rHighXX += rh * x[i] * x[i];
            }
            pLow = rLowSum / n;
            pHigh = rHighSum / n;
            if (rLowSum > 1e-9) muLow = rLowX / rLowSum;
            if (rHighSum > 1e-9) muHigh = rHighX / rHighSum;
            double spikeVar = (rLowXX - 2 * muLow * rLowX + muLow * muLow * rLowSum
                    + rHighXX - 2 * muHigh * rHighX + muHigh * muHigh * rHighSum) / Math.max(1e-12, rLowSum + rHighSum);
            w = Math.max(MIN_WIDTH, Math.sqrt(Math.max(0, spikeVar)));
            for (int level = 0; level < levels; level++) {
                if (sumR[level] > 1e-9) {
                    m[level] = sumRx[level] / sumR[level];
                    double var = sumRxx[level] / sumR[level] - m[level] * m[level];
                    s[level] = Math.max(MIN_SIGMA, Math.sqrt(Math.max(0, var)));
                }
            }
            if (Math.abs(logLikelihood - previous) <= TOLERANCE * Math.abs(logLikelihood)) {
                break;
            }
            previous = logLikelihood;
        }

        List<LevelStatistics> out = new ArrayList<>(levels);
        for (int level = 0; level < levels; level++) {
            boolean fitted = count[level] >= 2;
            out.add(new LevelStatistics(level, levelTargets[level],
                    fitted ? Math.exp(m[level] + 0.5 * s[level] * s[level]) : Double.NaN,
                    fitted ? Math.exp(m[level]) : Double.NaN,
                    fitted ? s[level] : Double.NaN, count[level]));
        }
        return new Characterization(List.copyOf(out), n == 0 ? Double.NaN : pHigh, n == 0 ? Double.NaN : pLow,
                n, unusable, iteration);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int h = c.length / 2;
        return c.length % 2 == 1 ? c[h] : 0.5 * (c[h - 1] + c[h]);
    }
}
