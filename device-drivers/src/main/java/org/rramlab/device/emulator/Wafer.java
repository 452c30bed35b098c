package org.rramlab.device.emulator;

import org.rramlab.device.DevicePreset;
import org.rramlab.device.sim.ArrayModel;

/**
 * The emulated wafer under the probes: one row of dies, die d a simulated array with seed
 * {@code seed + d} (so die 0 is the same array as a simulated array with the emulator's seed),
 * plus where the probe station stands. Guarded by the emulator's lock.
 */
final class Wafer {
    final ArrayModel[] dies;
    int currentDie = -1;
    boolean contact;

    Wafer(DevicePreset preset, int rows, int cols, int dieCount, long seed) {
        if (dieCount < 1 || dieCount > 1000) {
            throw new IllegalArgumentException("a wafer needs 1..1000 dies, got " + dieCount);
        }
        dies = new ArrayModel[dieCount];
        for (int d = 0; d < dieCount; d++) {
            dies[d] = new ArrayModel("die-" + d, preset, rows, cols, seed + d);
        }
    }

    /** The array under the probes, or null when no die is selected or the probes are up. */
    ArrayModel underProbes() {
        return currentDie >= 0 && contact ? dies[currentDie] : null;
    }
}
