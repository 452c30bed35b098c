package org.rramlab.learning.drift;

import org.rramlab.device.DevicePreset;

/**
 * Where to program a refreshed device so that it agrees with its column's gain over the coming
 * checks, not only at the moment it is written. A freshly programmed device drifts fastest in its
 * first days (G = G_prog ((t + t0) / t0)^-nu, nu by level from the preset), while the devices around
 * it, programmed long ago, hardly move, and the gain follows them. Programmed to what the gain expects
 * now, a refreshed device falls well under it by the next check; programmed higher by the decay it is
 * expected to have, less what the gain will add, its compensated weight is right on average (in log)
 * over the horizon's checks.
 *
 * @param law              the drift law of the preset (t0, mean exponent at Gmin and Gmax)
 * @param gMin             conductance of the lowest level, siemens
 * @param gMax             conductance of the top level, siemens
 * @param columnAgeSeconds drift time since the column's devices were programmed (the deployment)
 * @param horizonSeconds   the coming checks, drift seconds after the refresh; empty: no forecast
 */
public record RefreshForecast(DevicePreset.Drift law, double gMin, double gMax, double columnAgeSeconds,
                              double[] horizonSeconds) {

    /** No forecast: program to what the gain expects now. */
    public static RefreshForecast none() {
        return new RefreshForecast(null, 0, 1, 0, new double[0]);
    }

    /** Checks every {@code cadenceSeconds} up to {@code horizonSeconds} after a refresh at column age {@code age}. */
    public static RefreshForecast of(DevicePreset preset, double age, double cadenceSeconds, double horizonSeconds) {
        if (horizonSeconds <= 0 || cadenceSeconds <= 0) {
            return none();
        }
        int n = (int) Math.max(1, Math.floor(horizonSeconds / cadenceSeconds + 1e-9));
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            h[i] = (i + 1) * cadenceSeconds;
        }
        return new RefreshForecast(preset.drift(), preset.gMinSiemens(), preset.gMaxSiemens(), age, h);
    }

    /**
     * The conductance to program into a device whose pair partner conducts {@code other} and which must
     * add {@code excess} to it at today's gain {@code gain} (so that today it would be {@code other + excess}).
     */
    public double conductance(double other, double excess, double gain) {
        double now = other + excess;
        if (horizonSeconds.length == 0 || law == null) {
            return now;
        }
        double age = logAge(columnAgeSeconds);
        // the column's own drift exponent, as its gain shows it: gain = ((T + t0) / t0)^nu
        double nuColumn = age > 0 && gain > 0 ? Math.max(0, Math.log(gain) / age) : 0;
        double fraction = Math.min(1, Math.max(0, (now - gMin) / (gMax - gMin)));
        double nu = new org.rramlab.device.noise.DeviceNoise(2, gMin, gMax, 0, 0, 0, 0, 0, law).nuMean(fraction);
        double decay = 0;
        double gainGrowth = 0;
        for (double h : horizonSeconds) {
            decay += nu * logAge(h);
            gainGrowth += nuColumn * (logAge(columnAgeSeconds + h) - age);
        }
        decay /= horizonSeconds.length;
        gainGrowth /= horizonSeconds.length;
        return Math.exp(decay) * (other + excess * Math.exp(-gainGrowth));
    }

    private double logAge(double seconds) {
        return new org.rramlab.device.noise.DeviceNoise(2, gMin, gMax, 0, 0, 0, 0, 0, law).driftLogAge(seconds);
    }
}
