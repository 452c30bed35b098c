package org.rramlab.device;

/**
 * One read of a block of an array.
 *
 * @param arrayId      the array read
 * @param sequence     frame sequence number, strictly increasing per array; with the array id it
 *                     identifies a frame exactly (downstream de-duplication relies on it)
 * @param arrayTimeSeconds time on the array's own clock when the block was read
 * @param block        origin and shape of the block
 * @param conductances conductances in siemens, row-major over the block
 * @param suspect      true when some value may be wrong (interrupted link, compliance, overflow)
 */
public record Frame(String arrayId, long sequence, double arrayTimeSeconds, Block block,
                    float[] conductances, boolean suspect) {
    public Frame {
        if (conductances.length != block.cells()) {
            throw new IllegalArgumentException("frame of block " + block + " needs "
                    + block.cells() + " values, got " + conductances.length);
        }
    }
}
