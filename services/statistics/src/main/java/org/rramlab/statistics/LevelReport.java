package org.rramlab.statistics;

import java.util.List;

/**
 * The distribution of one level. Fitted values describe the working (not stuck) cells, from the
 * shared EM over the histogram: median exp(m), lognormal mean exp(m + s^2 / 2), sigma s of ln G.
 *
 * @param count       reads of cells programmed to this level
 * @param rawLogMean  mean of ln G over every read of the level, stuck cells included (exact sums)
 * @param rawLogSigma standard deviation of ln G over the same reads
 * @param histogram   reads per bin of ln G, on the report's {@link StatisticsReport#histogramLowLn} grid
 *                    ({@link StatisticsReport#histogramBinNepers} wide); for plots
 */
public record LevelReport(int level, double targetSiemens, long count, double meanSiemens, double medianSiemens,
                          double logSigma, double rawLogMean, double rawLogSigma, List<Long> histogram) {

    public LevelReport {
        histogram = histogram == null ? List.of() : List.copyOf(histogram);
    }

    /** Without a histogram. */
    public LevelReport(int level, double targetSiemens, long count, double meanSiemens, double medianSiemens,
                       double logSigma, double rawLogMean, double rawLogSigma) {
        this(level, targetSiemens, count, meanSiemens, medianSiemens, logSigma, rawLogMean, rawLogSigma, List.of());
    }
}
