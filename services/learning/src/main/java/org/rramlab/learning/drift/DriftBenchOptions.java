package org.rramlab.learning.drift;

import java.nio.file.Path;
import java.util.List;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.model.Architecture;

/**
 * Settings of {@link DriftBench}; {@link #of} gives the documented defaults. Quick: a small MLP
 * trained on the first 20,000 fitting images; without: the LeNet-5 that {@code reproduce --quick}
 * trains and caches (same recipe, same names, so either command reuses the other's models).
 *
 * @param cadenceDays        array days between two checks
 * @param validationImages   how many of the {@code Splits} validation images decisions are taken on (its head)
 * @param areaBudget         macro area the SRAM (and, for "full", the compensation) may take
 * @param refreshPerMonth    devices a refresh may write per 30 array days, as a share of all devices
 * @param osaThresholdPoints the "osa" policy's threshold (the supervisor's default threshold)
 * @param wMaxQuantile       w_max rule of the device-aware student, in training and mapping
 */
public record DriftBenchOptions(Path dataDir, DatasetKind dataset, Architecture architecture, String preset,
                                double days, double cadenceDays, boolean quick, long seed, int trainLimit,
                                int teacherEpochs, int studentEpochs, int batchSize, double teacherLr, double studentLr,
                                int validationImages, int calibrationImages, int osaEpochs,
                                double areaBudget, double refreshPerMonth, Levers levers,
                                double osaThresholdPoints, double wMaxQuantile, int gainBits, int gainFractionBits,
                                DriftPolicy rules, List<String> policies, Path png) {

    /**
     * How refresh is done (chosen on validation images, docs/drift.md).
     *
     * @param refreshBurst       a refresh may spend this many checks' share of the monthly budget at once
     * @param horizonDays        a refreshed device is programmed to agree with its gain, on average, over the
     *                           checks of this many days after it ({@link RefreshForecast}); 0: at the refresh only
     * @param gainsSkipRefreshed column gains leave refreshed devices out of their median
     * @param skipUnverified     a device write-verify could not bring within tolerance is not chosen again
     * @param columnGains        comp, replace and full use a gain per column (false: one per layer;
     *                           full-layer always uses one per layer)
     */
    public record Levers(double refreshBurst, double horizonDays, boolean gainsSkipRefreshed, boolean skipUnverified,
                         boolean columnGains) {
        public static Levers defaults() {
            // chosen on validation images, quick benchmark 2026-12-02 (docs/drift.md): steady batches, no forecast
            return new Levers(1, 0, true, true, false);
        }
    }

    public static DriftBenchOptions of(Path dataDir, double days, boolean quick, Path png) {
        if (quick) {
            return new DriftBenchOptions(dataDir, DatasetKind.MNIST, Architecture.MLP, "dac2020-65nm", days, 3, true, 1,
                    20_000, 3, 3, 64, 2e-3, 1e-3, 5_000, 3_000, 6, 0.0786, 0.05, Levers.defaults(),
                    1.0, 0.98, 8, 6, DriftPolicy.defaults(), DriftBench.POLICIES, png);
        }
        // the reproduction's quick LeNet-5 recipe (ReproduceOptions.of(MNIST, quick)): 4 + 3 epochs, batch 128
        return new DriftBenchOptions(dataDir, DatasetKind.MNIST, Architecture.LENET5, "dac2020-65nm", days, 1, false, 1,
                0, 4, 3, 128, 1.5e-3, 1e-3, 5_000, 2_000, 2, 0.0786, 0.05, Levers.defaults(),
                1.0, 0.98, 8, 6, DriftPolicy.defaults(), DriftBench.POLICIES, png);
    }

    public DriftBenchOptions withPolicies(List<String> p) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, List.copyOf(p), png);
    }

    public DriftBenchOptions withLevers(Levers l) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, l, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, policies, png);
    }

    public DriftBenchOptions withRounds(int epochs, int calibration) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibration, epochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, policies, png);
    }

    public DriftBenchOptions withCadence(double days, int validation) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, this.days, days, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validation,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, policies, png);
    }
}
