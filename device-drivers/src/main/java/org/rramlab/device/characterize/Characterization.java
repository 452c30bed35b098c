package org.rramlab.device.characterize;

import java.util.List;

/** Device statistics estimated from reads of an array programmed to known levels. */
public record Characterization(List<LevelStatistics> levels, double stuckHighFraction, double stuckLowFraction,
                               int cellsUsed, int cellsUnusable, int iterations) {
    /** Cell-weighted mean of the per-level log sigmas: the variation sigma of a preset. */
    public double pooledLogSigma() {
        double sum = 0;
        long n = 0;
        for (LevelStatistics s : levels) {
            if (Double.isFinite(s.logSigma())) {
                sum += s.logSigma() * s.cells();
                n += s.cells();
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
