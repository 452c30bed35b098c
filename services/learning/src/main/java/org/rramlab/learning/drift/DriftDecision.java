package org.rramlab.learning.drift;

/**
 * One decision of the drift policy at a check, with its reason.
 *
 * @param expectedGainPoints what the policy expected the action to win back, in accuracy points
 * @param cost               the action's cost in the policy's units (see {@link DriftPolicy})
 */
public record DriftDecision(DriftAction action, String reason, double expectedGainPoints, double cost) {}
