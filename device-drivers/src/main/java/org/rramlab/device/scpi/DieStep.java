package org.rramlab.device.scpi;

/** Where a stepping command left the prober. */
public sealed interface DieStep {
    /** At a die: its wafer-map column and row, the subsite and the number of subsites per die. */
    record AtDie(int column, int row, int subsite, int subsites) implements DieStep {}

    /** No further die: error 703 (end of wafer). */
    record EndOfWafer() implements DieStep {}
}
