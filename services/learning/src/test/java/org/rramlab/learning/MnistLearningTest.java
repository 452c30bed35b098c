package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.datasets.DatasetException;
import org.rramlab.datasets.DatasetStore;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.RramArray;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.data.Splits;
import org.rramlab.learning.device.DeviceAwareWeights;
import org.rramlab.learning.device.DeviceModel;
import org.rramlab.learning.osa.Hardware;
import org.rramlab.learning.kd.TrainConfig;
import org.rramlab.learning.kd.Trainer;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MappingConfig;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Architecture;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;
import org.rramlab.learning.osa.OsaConfig;
import org.rramlab.learning.osa.OsaResult;
import org.rramlab.learning.osa.OsaRound;
import org.rramlab.learning.osa.Placement;

/**
 * The recipe on real MNIST (the files `rramlab datasets fetch` checks by SHA-256; deploy/run-tests.sh
 * fetches them before the suite): a LeNet-5 teacher and a device-aware KD student trained on a fixed
 * subset (the training file's first 10,000 images), the student mapped onto simulated chips of the
 * shipped preset, and one OSA round. Bounds, and where each comes from:
 * <ul>
 *   <li>teacher >= 97 % on the 10,000 t10k images (issue 29; LeNet-5 on 10k images reaches 98 %-ish,
 *       our full-data teacher 99.06 %, docs/reproduction.md);</li>
 *   <li>the teacher mapped without help falls far (the paper: 31.76 %; ours 51.24 ± 9.15 %), and the KD
 *       student on the same chips beats it: model transfer is what makes mapping work;</li>
 *   <li>the student mapped, on average over three chips, lies within [91.82 %, teacher + 0.3 point]: the
 *       low end is that of the 95 % chip interval of the paper's KD student mapped in our full run
 *       (93.70 ± 1.51 %; our own quantile student reached 97.22 % on 55,000 images and 20 epochs, which a
 *       10,000-image student is not held to); above the teacher by more than twice t10k's sampling error
 *       (sqrt(0.98 x 0.02 / 10,000) = 0.14 point) would mean the chips were not in the loop;</li>
 *   <li>an OSA round (rramlab's: measured placement, SRAM started at the measured error, 1 % of the
 *       weights) never lowers the accuracy on validation images it was not trained on.</li>
 * </ul>
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MnistLearningTest {
    static final DevicePreset PRESET = DevicePreset.load(DevicePreset.DEFAULT);
    static final int FIT_IMAGES = 10_000;
    static final long SEED = 29;
    /** Fabrication seeds of the chips: apart from every training seed. */
    static final long[] CHIPS = {501, 502, 503};
    static final double QUANTILE = 0.98;
    static final int STUDENT_EPOCHS = 10;
    /**
     * The low end of the 95 % chip interval of the paper's KD student (max|w|) mapped without help in our
     * full MNIST run: 93.70 ± 1.51 %, 91.82-95.57 % (docs/reproduction.md, 2026-12-02). Our quantile-0.98
     * student reached 97.22 % there, but on 55,000 images and 20 epochs; on 10,000 images and 10 epochs it
     * is held to the weaker published row.
     */
    static final double STUDENT_MAPPED_LOW = 0.9182;

    static DataSplit mnist() {
        Path dataDir = DatasetStore.defaultDataDir();
        try {
            new DatasetStore(dataDir).require(org.rramlab.datasets.Dataset.MNIST);
        } catch (DatasetException e) {
            fail("real MNIST is needed here and is missing from " + dataDir + ": " + e.getMessage()
                    + ". Fetch it with `./rramlab datasets fetch` (deploy/run-tests.sh does it before the suite),"
                    + " or point RRAMLAB_DATA_DIR at a data dir that has it");
        }
        return new DatasetRepository(dataDir).load(DatasetKind.MNIST);
    }

    @Test
    void aTeacherAndAKdStudentOnTenThousandRealImagesSurviveSimulatedChipsAndOsaNeverLowersValidation() {
        long t0 = System.nanoTime();
        Splits splits = Splits.of(mnist());
        Dataset fit = splits.fit(FIT_IMAGES);
        Dataset validation = splits.validation();
        Dataset test = splits.test();
        assertEquals(FIT_IMAGES, fit.count());
        assertEquals(10_000, test.count());
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("load", since(t0));

        long t = System.nanoTime();
        try (Network teacher = Network.create(Architecture.LENET5, 1, 28, 10, SEED)) {
            Trainer.train("teacher", teacher, WeightSource.MASTER, fit, null, TrainConfig.plain(8, 64, 1.5e-3, SEED),
                    null, null, MnistLearningTest::progress);
            double teacherAccuracy = Evaluator.accuracy(teacher, test, WeightSource.MASTER);
            seconds.put("teacher", since(t));
            System.out.printf("MNIST 10k: teacher %.4f on t10k%n", teacherAccuracy);
            assertTrue(teacherAccuracy >= 0.97, "the teacher reaches 97 % on t10k: " + teacherAccuracy);

            t = System.nanoTime();
            float[] logits = Evaluator.logits(teacher, fit, WeightSource.MASTER);
            DeviceAwareWeights device = new DeviceAwareWeights(DeviceModel.of(PRESET), SEED, 0, QUANTILE);
            try (Network student = teacher.copy()) {
                Trainer.train("student", student, device, fit, logits, new TrainConfig(STUDENT_EPOCHS, 64, 1e-3, SEED + 1, 0.5, 2.0),
                        null, null, MnistLearningTest::progress);
                seconds.put("student", since(t));

                t = System.nanoTime();
                List<Double> teacherMapped = new ArrayList<>();
                List<Double> studentMapped = new ArrayList<>();
                List<float[]> firstChipRead = null;
                WeightMapping studentMapping = plan(student, QUANTILE);
                for (long chip : CHIPS) {
                    Map<String, RramArray> arrays = fabricate(plan(student, 1.0), chip);
                    try {
                        WeightMapping teacherMapping = plan(teacher, 1.0);
                        Mapper.program(teacherMapping, arrays).toCompletableFuture().join();
                        teacherMapped.add(Hardware.accuracy(teacher, test, read(teacherMapping, arrays), null, null));
                        Mapper.program(studentMapping, arrays).toCompletableFuture().join();
                        studentMapped.add(Hardware.accuracy(student, test, read(studentMapping, arrays), null, null));
                        if (firstChipRead == null) {
                            firstChipRead = read(studentMapping, arrays);
                        }
                    } finally {
                        arrays.values().forEach(RramArray::close);
                    }
                }
                seconds.put("chips", since(t));
                System.out.printf("MNIST 10k: mapped on chips %s: teacher %s, KD student %s%n",
                        java.util.Arrays.toString(CHIPS), teacherMapped, studentMapped);
                for (int c = 0; c < CHIPS.length; c++) {
                    assertTrue(studentMapped.get(c) > teacherMapped.get(c) + 0.05, "chip " + CHIPS[c]
                            + ": the KD student beats the mapped teacher by far: " + studentMapped.get(c) + " vs "
                            + teacherMapped.get(c));
                }
                double mean = studentMapped.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                assertTrue(mean >= STUDENT_MAPPED_LOW && mean <= teacherAccuracy + 0.003, "the KD student mapped lies"
                        + " within [" + STUDENT_MAPPED_LOW + ", teacher + 0.3 point] on average over the chips: " + mean
                        + " " + studentMapped + ", teacher " + teacherAccuracy);

                t = System.nanoTime();
                Dataset calibration = splits.fit(FIT_IMAGES).sample(2000, SEED, "calibration");
                float[] calibrationLogits = Evaluator.logits(teacher, calibration, WeightSource.MASTER);
                OsaConfig round = new OsaConfig(0.01, Placement.MEASURED, 8, 3, 64, 1e-3, SEED, 0.5, 2.0, true);
                OsaResult r = OsaRound.run(student, firstChipRead, calibration, calibrationLogits, validation, round,
                        e -> { });
                seconds.put("osa", since(t));
                System.out.printf("MNIST 10k: OSA round on chip %d, %d SRAM weights: validation %.4f -> %.4f%n",
                        CHIPS[0], r.sramWeights(), r.accuracyBefore(), r.accuracy());
                assertTrue(r.sramWeights() > 0);
                assertTrue(r.accuracy() >= r.accuracyBefore(), "the OSA round lowered validation accuracy: "
                        + r.accuracyBefore() + " -> " + r.accuracy());
            }
        }
        seconds.put("total", since(t0));
        // CPU time besides wall time: on a machine shared with other builds the wall time says little
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("MNIST 10k: seconds %s; process CPU %.1f s; torch threads %s%n", seconds,
                os.getProcessCpuTime() / 1e9, System.getProperty("ai.djl.pytorch.num_threads"));
    }

    static WeightMapping plan(Network net, double quantile) {
        return Mapper.plan(net, PRESET, MappingConfig.defaults().withWMaxQuantile(quantile), "chip");
    }

    /** One simulated array per array of the mapping, fabricated from the chip's seed (as ChipBench does). */
    static Map<String, RramArray> fabricate(WeightMapping m, long chip) {
        Map<String, RramArray> arrays = new LinkedHashMap<>();
        int a = 0;
        for (String id : m.arrayIds()) {
            arrays.put(id, new SimulatedArray(id + "-" + chip, PRESET, m.config().arrayRows(), m.config().arrayCols(),
                    chip * 1000 + a++));
        }
        return arrays;
    }

    static List<float[]> read(WeightMapping m, Map<String, RramArray> arrays) {
        return Mapper.read(m, arrays).toCompletableFuture().join().effectiveWeights(m);
    }

    static void progress(org.rramlab.learning.kd.TrainingEvent e) {
        if (e instanceof org.rramlab.learning.kd.TrainingEvent.EpochFinished f) {
            System.out.println("MNIST 10k: " + f);
        }
    }

    static double since(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
    }
}
