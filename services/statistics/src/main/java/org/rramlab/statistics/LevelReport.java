package org.rramlab.statistics;

/**
 * The distribution of one level. Fitted values describe the working (not stuck) cells, from the
 * shared EM over the histogram: median exp(m), lognormal mean exp(m + s^2 / 2), sigma s of ln G.
 *
 * @param count       reads of cells programmed to this level
 * @param rawLogMean  mean of ln G over every read of the level, stuck cells included (exact sums)
 * @param rawLogSigma standard deviation of ln G over the same reads
 */
public record LevelReport(int level, double targetSiemens, long count, double meanSiemens, double medianSiemens,
                          double logSigma, double rawLogMean, double rawLogSigma) {}
