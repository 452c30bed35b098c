package org.rramlab.streaming;

import org.rramlab.device.Block;

/**
 * A block was programmed at {@code arrayTimeSeconds}: the level of each cell, row-major, or
 * {@link #NO_LEVEL} where the target was not one of the preset's levels. The sequence counts
 * programming operations of the array (1, 2, ...), separately from the read frames.
 */
public record ProgrammedRecord(String arrayId, long sequence, double arrayTimeSeconds, Block block, byte[] levels)
        implements ConductanceRecord {
    public static final byte NO_LEVEL = -1;

    public ProgrammedRecord {
        if (levels.length != block.cells()) {
            throw new IllegalArgumentException("block " + block + " needs " + block.cells() + " levels, got " + levels.length);
        }
    }
}
