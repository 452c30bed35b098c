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
 * @param adcBits            column ADC resolution every score is read through, as in {@code reproduce} (0: exact MAC)
 * @param studentSeed        seed of the student's distillation (1: the bench's first student); a student per seed
 * @param temperatureKelvin  the chips' temperature (0: the preset's reference); drift time runs faster by Arrhenius
 */
public record DriftBenchOptions(Path dataDir, DatasetKind dataset, Architecture architecture, String preset,
                                double days, double cadenceDays, boolean quick, long seed, int trainLimit,
                                int teacherEpochs, int studentEpochs, int batchSize, double teacherLr, double studentLr,
                                int validationImages, int calibrationImages, int osaEpochs,
                                double areaBudget, double refreshPerMonth, Levers levers,
                                double osaThresholdPoints, double wMaxQuantile, int gainBits, int gainFractionBits,
                                DriftPolicy rules, List<String> policies, Path png, long chipSeed, int adcBits,
                                long studentSeed, double temperatureKelvin) {

    /**
     * What the bench varies beyond the supervisor's own settings (chosen on validation images, docs/drift.md).
     *
     * @param deployEpochs       epochs of the round at deployment (0: as a check's round); deployment is not a
     *                           check, its time is reported apart from the decisions'
     * @param deployRepair       share of the weights written again with write-verify right after the one-shot
     *                           programming, the costliest first (the supervisor's refresh.at-deployment; 0: none)
     * @param offsets            the rounds of full also train a digital offset per output column, held in the
     *                           bias registers ({@link org.rramlab.learning.osa.Offsets})
     */
    public record Levers(int deployEpochs, double deployRepair, boolean offsets) {
        public static Levers defaults() {
            // a repair of 2 % of the weights and a round of 8 epochs at deployment (LeNet-5 and quick on the tuning
            // chips, 2026-12-02); offsets in the rounds (both, tuning chips, 2026-12-02, night)
            return new Levers(8, 0.02, true);
        }
    }

    /** The cited filamentary RRAM drift (decision 0042); "dac2020-65nm" is the power law, kept for comparison. */
    public static final String DEFAULT_PRESET = "dac2020-65nm-filamentary";

    public static DriftBenchOptions of(Path dataDir, double days, boolean quick, Path png) {
        if (quick) {
            return new DriftBenchOptions(dataDir, DatasetKind.MNIST, Architecture.MLP, DEFAULT_PRESET, days, 3, true, 1,
                    20_000, 3, 3, 64, 2e-3, 1e-3, 5_000, 3_000, 6, 0.0786, 0.05, Levers.defaults(),
                    1.0, 0.98, 8, 6, DriftPolicy.defaults(), DriftBench.POLICIES, png, 0, 8, 1, 0);
        }
        // the reproduction's quick LeNet-5 recipe (ReproduceOptions.of(MNIST, quick)): 4 + 3 epochs, batch 128
        // a check every 3 days and rounds of 3 epochs: on the tuning chips' validation images they held LeNet-5
        // closer than daily checks and rounds of 2 epochs (docs/drift.md)
        return new DriftBenchOptions(dataDir, DatasetKind.MNIST, Architecture.LENET5, DEFAULT_PRESET, days, 3, false, 1,
                0, 4, 3, 128, 1.5e-3, 1e-3, 5_000, 2_000, 3, 0.0786, 0.05, Levers.defaults(),
                1.0, 0.98, 8, 6, DriftPolicy.defaults(), DriftBench.POLICIES, png, 0, 8, 1, 0);
    }

    public DriftBenchOptions withPolicies(List<String> p) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, List.copyOf(p), png, chipSeed, adcBits, studentSeed, temperatureKelvin);
    }

    public DriftBenchOptions withLevers(Levers l) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, l, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, policies, png, chipSeed, adcBits, studentSeed, temperatureKelvin);
    }

    public DriftBenchOptions withRounds(int epochs, int calibration) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibration, epochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, policies, png, chipSeed, adcBits, studentSeed, temperatureKelvin);
    }

    public DriftBenchOptions withCadence(double days, int validation) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, this.days, days, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validation,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, policies, png, chipSeed, adcBits, studentSeed, temperatureKelvin);
    }

    public DriftBenchOptions withRules(DriftPolicy r) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, r, policies, png, chipSeed, adcBits, studentSeed, temperatureKelvin);
    }

    public DriftBenchOptions withChipSeed(long chips) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, policies, png, chips, adcBits, studentSeed, temperatureKelvin);
    }

    /** The ADC bits, the student's seed, the preset and the chips' temperature (0: the preset's reference). */
    public DriftBenchOptions withDevice(int adc, long student, String devicePreset, double kelvin) {
        return new DriftBenchOptions(dataDir, dataset, architecture, devicePreset, days, cadenceDays, quick, seed,
                trainLimit, teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, validationImages,
                calibrationImages, osaEpochs, areaBudget, refreshPerMonth, levers, osaThresholdPoints, wMaxQuantile,
                gainBits, gainFractionBits, rules, policies, png, chipSeed, adc, student, kelvin);
    }
}
