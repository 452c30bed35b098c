package org.rramlab.learning.osa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The digital offsets of an SRAM branch as arrays for a forward pass ({@code Network.forward}): per
 * weighted layer, one per output column, added to the bias. The periphery holds bias + offset in the
 * bias register it has anyway.
 */
public final class Offsets {
    private Offsets() {}

    /** The branch's offsets as arrays of {@code manager}, or null when it has none (or there is no branch). */
    public static List<NDArray> of(SramBranch branch, NDManager manager) {
        if (branch == null || !branch.hasOffsets()) {
            return null;
        }
        List<NDArray> out = new ArrayList<>();
        for (float[] o : branch.offsets()) {
            out.add(o == null ? null : manager.create(o));
        }
        return out;
    }

    /** Each of {@code offsets} times {@code scale}: the offsets a round trains through scaled parameters. */
    static List<NDArray> scaled(List<NDArray> offsets, float scale) {
        List<NDArray> out = new ArrayList<>();
        for (NDArray o : offsets) {
            out.add(o.mul(scale));
        }
        return out;
    }
}
