package org.rramlab.learning.osa;

/**
 * Outcome of one OSA round.
 *
 * @param sramWeights     weights in the SRAM branch
 * @param sramFraction    sramWeights / RRAM weights
 * @param accuracyBefore  test accuracy of the measured network alone
 * @param accuracy        test accuracy with the trained SRAM branch
 */
public record OsaResult(Placement placement, long sramWeights, double sramFraction, double accuracyBefore,
                        double accuracy, SramBranch branch, double importanceSeconds, double trainSeconds) {}
