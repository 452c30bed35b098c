package org.rramlab.statistics;

/**
 * Fitted drift law of one level: G(t) = G_prog * ((t + t0) / t0)^-nu, t since programming.
 *
 * @param nu             mean drift exponent of the level's working cells (NaN until two log-time bins hold reads)
 * @param nuStdError     its standard error
 * @param nuSpread       cell-to-cell standard deviation of nu
 * @param logTimeBins    log-time bins that held reads
 * @param reads          reads that entered the fit
 * @param cells          cell programmings observed (first read after programming, not stuck)
 */
public record LevelDrift(int level, double nu, double nuStdError, double nuSpread, int logTimeBins, long reads,
                         long cells) {}
