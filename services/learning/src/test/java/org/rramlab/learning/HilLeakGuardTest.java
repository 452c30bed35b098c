package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.RramArray;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.device.DeviceAwareWeights;
import org.rramlab.learning.device.DeviceModel;
import org.rramlab.learning.hil.HilEvaluator;
import org.rramlab.learning.hil.HilResult;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MappingConfig;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;

/**
 * Guards against the software weights leaking into a hardware-in-the-loop figure: HIL accuracy
 * must come from what the simulated arrays hold. On the paper's devices (sigma 0.5, stuck-at
 * faults, read noise) it is not the software accuracy; on perfect devices (sigma 0, no faults, no
 * read noise) it is exactly the accuracy of the 10-level quantized weights, which is itself not
 * the full-precision network's (quantization changes the logits).
 */
class HilLeakGuardTest {
    @TempDir
    Path dir;

    @Test
    void hilAccuracyIsWhatTheArraysHoldNotTheSoftwareWeights() throws Exception {
        // faint bars: the network is right on most images (about 94 %), with margins small enough for errors to show
        TestData.writeMnistLike(dir, 600, false, 11, 20);
        DataSplit data = new DatasetRepository(dir).load(DatasetKind.MNIST);
        DevicePreset paper = Fixtures.PRESET;
        DevicePreset perfect = perfect(paper);
        MappingConfig config = MappingConfig.defaults();
        try (Network net = Fixtures.trainedMlp(data, 8)) {
            float[] software = Evaluator.logits(net, data.test(), WeightSource.MASTER);
            double softwareAccuracy = Evaluator.accuracy(net, data.test(), WeightSource.MASTER);
            assertTrue(softwareAccuracy > 0.85, "the network learned the faint bars: " + softwareAccuracy);
            DeviceAwareWeights quantized = new DeviceAwareWeights(DeviceModel.of(paper).ideal(), 1, 0, config.wMaxQuantile());
            float[] quantizedLogits = Evaluator.logits(net, data.test(), quantized);
            double quantizedAccuracy = Evaluator.accuracy(net, data.test(), quantized);

            // 10 levels are not full precision: every image's logits move
            double meanChange = meanAbsDifference(software, quantizedLogits);
            assertTrue(meanChange > 1e-3 * meanAbs(software), "quantization moved the logits by " + meanChange);
            assertTrue(changedImages(software, quantizedLogits, net.classes(), 1e-4) == data.test().count(),
                    "every image's logits change under quantization");

            // perfect devices: the HIL network is the quantized network, image for image
            HilResult exact = hil(net, perfect, config, data);
            assertEquals(quantizedAccuracy, exact.accuracy(), 0.0, "perfect devices give the quantized accuracy");
            float[] exactLogits = logits(net, exact, data);
            assertTrue(meanAbsDifference(exactLogits, quantizedLogits) < 1e-4 * meanAbs(quantizedLogits),
                    "perfect devices give the quantized logits: " + meanAbsDifference(exactLogits, quantizedLogits));

            // the paper's devices: the HIL network is neither
            HilResult noisy = hil(net, paper, config, data);
            float[] noisyLogits = logits(net, noisy, data);
            System.out.printf("HIL leak guard: software %.4f, 10-level quantized %.4f, perfect arrays %.4f,"
                            + " sigma-0.5 arrays %.4f; mean |logit change| quantized %.4g, sigma 0.5 %.4g%n",
                    softwareAccuracy, quantizedAccuracy, exact.accuracy(), noisy.accuracy(), meanChange,
                    meanAbsDifference(software, noisyLogits));
            assertTrue(noisy.accuracy() < quantizedAccuracy - 0.2,
                    "devices with sigma 0.5 and stuck-at faults cost accuracy: " + noisy.accuracy() + " vs " + softwareAccuracy);
            assertTrue(meanAbsDifference(software, noisyLogits) > 5 * meanChange,
                    "device variation moves the logits far more than quantization alone");
        }
    }

    /** The preset with devices that take exactly their level: no variation, no faults, no read noise. */
    static DevicePreset perfect(DevicePreset p) {
        return new DevicePreset(p.name() + "-perfect", "no variation, faults or read noise", p.levels(), p.gMaxSiemens(),
                p.onOffRatio(), 0, 0, 0, 0, p.drift(), p.writeVerify());
    }

    /** Plans the network onto fresh simulated arrays of {@code preset}, programs them and evaluates on them. */
    static HilResult hil(Network net, DevicePreset preset, MappingConfig config, DataSplit data) throws Exception {
        WeightMapping mapping = Mapper.plan(net, preset, config, "leak");
        Map<String, RramArray> arrays = new LinkedHashMap<>();
        try {
            for (String id : mapping.arrayIds()) {
                arrays.put(id, new SimulatedArray(id, preset, config.arrayRows(), config.arrayCols(), id.hashCode()));
            }
            Mapper.program(mapping, arrays).toCompletableFuture().join();
            return HilEvaluator.evaluate(net, mapping, arrays, data.test());
        } finally {
            for (RramArray a : arrays.values()) {
                a.close();
            }
        }
    }

    static float[] logits(Network net, HilResult hil, DataSplit data) {
        List<float[]> weights = hil.weights();
        try (var source = new org.rramlab.learning.hil.MeasuredWeights(net, weights)) {
            return Evaluator.logits(net, data.test(), source);
        }
    }

    static double meanAbsDifference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    static double meanAbs(float[] a) {
        double sum = 0;
        for (float v : a) {
            sum += Math.abs(v);
        }
        return sum / a.length;
    }

    static int changedImages(float[] a, float[] b, int classes, double tolerance) {
        int changed = 0;
        for (int i = 0; i < a.length / classes; i++) {
            for (int c = 0; c < classes; c++) {
                if (Math.abs(a[i * classes + c] - b[i * classes + c]) > tolerance) {
                    changed++;
                    break;
                }
            }
        }
        return changed;
    }
}
