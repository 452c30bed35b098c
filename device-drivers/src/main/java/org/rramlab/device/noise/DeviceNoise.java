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

    /** Boltzmann constant in eV/K. */
    public static final double BOLTZMANN_EV = 8.617333262e-5;

    /** The spacing of two neighbouring levels: levels are evenly spaced on [Gmin, Gmax]. */
    public double levelSpacing() {
        return (gMax - gMin) / (levels - 1);
    }

    /**
     * Target conductance of a level, evenly spaced on [Gmin, Gmax]: Gmin + level * {@link #levelSpacing}, with
     * the product taken before the division, as the simulator always did, so simulated arrays read bit for
     * bit what they read before this was the one place of the law.
     */
    public double level(int level) {
        return gMin + level * (gMax - gMin) / (levels - 1);
    }

    /**
     * The Arrhenius factor: how many times faster drift (retention loss) runs at {@code kelvin} than at
     * {@code referenceKelvin}, for an activation energy {@code activationEnergyEv}. The one place of the law:
     * the simulator's drift time and a bake's equivalent time both call it.
     */
    public static double arrhenius(double activationEnergyEv, double referenceKelvin, double kelvin) {
        return StrictMath.exp(activationEnergyEv / BOLTZMANN_EV * (1.0 / referenceKelvin - 1.0 / kelvin));
    }

    /** The preset's Arrhenius factor at {@code kelvin} against its reference temperature. */
    public double arrhenius(double kelvin) {
        return arrhenius(drift.activationEnergyEv(), drift.referenceTemperatureKelvin(), kelvin);
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

    /** The power law's mean drift exponent at a level (its share of the way from Gmin to Gmax). */
    public double nuMean(double levelFraction) {
        return drift.nuMeanAtGmin() + levelFraction * (drift.nuMeanAtGmax() - drift.nuMeanAtGmin());
    }

    /**
     * What a device draws when programmed for its drift: the power law's exponent (level-dependent mean,
     * normal spread, never negative), or the filamentary law's own relaxation draw z ~ N(0, 1).
     */
    public double driftExponent(double levelFraction, double z) {
        if (drift.filamentary()) {
            return z;
        }
        return Math.max(0.0, nuMean(levelFraction) + drift.nuSigma() * z);
    }

    /** ln((t + t0) / t0) for a device programmed {@code ageSeconds} of drift time ago (0 before it). */
    public double driftLogAge(double ageSeconds) {
        return ageSeconds > 0 ? StrictMath.log((ageSeconds + drift.t0Seconds()) / drift.t0Seconds()) : 0;
    }

    /**
     * Drift at time t, given {@link #driftLogAge}(t) = L and the device's draw {@code nu}: the power law
     * G_prog * exp(-nu L), or the filamentary law G_prog + Gmax L (m(x) + s(x) nu) with x = G_prog / Gmax
     * (at most 1), never below 0 nor above Gmax or where programming left it, if higher.
     */
    public double drifted(double programmed, double nu, double logAge) {
        if (logAge == 0) {
            return programmed;
        }
        if (drift.filamentary()) {
            double x = Math.min(1, Math.max(0, programmed / gMax));
            double mean = drift.meanShiftAtGmin() + x * (drift.meanShiftAtGmax() - drift.meanShiftAtGmin());
            double spread = drift.spread0() + x * (drift.spread1() + x * drift.spread2());
            return Math.min(Math.max(gMax, programmed),
                    Math.max(0, programmed + gMax * logAge * (mean + Math.max(0, spread) * nu)));
        }
        return nu == 0 ? programmed : programmed * StrictMath.exp(-nu * logAge);
    }

    /** The mean relative change of a device at a level after {@code ageSeconds} (for forecasts and tests). */
    public double meanRelativeDrift(double levelFraction, double ageSeconds) {
        double logAge = driftLogAge(ageSeconds);
        if (drift.filamentary()) {
            double g = level((int) Math.round(levelFraction * (levels - 1)));
            return drifted(g, 0, logAge) / g;
        }
        return StrictMath.exp(-nuMean(levelFraction) * logAge);
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
