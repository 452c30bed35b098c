package org.rramlab.device.noise;

import org.rramlab.device.DevicePreset;

/**
 * The one law of what an RRAM device does to a value written into it, shared by the array simulator
 * ({@code ArrayModel}) and the device-aware training sampler ({@code DeviceAwareWeights}), so that the
 * two cannot disagree. The parameters are data: they come from a {@link DevicePreset} file.
 *
 * <p>Each hook is a pure function of the device's parameters and the random numbers it is handed
 * (a uniform {@code u} in [0, 1), a standard normal {@code z}); the caller owns the random source
 * (counter-based per cell in the simulator, a seeded stream in training), so the law lives here and
 * the bookkeeping stays with the caller. Conductances are in the unit of {@link #gMax}: siemens from
 * {@link #of}, or relative to Gmax from {@link #normalized}.
 *
 * @param gMin               the lowest level's conductance (Gmax / on-off ratio)
 * @param gMax               the highest level's conductance
 * @param variationSigma     device-to-device programming spread: G = target * exp(N(0, sigma))
 * @param stuckAtHighFraction share of devices stuck at Gmax from fabrication on
 * @param stuckAtLowFraction  share of devices stuck at Gmin from fabrication on
 * @param readNoiseRelative  relative standard deviation of every read
 * @param verifyStepSigma    spread of one write-verify re-programming pulse (sigma times its fraction)
 */
public record DeviceNoise(int levels, double gMin, double gMax, double variationSigma, double stuckAtHighFraction,
                          double stuckAtLowFraction, double readNoiseRelative, double verifyStepSigma,
                          DevicePreset.Drift drift) {

    /** What fabrication left a device as: free to program, or stuck at one end. */
    public enum Stuck { NONE, AT_GMAX, AT_GMIN }

    /** The preset's law in siemens. */
    public static DeviceNoise of(DevicePreset p) {
        return new DeviceNoise(p.levels(), p.gMinSiemens(), p.gMaxSiemens(), p.variationSigma(),
                p.stuckAtHighFraction(), p.stuckAtLowFraction(), p.readNoiseRelative(),
                p.variationSigma() * p.writeVerify().stepSigmaFraction(), p.drift());
    }

    /** The same law with conductances relative to Gmax (Gmax = 1, Gmin = 1 / on-off ratio). */
    public DeviceNoise normalized() {
        return new DeviceNoise(levels, gMin / gMax, 1.0, variationSigma, stuckAtHighFraction, stuckAtLowFraction,
                readNoiseRelative, verifyStepSigma, drift);
    }

    /** Quantization only: no variation, no stuck devices, no read noise (drift kept). */
    public DeviceNoise ideal() {
        return new DeviceNoise(levels, gMin, gMax, 0, 0, 0, 0, 0, drift);
    }

    /** Target conductance of a level, evenly spaced on [Gmin, Gmax]. */
    public double level(int level) {
        return gMin + level * (gMax - gMin) / (levels - 1);
    }

    // ---- the hooks, in the order a device meets them ----

    /** Stuck-at: fabrication decides from one uniform draw per device, fixed for the device's life. */
    public Stuck stuckAt(double u) {
        if (u < stuckAtHighFraction) {
            return Stuck.AT_GMAX;
        }
        return u < stuckAtHighFraction + stuckAtLowFraction ? Stuck.AT_GMIN : Stuck.NONE;
    }

    /** What a stuck device conducts whatever is written. */
    public double stuckConductance(Stuck s) {
        return s == Stuck.AT_GMAX ? gMax : gMin;
    }

    /** Programming noise: the conductance one programming operation leaves, lognormal around the target. */
    public double programmed(double target, double z) {
        return target * StrictMath.exp(variationSigma * z);
    }

    /** One write-verify re-programming pulse: lognormal with the (smaller) step spread. */
    public double verifyStep(double target, double z) {
        return target * StrictMath.exp(verifyStepSigma * z);
    }

    /** The drift exponent a device draws when programmed: level-dependent mean, normal spread, never negative. */
    public double driftExponent(double levelFraction, double z) {
        double mean = drift.nuMeanAtGmin() + levelFraction * (drift.nuMeanAtGmax() - drift.nuMeanAtGmin());
        return Math.max(0.0, mean + drift.nuSigma() * z);
    }

    /** ln((t + t0) / t0) for a device programmed {@code ageSeconds} of drift time ago (0 before it). */
    public double driftLogAge(double ageSeconds) {
        return ageSeconds > 0 ? StrictMath.log((ageSeconds + drift.t0Seconds()) / drift.t0Seconds()) : 0;
    }

    /** Drift at time t, given {@link #driftLogAge}(t): G_prog * ((t + t0) / t0)^-nu. */
    public double drifted(double programmed, double nu, double logAge) {
        return logAge == 0 || nu == 0 ? programmed : programmed * StrictMath.exp(-nu * logAge);
    }

    /** Drift at time t after programming. */
    public double driftedAt(double programmed, double nu, double ageSeconds) {
        return drifted(programmed, nu, driftLogAge(ageSeconds));
    }

    /** Read noise: what one read returns of a device conducting {@code g}. */
    public double read(double g, double z) {
        return g * (1.0 + readNoiseRelative * z);
    }
}
