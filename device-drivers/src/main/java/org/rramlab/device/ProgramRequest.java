package org.rramlab.device;

/**
 * Program a block of cells, either to level indices (0 = Gmin .. levels-1 = Gmax) or to target
 * conductances in siemens. Exactly one of {@code levels} and {@code targetSiemens} is non-null.
 */
public record ProgramRequest(Block block, int[] levels, float[] targetSiemens, boolean writeVerify) {
    public ProgramRequest {
        if ((levels == null) == (targetSiemens == null)) {
            throw new IllegalArgumentException("give either levels or target conductances, not both or neither");
        }
        int n = levels != null ? levels.length : targetSiemens.length;
        if (n != block.cells()) {
            throw new IllegalArgumentException("block " + block + " has " + block.cells()
                    + " cells but " + n + " targets were given");
        }
    }

    public static ProgramRequest ofLevels(Block block, int[] levels, boolean writeVerify) {
        return new ProgramRequest(block, levels, null, writeVerify);
    }

    public static ProgramRequest ofConductances(Block block, float[] siemens, boolean writeVerify) {
        return new ProgramRequest(block, null, siemens, writeVerify);
    }
}
