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
 * @param osaThresholdPoints the "osa" policy's threshold (1.0: the supervisor's rule before the drift policy)
 * @param wMaxQuantile       w_max rule of the device-aware student, in training and mapping
 * @param chipSeed           seed of the simulated chips (0: from {@code seed}); other chips, same network
 */
public record DriftBenchOptions(Path dataDir, DatasetKind dataset, Architecture architecture, String preset,
                                double days, double cadenceDays, boolean quick, long seed, int trainLimit,
                                int teacherEpochs, int studentEpochs, int batchSize, double teacherLr, double studentLr,
                                int validationImages, int calibrationImages, int osaEpochs,
                                double areaBudget, double refreshPerMonth, Levers levers,
                                double osaThresholdPoints, double wMaxQuantile, int gainBits, int gainFractionBits,
                                DriftPolicy rules, List<String> policies, Path png, long chipSeed) {

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
     * @param partnerWrites      a weight whose refreshed device stayed out of tolerance (stuck) has the other
     *                           device of its pair written to make up for it, then and at later refreshes
     * @param deployEpochs       epochs of the round at deployment (0: as a check's round); deployment is not a
     *                           check, its time is reported apart from the decisions'
     * @param deployRepair       share of the weights written again with write-verify right after the one-shot
     *                           programming, the costliest first ({@link ProgrammingRepair}; 0: none), for the
     *                           policies that compensate
     * @param offsets            the rounds of the policies that compensate also train a digital offset per output
     *                           column, held in the bias registers ({@link org.rramlab.learning.osa.Offsets})
     */
    public record Levers(double refreshBurst, double horizonDays, boolean gainsSkipRefreshed, boolean skipUnverified,
                         boolean columnGains, boolean partnerWrites, int deployEpochs, double deployRepair,
                         boolean offsets) {
        public static Levers defaults() {
            // chosen on validation images (docs/drift.md): steady batches, no forecast (quick, 2026-12-02); a repair of
            // 2 % of the weights and a round of 8 epochs at deployment, no partner writes (LeNet-5 and quick on the
            // tuning chips, 2026-12-02); offsets in the rounds (both, tuning chips, 2026-12-02, night)
            return new Levers(1, 0, true, true, false, false, 8, 0.02, true);
        }
    }

    public static DriftBenchOptions of(Path dataDir, double days, boolean quick, Path png) {
        if (quick) {
            return new DriftBenchOptions(dataDir, DatasetKind.MNIST, Architecture.MLP, "dac2020-65nm", days, 3, true, 1,
                    20_000, 3, 3, 64, 2e-3, 1e-3, 5_000, 3_000, 6, 0.0786, 0.05, Levers.defaults(),
                    1.0, 0.98, 8, 6, DriftPolicy.defaults(), DriftBench.POLICIES, png, 0);
        }
        // the reproduction's quick LeNet-5 recipe (ReproduceOptions.of(MNIST, quick)): 4 + 3 epochs, batch 128
        // a check every 3 days and rounds of 3 epochs: on the tuning chips' validation images they held LeNet-5
        // closer than daily checks and rounds of 2 epochs (docs/drift.md)
        return new DriftBenchOptions(dataDir, DatasetKind.MNIST, Architecture.LENET5, "dac2020-65nm", days, 3, false, 1,
                0, 4, 3, 128, 1.5e-3, 1e-3, 5_000, 2_000, 3, 0.0786, 0.05, Levers.defaults(),
                1.0, 0.98, 8, 6, DriftPolicy.defaults(), DriftBench.POLICIES, png, 0);
    }

    public DriftBenchOptions withPolicies(List<String> p) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, List.copyOf(p), png, chipSeed);
    }

    public DriftBenchOptions withLevers(Levers l) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, l, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, policies, png, chipSeed);
    }

    public DriftBenchOptions withRounds(int epochs, int calibration) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibration, epochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, policies, png, chipSeed);
    }

    public DriftBenchOptions withCadence(double days, int validation) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, this.days, days, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validation,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, policies, png, chipSeed);
    }

    public DriftBenchOptions withRules(DriftPolicy r) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, r, policies, png, chipSeed);
    }

    public DriftBenchOptions withChipSeed(long chips) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, policies, png, chips);
    }
}
