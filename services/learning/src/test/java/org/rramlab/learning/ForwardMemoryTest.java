package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.hil.ColumnAdc;
import org.rramlab.learning.hil.MeasuredWeights;
import org.rramlab.learning.model.Architecture;
import org.rramlab.learning.model.ColumnReadout;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.Network;

/**
 * The native memory a forward pass holds. The VGG-style net read through column ADCs (up to 9 tiles of 128 rows a
 * layer, each tile's partial sums quantized by a chain of tensor operations) once held every intermediate of the
 * whole pass until the batch ended: about 107 activations of its first block's size, 10.7 GB for a batch of 1,000
 * images, and the Fashion-MNIST run was killed at 10.5 GB. A pass must hold about one layer's worth, and nothing
 * may stay behind once a batch is done, however many batches run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForwardMemoryTest {
    private static final int IMAGES = 50;

    @TempDir
    Path dir;

    @Test
    void anAdcPassOfTheVggNetHoldsAboutOneLayerNotTheWholePassAndLeavesNothingBehind() throws Exception {
        DataSplit data = Fixtures.data(dir, 4 * IMAGES);
        Dataset images = data.test().head(IMAGES);
        try (Network net = Network.create(Architecture.VGG_SMALL, 1, 28, 10, 5)) {
            List<float[]> w = new ArrayList<>();
            for (int l = 0; l < net.weightedLayers().size(); l++) {
                w.add(net.weightValues(l));
            }
            NDManager m = net.manager();
            int parameters = m.getManagedArrays().size();
            long parameterBytes = liveBytes(m);
            // the first block's activation for the whole batch: the largest tensor of the pass
            long activation = (long) IMAGES * 32 * 28 * 28 * Float.BYTES;
            long[] peak = {0};
            try (MeasuredWeights source = new MeasuredWeights(net, w);
                 ColumnAdc adc = ColumnAdc.calibrate(net, w, data.train().head(IMAGES), 8, 128)) {
                ColumnReadout watched = (layer, weight, mac) -> {
                    NDArray y = adc.read(layer, weight, ww -> {
                        peak[0] = Math.max(peak[0], liveBytes(m) - parameterBytes);
                        NDArray out = mac.apply(ww);
                        peak[0] = Math.max(peak[0], liveBytes(m) - parameterBytes);
                        return out;
                    });
                    peak[0] = Math.max(peak[0], liveBytes(m) - parameterBytes);
                    return y;
                };
                double first = Evaluator.accuracy(net, images, source, watched);
                System.out.printf("ADC pass of vgg-small on %d images: peak %.1f MB held by live arrays,"
                                + " %.1f activations of %.1f MB%n", IMAGES, peak[0] / 1e6, (double) peak[0] / activation,
                        activation / 1e6);
                assertTrue(peak[0] < 8 * activation, "a pass holds about one layer's tensors, not every layer's: peak "
                        + peak[0] / 1e6 + " MB, " + (double) peak[0] / activation + " activations of the first block");
                assertEquals(parameters, m.getManagedArrays().size(), "nothing stays behind after a batch");

                // K more passes, with and without ADCs: the arrays left attached do not grow with K
                for (int k = 0; k < 3; k++) {
                    assertEquals(first, Evaluator.accuracy(net, images, source, adc), 0.0, "the same pass, the same result");
                    Evaluator.accuracy(net, images, source);
                }
                assertEquals(parameters, m.getManagedArrays().size(), "nothing accumulates over passes");
            }
        }
    }

    private static long liveBytes(NDManager m) {
        long bytes = 0;
        for (NDArray a : m.getManagedArrays()) {
            bytes += a.size() * a.getDataType().getNumOfBytes();
        }
        return bytes;
    }
}
