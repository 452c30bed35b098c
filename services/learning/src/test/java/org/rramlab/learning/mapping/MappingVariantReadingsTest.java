package org.rramlab.learning.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.device.DevicePreset;

/** The readings of "10 levels, 50 % variance" beyond the eight: what each draws. */
@Timeout(20)
class MappingVariantReadingsTest {
    private static final DevicePreset PRESET = DevicePreset.load("dac2020-65nm");

    private static float[] weights(int n) {
        float[] w = new float[n];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return w;
    }

    @Test
    void everyReadingIsNamedOnceAndTheDefaultIsThePresetsLaw() {
        List<MappingVariant> all = MappingVariant.presets();
        assertEquals(14, all.size());
        assertEquals(all.size(), all.stream().map(MappingVariant::name).distinct().count());
        MappingVariant d = all.stream().filter(v -> v.name().equals(MappingVariant.DEFAULT)).findFirst().orElseThrow();
        assertEquals(MappingVariant.Law.LOGNORMAL, d.law());
        assertEquals(0.5, d.sigma());
        assertTrue(d.stuck() && !d.perRead());
        MappingVariant variance = all.stream().filter(v -> v.name().startsWith("lognormal-0.71/max|w|/stuck"))
                .findFirst().orElseThrow();
        assertEquals(Math.sqrt(0.5), variance.sigma(), 1e-12, "a variance of 0.5 on ln G");
    }

    @Test
    void aWeightReadingWithoutSpreadIsTheTenLevelWeight() {
        float[] w = weights(2000);
        MappingVariant none = new MappingVariant("t", MappingVariant.Law.WEIGHT_ADDITIVE, 0, 1.0, false, false, "t");
        float[] out = none.sample(w, PRESET, new SplittableRandom(1));
        float wMax = MappingConfig.wMax(w, 1.0);
        for (int i = 0; i < w.length; i++) {
            double level = Math.abs(out[i]) / wMax * 9;
            assertEquals(Math.round(level), level, 1e-4, "on one of the 10 levels");
            assertTrue(Math.abs(out[i] - w[i]) <= wMax / 18 + 1e-6, "within half a level of the weight");
        }
        // with the spread: a relative spread of 50 % moves the weights by about half their size
        MappingVariant rel = new MappingVariant("r", MappingVariant.Law.WEIGHT_RELATIVE, 0.5, 1.0, false, false, "r");
        float[] noisy = rel.sample(w, PRESET, new SplittableRandom(1));
        double ratio = 0;
        int n = 0;
        for (int i = 0; i < w.length; i++) {
            if (out[i] != 0) {
                ratio += Math.pow(noisy[i] / out[i] - 1, 2);
                n++;
            }
        }
        assertEquals(0.5, Math.sqrt(ratio / n), 0.05);
    }

    @Test
    void aSpreadPerReadKeepsTheStuckDevicesWhereTheyAre() {
        float[] w = weights(5000);
        // no spread at all: two reads differ only by the 1 % read noise, unless the stuck devices moved
        MappingVariant v = new MappingVariant("p", MappingVariant.Law.LOGNORMAL, 0, 1.0, true, true, "p");
        float wMax = MappingConfig.wMax(w, 1.0);
        float[] a = v.sample(w, PRESET, new SplittableRandom(9), new SplittableRandom(1));
        float[] b = v.sample(w, PRESET, new SplittableRandom(9), new SplittableRandom(2));
        float[] other = v.sample(w, PRESET, new SplittableRandom(10), new SplittableRandom(2));
        int sameFar = 0;
        int otherFar = 0;
        for (int i = 0; i < w.length; i++) {
            sameFar += Math.abs(a[i] - b[i]) > 0.1 * wMax ? 1 : 0;
            otherFar += Math.abs(a[i] - other[i]) > 0.1 * wMax ? 1 : 0;
        }
        assertEquals(0, sameFar, "same fabrication: the same devices stuck in every read");
        assertTrue(otherFar > 300, "another chip's devices stick elsewhere: " + otherFar);
    }
}
