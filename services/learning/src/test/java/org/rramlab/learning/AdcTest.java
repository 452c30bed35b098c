package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.hil.ColumnAdc;
import org.rramlab.learning.osa.Hardware;
import org.rramlab.learning.hil.MeasuredWeights;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.Network;

/** The column ADC model: partial sums per 128-row tile, quantized to the converter's codes over its full scale. */
class AdcTest {
    @TempDir
    Path dir;

    @Test
    void logitsMoveByAtMostHalfAStepPerTileAndFewBitsCostAccuracy() throws Exception {
        DataSplit data = Fixtures.data(dir, 400);
        try (Network net = Fixtures.trainedMlp(data, 4)) {
            List<float[]> w = new ArrayList<>();
            for (int l = 0; l < net.weightedLayers().size(); l++) {
                w.add(net.weightValues(l));
            }
            Dataset images = data.test().head(100);
            int last = net.weightedLayers().size() - 1;
            int lastTiles = (net.weightedLayers().get(last).fanIn() + 127) / 128;
            try (MeasuredWeights exact = new MeasuredWeights(net, w);
                 ColumnAdc adc8 = ColumnAdc.calibrate(net, w, data.train().head(200), 8, 128);
                 ColumnAdc adc2 = ColumnAdc.calibrate(net, w, data.train().head(200), 2, 128)) {
                double[] scales = adc8.fullScale()[last];
                assertEquals(lastTiles, scales.length);
                // the last layer's logits differ from the exact ones by the last layer's own rounding and by
                // what the earlier layers' rounding carried forward; the first is bounded by half a step per tile
                float[] a = Evaluator.logits(net, images, exact);
                float[] b = Evaluator.logits(net, images, exact, adc8);
                double maxDiff = 0;
                for (int i = 0; i < a.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                }
                assertTrue(maxDiff > 0, "8-bit conversion changes the logits");
                double sumFullScale = 0;
                for (double s : scales) {
                    sumFullScale += s;
                }
                assertTrue(maxDiff < 0.1 * sumFullScale, "8 bits keep the logits within a few steps: " + maxDiff);

                double ideal = Evaluator.accuracy(net, data.test(), exact);
                double eight = Hardware.accuracy(net, data.test(), w, null, adc8);
                double two = Hardware.accuracy(net, data.test(), w, null, adc2);
                assertEquals(ideal, eight, 0.03, "8-bit ADCs cost little");
                assertTrue(two < ideal - 0.05, "3 codes per tile cost accuracy: " + two + " vs " + ideal);
                assertEquals(ideal, Hardware.accuracy(net, data.test(), w, null, null), 0.0,
                        "no ADC is the exact MAC");
            }
        }
    }
}
