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
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        Characterization c = estimateWeighted(x, k, ones, n, levelTargets, gMin, gMax);
        return new Characterization(c.levels(), c.stuckHighFraction(), c.stuckLowFraction(), c.cellsUsed(),
                reads.length - n, c.iterations());
    }

    /**
     * The same fit over weighted points: point i is ln G = {@code logG[i]} of level {@code levelOfPoint[i]},
     * seen {@code weight[i]} times (a histogram bin, for instance: its centre and its count). With unit
     * weights it is exactly the fit of {@link #estimate(int[], float[], double[], double, double)}.
     * Cell counts in the result are the rounded weights.
     *
     * @param points how many leading entries of the arrays to use
     */
    public static Characterization estimateWeighted(double[] logG, int[] levelOfPoint, double[] weight, int points,
                                                    double[] levelTargets, double gMin, double gMax) {
        if (points > logG.length || points > levelOfPoint.length || points > weight.length) {
            throw new IllegalArgumentException("asked for " + points + " points but the arrays hold "
                    + Math.min(logG.length, Math.min(levelOfPoint.length, weight.length)));
        }
        int levels = levelTargets.length;
        double[] x = logG;
        int[] k = levelOfPoint;
        double[] count = new double[levels];
        double total = 0;
        for (int i = 0; i < points; i++) {
            int level = k[i];
            if (level < 0 || level >= levels) {
                throw new IllegalArgumentException("point " + i + " has level " + level + " outside 0.." + (levels - 1));
            }
            if (!(weight[i] >= 0) || !Double.isFinite(logG[i])) {
                throw new IllegalArgumentException("point " + i + " needs a finite ln G and a weight >= 0, got "
                        + logG[i] + " weight " + weight[i]);
            }
            count[level] += weight[i];
            total += weight[i];
        }
        int n = total > 0 ? points : 0;

        // start: robust per-level location and scale (median, MAD), stuck values at the nominal ends
        double[] m = new double[levels];
        double[] s = new double[levels];
        for (int level = 0; level < levels; level++) {
            int size = 0;
            for (int i = 0; i < points; i++) if (k[i] == level && weight[i] > 0) size++;
            double[] xs = new double[size];
            double[] ws = new double[size];
            int j = 0;
            for (int i = 0; i < points; i++) {
                if (k[i] == level && weight[i] > 0) {
                    xs[j] = x[i];
                    ws[j++] = weight[i];
                }
            }
            m[level] = size == 0 ? Math.log(levelTargets[level]) : weightedMedian(xs, ws);
            if (count[level] > 1) {
                double[] dev = new double[size];
                for (int i = 0; i < size; i++) dev[i] = Math.abs(xs[i] - m[level]);
                s[level] = Math.max(0.05, 1.4826 * weightedMedian(dev, ws));
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
            for (int i = 0; i < points; i++) {
                double wi = weight[i];
                if (wi == 0) continue;
                int level = k[i];
                double zd = (x[i] - m[level]) / s[level];
                double zl = (x[i] - muLow) / w;
                double zh = (x[i] - muHigh) / w;
                double ad = logWWork[level] - 0.5 * zd * zd;
                double al = logWLow - 0.5 * zl * zl;
                double ah = logWHigh - 0.5 * zh * zh;
                double max = Math.max(ad, Math.max(al, ah));
                // exp below -746 is exactly 0: skipping it changes no result and saves most of the work
                double ed = ad - max < -746 ? 0 : Math.exp(ad - max);
                double el = al - max < -746 ? 0 : Math.exp(al - max);
                double eh = ah - max < -746 ? 0 : Math.exp(ah - max);
                double sum = ed + el + eh;
                logLikelihood += wi * (max + Math.log(sum));
                double rd = wi * ed / sum, rl = wi * el / sum, rh = wi * eh / sum;
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
            pLow = rLowSum / total;
            pHigh = rHighSum / total;
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
                    fitted ? s[level] : Double.NaN, roundedCount(count[level])));
        }
        return new Characterization(List.copyOf(out), n == 0 ? Double.NaN : pHigh, n == 0 ? Double.NaN : pLow,
                roundedCount(total), 0, iteration);
    }

    private static int roundedCount(double weight) {
        return (int) Math.min(Integer.MAX_VALUE, Math.round(weight));
    }

    /** Weighted median; with equal weights and an even count, the mean of the two middle values. */
    private static double weightedMedian(double[] v, double[] weight) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double total = 0;
        for (double w : weight) total += w;
        double half = 0.5 * total;
        double cumulative = 0;
        for (int j = 0; j < order.length; j++) {
            cumulative += weight[order[j]];
            if (cumulative > half) {
                return v[order[j]];
            }
            if (cumulative == half && j + 1 < order.length) {
                return 0.5 * (v[order[j]] + v[order[j + 1]]);
            }
        }
        return v[order[order.length - 1]];
    }
}
