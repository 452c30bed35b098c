package org.rramlab.learning.hil;

import java.util.List;
import org.rramlab.learning.mapping.MeasuredConductances;

/**
 * Accuracy of a network rebuilt from conductances read off arrays.
 *
 * @param accuracy     test accuracy in [0, 1]
 * @param readSeconds  time to read every tile back
 * @param evalSeconds  time to classify the test set
 * @param measured     the conductances read
 * @param weights      the effective weights rebuilt from them, per layer
 */
public record HilResult(double accuracy, int images, double readSeconds, double evalSeconds,
                        MeasuredConductances measured, List<float[]> weights) {}
