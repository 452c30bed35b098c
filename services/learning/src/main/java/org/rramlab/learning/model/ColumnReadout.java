package org.rramlab.learning.model;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * How a weighted layer's multiply-accumulate reaches the digital side: exactly (software), or through
 * the crossbar's column ADCs, tile by tile. Gets the layer's weight and the layer's MAC as a function of a
 * weight (convolution or matrix product of the layer's input, without bias) and returns the output
 * without bias.
 */
@FunctionalInterface
public interface ColumnReadout {
    /** The exact MAC: what the network computes in software. */
    ColumnReadout EXACT = (layer, weight, mac) -> mac.apply(weight);

    NDArray read(int layer, NDArray weight, UnaryOperator<NDArray> mac);
}
