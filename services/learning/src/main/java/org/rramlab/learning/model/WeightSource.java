package org.rramlab.learning.model;

import ai.djl.ndarray.NDArray;

/**
 * The weight a weighted layer uses in a forward pass, given its trained ("master") weight.
 * Identity for plain training; a device sample for device-aware training; measured weights for
 * HIL evaluation; measured weights plus an SRAM branch for OSA.
 */
@FunctionalInterface
public interface WeightSource {
    WeightSource MASTER = (layer, master) -> master;

    /**
     * @param layer  index among the weighted layers (0 = first Conv or Dense)
     * @param master the network's own weight, shaped as the layer's weight
     */
    NDArray weight(int layer, NDArray master);
}
