package org.rramlab.learning.mapping;

import org.rramlab.device.Block;

/**
 * A tile of a layer on an array: inputs {@code [inputStart, inputStart + inputs)} on rows from
 * {@code row0}, outputs {@code [outputStart, outputStart + outputs)} on column pairs from {@code col0}
 * (G+ at even, G- at odd offsets).
 */
public record TilePlacement(String arrayId, int row0, int col0, int inputStart, int inputs, int outputStart,
                            int outputs) {
    public Block block() {
        return new Block(row0, col0, inputs, 2 * outputs);
    }
}
