package org.rramlab.learning.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.model.Architecture;

/**
 * Everything a reproduction run does, resolved from the command line.
 *
 * @param chips               held-out evaluation chips (fabrication seeds chipSeed, chipSeed + 1, ...)
 * @param tuningChips         chips every setting is chosen on (seeds {@link #TUNING_SEED_BASE} + i, never evaluated)
 * @param trainLimit          use at most this many fitting images (0: all)
 * @param calibration         OSA calibration images, drawn from the fitting images
 * @param quantiles           w_max quantile candidates of the KD student (1 = max|w|, the paper's rule; it is
 *                            always trained, for the paper's row)
 * @param osaEpochs           OSA epoch candidates
 * @param osaLearningRates    OSA learning-rate candidates
 * @param budgets             SRAM fractions reported besides the largest one within the paper's 7.86 % area
 * @param adcBits             column ADC resolution in the accuracy model (0: ideal, exact MAC)
 * @param repairFraction      share of the weights whose devices rramlab's third row write-verifies once after the
 *                            one-shot programming (0: no such row)
 * @param teachers            teachers trained (seeds seed, seed + 1, ...); settings are chosen with the first, every
 *                            figure is over teachers x held-out chips
 * @param gridRounds          times each method's OSA grid may grow where its best candidate sits at an edge (0: the
 *                            grid as given)
 */
public record ReproduceOptions(DatasetKind dataset, Architecture architecture, Path dataDir, String preset, int chips,
                               long chipSeed, int tuningChips, long seed, int teacherEpochs, int studentEpochs,
                               int batchSize, double teacherLr, double studentLr, double alpha, double temperature,
                               int trainLimit, int calibration, List<Double> quantiles, List<Integer> osaEpochs,
                               List<Double> osaLearningRates, List<Double> budgets, boolean retrain, boolean quick,
                               int adcBits, double repairFraction, int teachers,
                               int gridRounds) {
    /** Fabrication seeds of the tuning chips start here; evaluation seeds must stay below. */
    public static final long TUNING_SEED_BASE = 1_000_000;
    /** The paper's area cost of the SRAM branch (Charan et al., DAC 2020). */
    public static final double PAPER_AREA_COST = 0.0786;
    /** Weights whose devices the repair row write-verifies: 2 %, under the drift policy's 5 % of devices a month. */
    public static final double DEFAULT_REPAIR = 0.02;
    /** Teachers per run: three seeds, so that a figure's spread includes the teacher's. */
    public static final int DEFAULT_TEACHERS = 3;
    /** Grid growth: up to four steps beyond the given grid per axis and method. */
    public static final int DEFAULT_GRID_ROUNDS = 4;

    public ReproduceOptions {
        if (teachers < 1) {
            throw new IllegalArgumentException("--teachers must be at least 1, got " + teachers);
        }
        if (gridRounds < 0) {
            throw new IllegalArgumentException("--grid-rounds must be >= 0, got " + gridRounds);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("--train-limit must be >= 0 (0: every fitting image), got " + trainLimit);
        }
        if (chips < 1 || tuningChips < 1) {
            throw new IllegalArgumentException("need at least one evaluation chip and one tuning chip");
        }
        if (chipSeed < 0 || chipSeed + chips > TUNING_SEED_BASE) {
            throw new IllegalArgumentException("--chip-seed must lie in 0.." + (TUNING_SEED_BASE - chips)
                    + " so that the evaluation chips stay apart from the tuning chips (seeds " + TUNING_SEED_BASE
                    + " on), got " + chipSeed);
        }
        if (!(repairFraction >= 0 && repairFraction <= 0.5)) {
            throw new IllegalArgumentException("--repair must be a share of the weights in 0..0.5, got " + repairFraction);
        }
        if (!(adcBits == 0 || (adcBits >= 2 && adcBits <= 16))) {
            throw new IllegalArgumentException("--adc-bits must be 2..16 or 'ideal', got " + adcBits);
        }
        for (double q : quantiles) {
            if (!(q > 0 && q <= 1)) {
                throw new IllegalArgumentException("w_max quantiles must lie in (0, 1], got " + q);
            }
        }
        if (!quantiles.contains(1.0)) {
            List<Double> withPaper = new ArrayList<>(quantiles);
            withPaper.add(0, 1.0);
            quantiles = withPaper;
        }
        quantiles = List.copyOf(quantiles);
    }

    public List<Long> evaluationSeeds() {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < chips; i++) {
            out.add(chipSeed + i);
        }
        return out;
    }

    public List<Long> tuningSeeds() {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < tuningChips; i++) {
            out.add(TUNING_SEED_BASE + i);
        }
        return out;
    }

    public static ReproduceOptions of(DatasetKind dataset, boolean quick, Integer chips, long chipSeed, Path dataDir,
                                      long seed, boolean retrain, int adcBits) {
        Architecture arch = dataset == DatasetKind.CIFAR10 ? Architecture.VGG_SMALL : Architecture.LENET5;
        boolean cifar = dataset == DatasetKind.CIFAR10;
        if (quick) {
            return new ReproduceOptions(dataset, arch, dataDir, "dac2020-65nm", chips != null ? chips : 2, chipSeed, 1,
                    seed, cifar ? 2 : 4, cifar ? 2 : 3, 128, 1.5e-3, 1e-3, 0.5, 2.0, cifar ? 10_000 : 0, 2000,
                    List.of(1.0, 0.98, 0.95), List.of(2, 4), List.of(1e-3, 3e-3, 1e-2), List.of(0.0025, 0.01), retrain,
                    true, adcBits, DEFAULT_REPAIR, DEFAULT_TEACHERS, DEFAULT_GRID_ROUNDS);
        }
        return new ReproduceOptions(dataset, arch, dataDir, "dac2020-65nm", chips != null ? chips : 5, chipSeed, 2,
                seed, cifar ? 8 : 15, cifar ? 6 : 20, 128, 1.5e-3, 1e-3, 0.5, 2.0, 0, 5000,
                List.of(1.0, 0.99, 0.98, 0.95, 0.9), List.of(8, 16, 32), List.of(1e-3, 3e-3, 1e-2),
                List.of(0.001, 0.0025, 0.01, 0.02), retrain, false, adcBits, DEFAULT_REPAIR, DEFAULT_TEACHERS, DEFAULT_GRID_ROUNDS);
    }

    public ReproduceOptions withQuantiles(List<Double> q) {
        return with(d -> d.quantiles = q);
    }

    public ReproduceOptions withOsaEpochs(List<Integer> e) {
        return with(d -> d.osaEpochs = e);
    }

    public ReproduceOptions withTuningChips(int n) {
        return with(d -> d.tuningChips = n);
    }

    public ReproduceOptions withBudgets(List<Double> b) {
        return with(d -> d.budgets = b);
    }

    /** Another network (e.g. the VGG-style one on Fashion-MNIST); its models are cached under its own name. */
    public ReproduceOptions withArchitecture(Architecture a) {
        return with(d -> d.architecture = a);
    }

    public ReproduceOptions withTeachers(int n) {
        return with(d -> d.teachers = n);
    }

    public ReproduceOptions withOsaLearningRates(List<Double> rates) {
        return with(d -> d.osaLearningRates = rates);
    }

    /** Seeds of the teachers: seed, seed + 1, ... */
    public List<Long> teacherSeeds() {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < teachers; i++) {
            out.add(seed + i);
        }
        return out;
    }

    public ReproduceOptions withRepair(double fraction) {
        return with(d -> d.repairFraction = fraction);
    }

    /** Other training lengths (tests: enough steps on a few images). */
    public ReproduceOptions withEpochs(int teacher, int student) {
        return with(d -> {
            d.teacherEpochs = teacher;
            d.studentEpochs = student;
        });
    }

    /** A short run for tests: a few images, epochs and budgets. */
    public ReproduceOptions small(int trainImages, int calibrationImages, List<Double> fractions) {
        return with(d -> {
            d.teacherEpochs = 1;
            d.studentEpochs = 1;
            d.trainLimit = trainImages;
            d.calibration = calibrationImages;
            d.osaEpochs = List.of(1);
            d.osaLearningRates = List.of(osaLearningRates.get(0));
            d.budgets = fractions;
        });
    }

    public ReproduceOptions withGridRounds(int rounds) {
        return with(d -> d.gridRounds = rounds);
    }

    /** At most this many fitting images (0: all); cached models are named by the count, so they stay apart. */
    public ReproduceOptions withTrainLimit(int limit) {
        return with(d -> d.trainLimit = limit);
    }

    /** OSA calibration images (a large network's quick run trains its SRAM on fewer). */
    public ReproduceOptions withCalibration(int images) {
        if (images < 100) {
            throw new IllegalArgumentException("--calibration needs at least 100 images, got " + images);
        }
        return with(d -> d.calibration = images);
    }

    /** This run with some components changed: {@code change} sets them on a copy (the checks above run again). */
    private ReproduceOptions with(java.util.function.Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return d.build();
    }

    /** Every component, settable: the one place that copies a run's options. */
    private static final class Draft {
        DatasetKind dataset;
        Architecture architecture;
        Path dataDir;
        String preset;
        int chips;
        long chipSeed;
        int tuningChips;
        long seed;
        int teacherEpochs;
        int studentEpochs;
        int batchSize;
        double teacherLr;
        double studentLr;
        double alpha;
        double temperature;
        int trainLimit;
        int calibration;
        List<Double> quantiles;
        List<Integer> osaEpochs;
        List<Double> osaLearningRates;
        List<Double> budgets;
        boolean retrain;
        boolean quick;
        int adcBits;
        double repairFraction;
        int teachers;
        int gridRounds;

        Draft(ReproduceOptions o) {
            dataset = o.dataset;
            architecture = o.architecture;
            dataDir = o.dataDir;
            preset = o.preset;
            chips = o.chips;
            chipSeed = o.chipSeed;
            tuningChips = o.tuningChips;
            seed = o.seed;
            teacherEpochs = o.teacherEpochs;
            studentEpochs = o.studentEpochs;
            batchSize = o.batchSize;
            teacherLr = o.teacherLr;
            studentLr = o.studentLr;
            alpha = o.alpha;
            temperature = o.temperature;
            trainLimit = o.trainLimit;
            calibration = o.calibration;
            quantiles = o.quantiles;
            osaEpochs = o.osaEpochs;
            osaLearningRates = o.osaLearningRates;
            budgets = o.budgets;
            retrain = o.retrain;
            quick = o.quick;
            adcBits = o.adcBits;
            repairFraction = o.repairFraction;
            teachers = o.teachers;
            gridRounds = o.gridRounds;
        }

        ReproduceOptions build() {
            return new ReproduceOptions(dataset, architecture, dataDir, preset, chips, chipSeed,
                    tuningChips, seed, teacherEpochs, studentEpochs, batchSize, teacherLr, studentLr, alpha,
                    temperature, trainLimit, calibration, quantiles, osaEpochs, osaLearningRates, budgets,
                    retrain, quick, adcBits, repairFraction, teachers, gridRounds);
        }
    }
}
