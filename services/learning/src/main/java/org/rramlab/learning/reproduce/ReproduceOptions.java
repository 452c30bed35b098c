package org.rramlab.learning.reproduce;

import java.nio.file.Path;
import java.util.List;
import org.rramlab.learning.area.AreaModel;
import org.rramlab.learning.area.AreaParameters;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.model.Architecture;
import org.rramlab.learning.osa.Placement;

/**
 * Everything a reproduction run does, resolved from the command line.
 *
 * @param trainLimit      use at most this many training images (0: all)
 * @param calibration     images for importance and OSA training, taken from the training set
 * @param budgets         SRAM fractions to run OSA at
 * @param studentWMaxQuantile w_max rule of the KD student, in training and mapping (1 = max|w|, the
 *                        paper's rule; the teacher is always mapped with max|w|)
 */
public record ReproduceOptions(DatasetKind dataset, Architecture architecture, Path dataDir, String preset, int chips,
                               long seed, int teacherEpochs, int studentEpochs, int batchSize, double teacherLr,
                               double studentLr, double alpha, double temperature, int trainLimit, int calibration,
                               int osaEpochs, List<Double> budgets, List<Placement> placements, boolean retrain,
                               boolean quick, double studentWMaxQuantile) {

    /** The largest SRAM fraction whose macro area stays within the paper's 7.86 % (0.53 %, docs/learning.md). */
    public static final double PAPER_BUDGET =
            Math.floor(new AreaModel(AreaParameters.neurosim65nm()).fractionForMacroCost(0.0786) * 10_000) / 10_000;

    public ReproduceOptions withStudentWMaxQuantile(double q) {
        return new ReproduceOptions(dataset, architecture, dataDir, preset, chips, seed, teacherEpochs, studentEpochs,
                batchSize, teacherLr, studentLr, alpha, temperature, trainLimit, calibration, osaEpochs, budgets,
                placements, retrain, quick, q);
    }

    public ReproduceOptions withOsaEpochs(int epochs) {
        return new ReproduceOptions(dataset, architecture, dataDir, preset, chips, seed, teacherEpochs, studentEpochs,
                batchSize, teacherLr, studentLr, alpha, temperature, trainLimit, calibration, epochs, budgets,
                placements, retrain, quick, studentWMaxQuantile);
    }

    public static ReproduceOptions of(DatasetKind dataset, boolean quick, int chips, Path dataDir, long seed,
                                      boolean retrain) {
        Architecture arch = dataset == DatasetKind.CIFAR10 ? Architecture.VGG_SMALL : Architecture.LENET5;
        boolean cifar = dataset == DatasetKind.CIFAR10;
        List<Placement> all = List.of(Placement.MEASURED, Placement.IMPORTANCE, Placement.RANDOM);
        if (quick) {
            return new ReproduceOptions(dataset, arch, dataDir, "dac2020-65nm", chips, seed, cifar ? 2 : 4,
                    cifar ? 2 : 3, 128, 1.5e-3, 1e-3, 0.5, 2.0, cifar ? 10_000 : 0, 2000, 3,
                    List.of(0.0025, 0.005, 0.01, 0.02), all, retrain, true, 1.0);
        }
        return new ReproduceOptions(dataset, arch, dataDir, "dac2020-65nm", chips, seed, cifar ? 8 : 15,
                cifar ? 6 : 20, 128, 1.5e-3, 1e-3, 0.5, 2.0, 0, 5000, 16,
                List.of(0.001, 0.0025, 0.005, PAPER_BUDGET, 0.0075, 0.01, 0.02, 0.05), all, retrain, false, 1.0);
    }
}
