package org.rramlab.statistics;

import org.rramlab.device.DevicePreset;

/**
 * What the statistics engine needs to know beyond the records: the device preset (levels,
 * Gmin/Gmax for the histogram range and the stuck values, t0 of the drift law) and the settings
 * of change detection and read-noise pairing. One preset serves every array of the engine.
 *
 * @param preset              device preset the arrays were built with
 * @param driftThreshold      relative move of a level's median conductance, since right after
 *                            programming, that raises {@link DriftDetected} (0.05 = 5 %)
 * @param cusumAllowance      CUSUM allowance k on the per-frame mean ln-deviation, nepers: only
 *                            deviations beyond it accumulate
 * @param cusumDecision       CUSUM decision interval h, nepers: the accumulated excess that
 *                            raises {@link CusumAlarm}
 * @param noisePairMaxLogTime two reads of a cell form a read-noise pair when their log-times
 *                            ln((t + t0) / t0) differ by at most this much (drift between them
 *                            is then negligible against read noise)
 * @param stuckBand           a cell whose first read after programming lies within this many
 *                            nepers of ln Gmin or ln Gmax is left out of drift and change
 *                            detection (stuck cells never drift and would dilute both)
 * @param minCellsPerLevel    fewest cells of a level in one frame for the median rule to judge it
 */
public record StatisticsConfig(DevicePreset preset, double driftThreshold, double cusumAllowance,
                               double cusumDecision, double noisePairMaxLogTime, double stuckBand,
                               int minCellsPerLevel) {
    public StatisticsConfig {
        if (preset == null) {
            throw new IllegalArgumentException("statistics need the device preset of the arrays");
        }
        if (preset.levels() > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("preset " + preset.name() + " has " + preset.levels()
                    + " levels; the statistics support at most " + Byte.MAX_VALUE);
        }
        check(driftThreshold > 0 && driftThreshold < 1, "drift threshold must be in (0, 1), got " + driftThreshold);
        check(cusumAllowance >= 0, "CUSUM allowance must be >= 0 nepers, got " + cusumAllowance);
        check(cusumDecision > 0, "CUSUM decision interval must be > 0 nepers, got " + cusumDecision);
        check(noisePairMaxLogTime >= 0, "read-noise pair log-time gap must be >= 0, got " + noisePairMaxLogTime);
        check(stuckBand >= 0, "stuck band must be >= 0 nepers, got " + stuckBand);
        check(minCellsPerLevel >= 1, "minimum cells per level must be >= 1, got " + minCellsPerLevel);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid statistics setting: " + message);
        }
    }

    /**
     * Defaults: 5 % drift threshold; CUSUM allowance ln(1.05), so that it accumulates only
     * deviations already past the threshold, and decision 0.02 nepers; read-noise pairs within
     * 0.01 of log-time; stuck band five read-noise widths (at least 0.05 nepers); 32 cells.
     */
    public static StatisticsConfig defaults(DevicePreset preset) {
        return new StatisticsConfig(preset, 0.05, Math.log1p(0.05), 0.02, 0.01,
                Math.max(0.05, 5 * preset.readNoiseRelative()), 32);
    }

    public StatisticsConfig withDriftThreshold(double threshold) {
        return new StatisticsConfig(preset, threshold, Math.log1p(threshold), cusumDecision, noisePairMaxLogTime,
                stuckBand, minCellsPerLevel);
    }
}
