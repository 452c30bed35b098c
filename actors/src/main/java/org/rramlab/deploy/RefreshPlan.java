package org.rramlab.deploy;

import java.util.List;
import org.rramlab.serialization.CborSerializable;

/**
 * The devices a refresh writes, chosen at a check and journaled with its decision, so that a
 * refresh cut short by a restart writes the same devices to the same targets.
 *
 * @param arrays       per array, the cells in ascending order and their target conductances
 * @param share        share of the importance-weighted error these devices carry
 * @param budgetShare  share of the month's device budget they spend
 * @param maxPulses    the most pulses they can take (devices x write-verify pulses per device)
 */
public record RefreshPlan(List<Cells> arrays, double share, double budgetShare, long maxPulses)
        implements CborSerializable {

    /** Cells of one array (row * cols + col, ascending) and the conductance each is to hold, in siemens. */
    public record Cells(String arrayId, int[] cells, float[] targets) implements CborSerializable {}

    public int devices() {
        return arrays.stream().mapToInt(a -> a.cells().length).sum();
    }
}
