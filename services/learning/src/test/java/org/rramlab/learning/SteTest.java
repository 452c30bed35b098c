package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.rramlab.device.DevicePreset;
import org.rramlab.learning.device.DeviceAwareWeights;
import org.rramlab.learning.device.DeviceModel;
import org.rramlab.learning.model.Torch;

class SteTest {
    @Test
    void deviceSamplePassesTheGradientStraightThrough() {
        DeviceAwareWeights device = new DeviceAwareWeights(DeviceModel.of(DevicePreset.load("dac2020-65nm")));
        float[] w = new float[200];
        float[] c = new float[200];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(i * 0.37) * 0.3f;
            c[i] = i % 7 - 3;
        }
        try (NDManager m = Torch.newManager()) {
            NDArray master = m.create(w, new Shape(10, 20));
            master.setRequiresGradient(true);
            NDArray coeff = m.create(c, new Shape(10, 20));
            NDArray sampled;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                sampled = device.weight(0, master);
                gc.backward(sampled.mul(coeff).sum());
            }
            // the forward value is a device sample, not the master weight ...
            float[] s = sampled.toFloatArray();
            double diff = 0;
            for (int i = 0; i < s.length; i++) {
                diff += Math.abs(s[i] - w[i]);
            }
            assertTrue(diff / s.length > 0.01, "the sample should differ from the master weight");
            // ... and d(sum(c * sample))/d(master) = c exactly
            assertArrayEquals(c, master.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void withoutVariationTheSampleIsTheQuantizedWeight() {
        DeviceModel ideal = DeviceModel.of(DevicePreset.load("dac2020-65nm")).ideal();
        float[] w = {0.9f, -0.44f, 0.06f, -0.9f, 0.3f};
        float[] s = new DeviceAwareWeights(ideal).sample(w);
        // w_max 0.9, 10 levels: steps of 0.1
        float[] expected = {0.9f, -0.4f, 0.1f, -0.9f, 0.3f};
        for (int i = 0; i < w.length; i++) {
            assertEquals(expected[i], s[i], 1e-5);
        }
    }

    @Test
    void repairReplacesTheLargestErrorsByTheIntendedWeight() {
        DeviceModel model = DeviceModel.of(DevicePreset.load("dac2020-65nm"));
        float[] w = new float[1000];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.cos(i * 0.11) * 0.2f;
        }
        float[] plain = new DeviceAwareWeights(model, 9, 0).sample(w);
        float[] repaired = new DeviceAwareWeights(model, 9, 0.05).sample(w);
        float maxPlain = 0;
        float maxRepaired = 0;
        int exact = 0;
        for (int i = 0; i < w.length; i++) {
            maxPlain = Math.max(maxPlain, Math.abs(plain[i] - w[i]));
            maxRepaired = Math.max(maxRepaired, Math.abs(repaired[i] - w[i]));
            if (repaired[i] == w[i]) {
                exact++;
            }
        }
        assertEquals(50, exact);
        assertTrue(maxRepaired < maxPlain, "the largest errors should be gone: " + maxRepaired + " vs " + maxPlain);
    }
}
