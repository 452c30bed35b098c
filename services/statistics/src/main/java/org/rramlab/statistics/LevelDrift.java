package org.rramlab.statistics;

import java.util.List;

/**
 * Fitted drift law of one level: G(t) = G_prog * ((t + t0) / t0)^-nu, t since programming.
 *
 * @param nu             mean drift exponent of the level's working cells (NaN until two log-time bins hold reads)
 * @param nuStdError     its standard error
 * @param nuSpread       cell-to-cell standard deviation of nu
 * @param logTimeBins    log-time bins that held reads
 * @param reads          reads that entered the fit
 * @param cells          cell programmings observed (first read after programming, not stuck)
 * @param points         the measured curve: mean ln-deviation from the first read per log-time bin
 *                       ({@link DriftPoint}), coarser than the fit's bins; for plots
 */
public record LevelDrift(int level, double nu, double nuStdError, double nuSpread, int logTimeBins, long reads,
                         long cells, List<DriftPoint> points) {

    public LevelDrift {
        points = points == null ? List.of() : List.copyOf(points);
    }

    /** Without points. */
    public LevelDrift(int level, double nu, double nuStdError, double nuSpread, int logTimeBins, long reads, long cells) {
        this(level, nu, nuStdError, nuSpread, logTimeBins, reads, cells, List.of());
    }

    /**
     * One point of the measured drift curve.
     *
     * @param logTime          mean L = ln((t + t0) / t0) of the reads in the bin
     * @param seconds          the time since programming that L stands for, t0 (e^L - 1)
     * @param meanLogDeviation mean ln(G / G_first read) of the reads; the fitted law predicts -nu L
     * @param reads            reads in the bin
     */
    public record DriftPoint(double logTime, double seconds, double meanLogDeviation, long reads) {}
}
