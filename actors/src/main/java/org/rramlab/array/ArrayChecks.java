package org.rramlab.array;

import org.rramlab.device.Block;

/** The checks of an array's commands against what its registration says (shape, levels). */
final class ArrayChecks {
    private ArrayChecks() {}

    /** What is wrong with a programming of this array, or null. */
    static String program(ArrayState state, ArrayActor.Program p) {
        String block = block(state, p.block());
        if (block != null) {
            return block;
        }
        if ((p.levels() == null) == (p.targets() == null)) {
            return "give either levels or target conductances, not both or neither";
        }
        int n = p.levels() != null ? p.levels().length : p.targets().length;
        if (n != p.block().cells()) {
            return "block " + p.block() + " has " + p.block().cells() + " cells but " + n + " targets were given";
        }
        int top = state.registration().levels() - 1;
        if (p.levels() != null) {
            for (int i = 0; i < n; i++) {
                if (p.levels()[i] < 0 || p.levels()[i] > top) {
                    return "level " + p.levels()[i] + " at position " + i + " is outside 0.." + top + "; give levels in that range";
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                if (!(p.targets()[i] > 0) || !Float.isFinite(p.targets()[i])) {
                    return "target " + p.targets()[i] + " S at position " + i + " is not a positive finite conductance";
                }
            }
        }
        return null;
    }

    /** What is wrong with a block of this array, or null. */
    static String block(ArrayState state, Block block) {
        if (block == null) {
            return "no block given";
        }
        ArraySpec spec = state.registration().spec();
        return block.misfit(spec.rows(), spec.cols());
    }
}
