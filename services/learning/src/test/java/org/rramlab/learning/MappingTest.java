package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rramlab.learning.mapping.LayerMapping;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MappingConfig;
import org.rramlab.learning.mapping.MeasuredConductances;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Architecture;
import org.rramlab.learning.model.Network;

class MappingTest {
    @Test
    void weightsRoundTripWithinTheQuantizationError() {
        try (Network net = Network.create(Architecture.MLP, 1, 28, 10, 9)) {
            // small tiles on small arrays, so that layers span several tiles and arrays
            MappingConfig config = new MappingConfig(64, 32, 128, 64, false, 1.0);
            WeightMapping mapping = Mapper.plan(net, Fixtures.PRESET, config, "t");
            Map<String, IdealArray> arrays = Fixtures.idealArrays(mapping);
            Mapper.program(mapping, Fixtures.asArrays(arrays)).toCompletableFuture().join();
            MeasuredConductances read = Mapper.read(mapping, Fixtures.asArrays(arrays)).toCompletableFuture().join();
            List<float[]> back = read.effectiveWeights(mapping);
            List<float[]> targets = mapping.targetWeights();
            for (int l = 0; l < 2; l++) {
                float[] w = net.weightValues(l);
                LayerMapping lm = mapping.layers().get(l);
                double halfStep = lm.wMax() / (2 * (mapping.levels() - 1));
                for (int i = 0; i < w.length; i++) {
                    assertTrue(Math.abs(back.get(l)[i] - w[i]) <= halfStep * 1.0001,
                            "layer " + l + " weight " + i + ": " + w[i] + " came back as " + back.get(l)[i]);
                    assertEquals(targets.get(l)[i], back.get(l)[i], lm.wMax() * 1e-5);
                }
            }
            // fc1 is 784 x 32: 13 row tiles x 2 column tiles; 8 tiles fit on a 128 x 64 array
            assertEquals(26, mapping.layers().get(0).tiles().size());
            assertTrue(mapping.arrayIds().size() >= 4);
        }
    }

    @Test
    void theMappingIsAJsonValue() throws Exception {
        try (Network net = Network.create(Architecture.MLP, 1, 28, 10, 2)) {
            WeightMapping mapping = Mapper.plan(net, Fixtures.PRESET, MappingConfig.defaults(), "chip");
            ObjectMapper json = new ObjectMapper();
            WeightMapping back = json.readValue(json.writeValueAsBytes(mapping), WeightMapping.class);
            assertEquals(mapping.arrayIds(), back.arrayIds());
            assertEquals(mapping.config(), back.config());
            assertEquals(mapping.layers().get(0).tiles(), back.layers().get(0).tiles());
            assertArrayEquals(mapping.layers().get(1).signedLevels(), back.layers().get(1).signedLevels());
            assertEquals(mapping.layers().get(1).wMax(), back.layers().get(1).wMax());
        }
    }

    @Test
    void belowTheMaximumLargeWeightsSaturateAtTheTopLevel() {
        try (Network net = Network.create(Architecture.MLP, 1, 28, 10, 5)) {
            WeightMapping mapping = Mapper.plan(net, Fixtures.PRESET, MappingConfig.defaults().withWMaxQuantile(0.9), "q");
            Map<String, IdealArray> arrays = Fixtures.idealArrays(mapping);
            Mapper.program(mapping, Fixtures.asArrays(arrays)).toCompletableFuture().join();
            List<float[]> back = Mapper.read(mapping, Fixtures.asArrays(arrays)).toCompletableFuture().join()
                    .effectiveWeights(mapping);
            float[] w = net.weightValues(0);
            double wMax = mapping.layers().get(0).wMax();
            double halfStep = wMax / (2 * (mapping.levels() - 1));
            int saturated = 0;
            for (int i = 0; i < w.length; i++) {
                if (Math.abs(w[i]) > wMax) {
                    saturated++;
                    assertEquals(Math.signum(w[i]) * wMax, back.get(0)[i], wMax * 1e-5);
                } else {
                    assertTrue(Math.abs(back.get(0)[i] - w[i]) <= halfStep * 1.0001);
                }
            }
            // about a tenth of the weights lie above the 0.9 quantile
            assertTrue(saturated > w.length / 20 && saturated < w.length / 5, "saturated " + saturated);
        }
    }
}
