package org.rramlab.device.scpi;

/** Where a stepping command left the probe station. */
public sealed interface DieStep {
    /** At a die: its wafer-map column and row, and the subsite. */
    record AtDie(int column, int row, int subsite) implements DieStep {}

    /** No further die: status 703. */
    record EndOfWafer() implements DieStep {}
}
