package org.rramlab.statistics;

/**
 * A level's median conductance moved past the drift threshold since right after programming.
 *
 * @param relativeChange median G now / median G right after programming - 1 (negative: decayed)
 */
public record DriftDetected(String arrayId, int level, double relativeChange, double arrayTimeSeconds)
        implements StatisticsEvent {}
