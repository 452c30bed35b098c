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
        return maxWrites <= 0 || written.writesOf(arrayId, cell) < maxWrites;
    }

    /** Devices a refresh may no longer write. */
    long retired() {
        return maxWrites <= 0 ? 0 : written.devicesWrittenAtLeast(maxWrites);
    }

    /** @param sinceLastCheckSeconds array time since the previous check that may refresh (infinite when there was none) */
    static RefreshBudget at(DriftSettings.Refresh r, Endurance e, double arrayTimeSeconds, double sinceLastCheckSeconds,
                            long deviceCount, int pulsesPerDevice) {
        double monthly = r.writesPerMonth() * deviceCount;
        if (!r.on() || pulsesPerDevice <= 0) {
            return new RefreshBudget(0, monthly, Math.max(1, pulsesPerDevice));
        }
        double left = monthly - e.devicesInMonthBefore(arrayTimeSeconds);
        double share = r.steady()
                ? Math.min(r.sharePerRefresh(), Math.max(0, sinceLastCheckSeconds) / DriftSettings.Refresh.MONTH_SECONDS)
                : r.sharePerRefresh();
        double once = Math.ceil(monthly * share);
        double byPulses = (double) (r.pulsesPerMonth() - e.pulsesInMonthBefore(arrayTimeSeconds)) / pulsesPerDevice;
        int devices = (int) Math.max(0, Math.floor(Math.min(left, Math.min(once, byPulses))));
        return new RefreshBudget(devices, monthly, pulsesPerDevice, e, r.maxWritesPerDevice());
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
        double monthly = r.writesPerMonth() * deviceCount;
        if (!r.repairsAtDeployment() || pulsesPerDevice <= 0) {
            return new RefreshBudget(0, monthly, Math.max(1, pulsesPerDevice));
        }
        double byPulses = (double) r.pulsesPerMonth() / pulsesPerDevice;
        int devices = (int) Math.max(0, Math.floor(Math.min(Math.round(r.atDeployment() * weightCount),
                Math.min(monthly, byPulses))));
        return new RefreshBudget(devices, monthly, pulsesPerDevice);
    }
}
