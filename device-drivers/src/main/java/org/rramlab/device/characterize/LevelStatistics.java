package org.rramlab.device.characterize;

/**
 * Fitted statistics of the working (not stuck) devices programmed to one level.
 *
 * @param medianSiemens exp(m), m the fitted mean of ln G
 * @param meanSiemens   exp(m + s^2 / 2), the lognormal mean
 * @param logSigma      s, the fitted standard deviation of ln G
 * @param cells         cells programmed to this level that had a usable read
 */
public record LevelStatistics(int level, double targetSiemens, double meanSiemens, double medianSiemens,
                              double logSigma, int cells) {}
