package org.rramlab.learning.mapping;

import java.util.List;

/**
 * One weighted layer on arrays.
 *
 * @param wMax          the weight that maps to the top level (max |w| of the layer when mapped)
 * @param signedLevels  per weight, in the layer's order (output-major, {@code fanOut x fanIn}): the level of
 *                      the active device, negative when the weight is negative (then G- is active)
 */
public record LayerMapping(String name, int index, int fanIn, int fanOut, double wMax, byte[] signedLevels,
                           List<TilePlacement> tiles) {
    public int weights() {
        return fanIn * fanOut;
    }
}
