package org.rramlab.learning.drift;

import java.nio.file.Path;
import java.util.List;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.model.Architecture;

/**
 * Settings of {@link DriftBench}; {@link #of} gives the documented defaults (quick: a small MLP on
 * part of the training images, fewer validation and calibration images).
 *
 * @param cadenceDays        array days between two checks
 * @param areaBudget         macro area the SRAM (and, for "full", the compensation) may take
 * @param refreshPerMonth    devices a refresh may write per 30 array days, as a share of all devices
 * @param refreshBurst       a refresh may spend this many checks' share of the monthly budget at once
 * @param osaThresholdPoints the "osa" policy's threshold (the supervisor's default threshold)
 * @param wMaxQuantile       w_max rule of the device-aware student, in training and mapping
 */
public record DriftBenchOptions(Path dataDir, DatasetKind dataset, Architecture architecture, String preset,
                                double days, double cadenceDays, boolean quick, long seed, int trainLimit,
                                int trainEpochs, int validationImages, int calibrationImages, int osaEpochs,
                                double areaBudget, double refreshPerMonth, double refreshBurst,
                                double osaThresholdPoints, double wMaxQuantile, int gainBits, int gainFractionBits, DriftPolicy rules,
                                List<String> policies, Path png) {

    public static DriftBenchOptions of(Path dataDir, double days, boolean quick, Path png) {
        return new DriftBenchOptions(dataDir, DatasetKind.MNIST, quick ? Architecture.MLP : Architecture.LENET5,
                "dac2020-65nm", days, quick ? 3 : 1, quick, 1, quick ? 20_000 : 0, quick ? 3 : 6,
                quick ? 2_000 : 5_000, quick ? 1_000 : 2_000, quick ? 2 : 4, 0.0786, 0.05, 3, 1.0, 0.98, 8, 6,
                DriftPolicy.defaults(), DriftBench.POLICIES, png);
    }

    public DriftBenchOptions withPolicies(List<String> p) {
        return new DriftBenchOptions(dataDir, dataset, architecture, preset, days, cadenceDays, quick, seed, trainLimit,
                trainEpochs, validationImages, calibrationImages, osaEpochs, areaBudget, refreshPerMonth, refreshBurst,
                osaThresholdPoints, wMaxQuantile, gainBits, gainFractionBits, rules, List.copyOf(p), png);
    }
}
