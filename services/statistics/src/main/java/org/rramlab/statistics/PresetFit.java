package org.rramlab.statistics;

import java.util.Locale;
import org.rramlab.device.DevicePreset;

/** Turns a report into a device preset: measured values replace the base's, the rest is kept. */
final class PresetFit {
    /** Reads soon after programming needed before their sigma replaces the sigma of all reads. */
    static final long MIN_FRESH_READS = 10_000;

    private PresetFit() {}

    /** @param freshSigma sigma of the reads soon after programming, or NaN to use the report's */
    static DevicePreset fit(DevicePreset base, String name, StatisticsReport report, double freshSigma) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a fitted preset needs a non-blank name");
        }
        double sigma = orBase(Double.isFinite(freshSigma) ? freshSigma : report.logSigma(), base.variationSigma());
        double high = orBase(report.stuckHighFraction(), base.stuckAtHighFraction());
        double low = orBase(report.stuckLowFraction(), base.stuckAtLowFraction());
        double noise = orBase(report.readNoiseRelative(), base.readNoiseRelative());
        DevicePreset.Drift drift = fitDrift(base, report);
        String description = String.format(Locale.ROOT, "fitted from %d reads of %d arrays, starting from preset %s",
                report.cellsRead(), report.arrays(), base.name());
        return new DevicePreset(name, description, base.levels(), base.gMaxSiemens(), base.onOffRatio(), sigma, high, low,
                noise, drift, base.writeVerify());
    }

    private static double orBase(double fitted, double base) {
        return Double.isFinite(fitted) ? fitted : base;
    }

    /**
     * The preset's nu is linear in the level: weighted least squares of the fitted nu against
     * level / (levels - 1), weights 1 / stderr^2, gives nu at Gmin (0) and Gmax (1); the spread
     * is the reads-weighted mean of the levels' spreads. Fewer than two fitted levels: the base's law.
     */
    private static DevicePreset.Drift fitDrift(DevicePreset base, StatisticsReport report) {
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, spread = 0, spreadWeight = 0;
        int fitted = 0;
        for (LevelDrift d : report.drift()) {
            if (!Double.isFinite(d.nu()) || !(d.nuStdError() > 0)) continue;
            double w = 1 / (d.nuStdError() * d.nuStdError());
            double x = (double) d.level() / (base.levels() - 1);
            sw += w;
            sx += w * x;
            sy += w * d.nu();
            sxx += w * x * x;
            sxy += w * x * d.nu();
            fitted++;
            if (Double.isFinite(d.nuSpread())) {
                spread += d.reads() * d.nuSpread();
                spreadWeight += d.reads();
            }
        }
        DevicePreset.Drift b = base.drift();
        double det = sw * sxx - sx * sx;
        if (fitted < 2 || !(det > 0)) {
            return b;
        }
        double slope = (sw * sxy - sx * sy) / det;
        double atGmin = (sy - slope * sx) / sw;
        double nuSigma = spreadWeight > 0 ? spread / spreadWeight : b.nuSigma();
        return new DevicePreset.Drift(b.t0Seconds(), atGmin, atGmin + slope, nuSigma, b.activationEnergyEv(),
                b.referenceTemperatureKelvin());
    }
}
