package org.rramlab.statistics;

import java.util.Arrays;
import java.util.List;

/**
 * Change detection of one array, frame by frame, on the ln-deviation of each read from the
 * cell's first read after programming (stuck cells left out):
 * <ul>
 * <li>median rule: per level, the frame's median deviation gives the relative move of the
 * level's median conductance; past the threshold it raises {@link DriftDetected}, once, until
 * the level is programmed again;</li>
 * <li>CUSUM: two-sided, on the frame's mean deviation m: S+ = max(0, S+ + m - k),
 * S- = max(0, S- - m - k); when either passes h it raises {@link CusumAlarm}, once, until the
 * array is programmed again. With the default k = ln(1 + threshold) it accumulates only
 * deviations past the threshold, so a jump or a run of frames beyond it trips it, noise does not.</li>
 * </ul>
 * The per-frame medians come from a small histogram ({@value #BIN} nepers, +-{@value #HALF_RANGE}).
 */
final class ChangeDetector {
    static final double BIN = 0.001;
    static final double HALF_RANGE = 0.3;
    static final int CENTRE = (int) Math.round(HALF_RANGE / BIN);
    static final int BINS = 2 * CENTRE + 1;

    final int levels;
    final int[] frameCounts;
    final int[] frameN;
    double frameSum;
    long frameTotal;

    final boolean[] alarmed;
    double cusumUp;
    double cusumDown;
    boolean cusumAlarmed;

    ChangeDetector(int levels) {
        this.levels = levels;
        frameCounts = new int[levels * BINS];
        frameN = new int[levels];
        alarmed = new boolean[levels];
    }

    /**
     * The bin of the nearest multiple of {@link #BIN}, clamped to the ends. Rounds by adding a half
     * and truncating (Math.round costs a dozen operations per cell on Java 17): every argument
     * below the first bin truncates to 0 or less, which is the clamped value anyway.
     */
    static int bin(double deviation) {
        int b = (int) (deviation * (1 / BIN) + (CENTRE + 0.5));
        return b < 0 ? 0 : b >= BINS ? BINS - 1 : b;
    }

    /** A level was programmed again: its median rule starts over. */
    void rearm(int level) {
        alarmed[level] = false;
    }

    /** The array was programmed again: the CUSUM starts over. */
    void resetCusum() {
        cusumUp = 0;
        cusumDown = 0;
        cusumAlarmed = false;
    }

    void endFrame(String arrayId, double arrayTime, StatisticsConfig config, List<StatisticsEvent> events) {
        for (int k = 0; k < levels; k++) {
            if (frameN[k] == 0) continue;
            if (!alarmed[k] && frameN[k] >= config.minCellsPerLevel()) {
                double change = Math.expm1(median(k));
                if (Math.abs(change) > config.driftThreshold()) {
                    alarmed[k] = true;
                    events.add(new DriftDetected(arrayId, k, change, arrayTime));
                }
            }
            Arrays.fill(frameCounts, k * BINS, (k + 1) * BINS, 0);
            frameN[k] = 0;
        }
        if (frameTotal >= config.minCellsPerLevel()) {
            double mean = frameSum / frameTotal;
            cusumUp = Math.max(0, cusumUp + mean - config.cusumAllowance());
            cusumDown = Math.max(0, cusumDown - mean - config.cusumAllowance());
            double statistic = Math.max(cusumUp, cusumDown);
            if (!cusumAlarmed && statistic > config.cusumDecision()) {
                cusumAlarmed = true;
                events.add(new CusumAlarm(arrayId, mean, statistic, arrayTime));
            }
        }
        frameSum = 0;
        frameTotal = 0;
    }

    /** Median deviation of a level in this frame, interpolated within its bin. */
    private double median(int k) {
        double half = 0.5 * frameN[k];
        long cumulative = 0;
        int base = k * BINS;
        for (int b = 0; b < BINS; b++) {
            int c = frameCounts[base + b];
            if (c > 0 && cumulative + c >= half) {
                return (b - CENTRE - 0.5 + (half - cumulative) / c) * BIN;
            }
            cumulative += c;
        }
        return 0;
    }
}
