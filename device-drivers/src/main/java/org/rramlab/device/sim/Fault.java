package org.rramlab.device.sim;

/** Fabrication fault of a cell, fixed by the array's seed. */
public enum Fault {
    NONE, STUCK_HIGH, STUCK_LOW;

    static Fault of(byte code) {
        return values()[code];
    }
}
