package org.rramlab.learning.kd;

/** Outcome of a training run; accuracies are fractions in [0, 1], test accuracy NaN when not measured. */
public record TrainResult(double loss, double trainAccuracy, double testAccuracy, double imagesPerSecond, double seconds) {}
