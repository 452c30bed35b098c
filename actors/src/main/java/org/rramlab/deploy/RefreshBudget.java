package org.rramlab.deploy;

/**
 * What a refresh may write at one check: the month's device budget less what the last month of
 * array time wrote, at most one refresh's share of it (when steady, no more than the array time
 * since the previous check earned of it), and no more devices than the month's pulses left can
 * verify at the worst case (every device taking write-verify's full pulse count).
 *
 * @param devices         devices a refresh may write now (0: none)
 * @param monthlyDevices  the month's device budget
 * @param pulsesPerDevice the most write-verify pulses one device can take
 * @param written         what refreshes wrote so far, per device
 * @param maxWrites       a device refreshes wrote this often is not chosen again (0: no limit)
 */
record RefreshBudget(int devices, double monthlyDevices, int pulsesPerDevice, Endurance written, int maxWrites) {

    RefreshBudget(int devices, double monthlyDevices, int pulsesPerDevice) {
        this(devices, monthlyDevices, pulsesPerDevice, Endurance.NONE, 0);
    }

    /** Whether a refresh may still write the cell {@code cell} (row * cols + col) of {@code arrayId}. */
    boolean mayWrite(String arrayId, int cell) {
        return new org.rramlab.learning.drift.Supervision.Budget(0, 0, 0, false, 0, maxWrites)
                .mayWrite(written.writesOf(arrayId, cell), false);
    }

    /** Devices a refresh may no longer write. */
    long retired() {
        return maxWrites <= 0 ? 0 : written.devicesWrittenAtLeast(maxWrites);
    }

    /** @param sinceLastCheckSeconds array time since the previous check that may refresh (infinite when there was none) */
    static RefreshBudget at(DriftSettings.Refresh r, Endurance e, double arrayTimeSeconds, double sinceLastCheckSeconds,
                            long deviceCount, int pulsesPerDevice) {
        var b = r.budget();
        int devices = b.devicesNow(e.devicesInMonthBefore(arrayTimeSeconds), e.pulsesInMonthBefore(arrayTimeSeconds),
                sinceLastCheckSeconds, deviceCount, pulsesPerDevice);
        return new RefreshBudget(devices, b.monthlyDevices(deviceCount), Math.max(1, pulsesPerDevice), e,
                r.maxWritesPerDevice());
    }

    /** No refresh at this check (the check that reads a refresh back). */
    static RefreshBudget none(DriftSettings.Refresh r, long deviceCount) {
        return new RefreshBudget(0, r.writesPerMonth() * deviceCount, 1);
    }

    /**
     * The repair after programming: {@code atDeployment} of the weights, one device each, within the
     * month's devices and pulses (it counts in them like any refresh) but not limited to one refresh's share.
     */
    static RefreshBudget atDeployment(DriftSettings.Refresh r, long weightCount, long deviceCount, int pulsesPerDevice) {
        var b = r.budget();
        return new RefreshBudget(b.devicesAtDeployment(weightCount, deviceCount, pulsesPerDevice),
                b.monthlyDevices(deviceCount), Math.max(1, pulsesPerDevice));
    }
}
