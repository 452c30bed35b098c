package org.rramlab.device.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.noise.DeviceNoise;

/**
 * The cited filamentary preset on a simulated array: the mean relaxes by the fitted shift per unit of log
 * time, the spread around it widens in proportion to log time with the fitted conductance dependence, and
 * at 85 C the same drift comes sooner by the preset's Arrhenius factor. Expectations come from the preset's
 * parameters (the published fits), not from a run.
 */
class FilamentaryDriftTest {
    static final int N = 256;
    final DevicePreset preset = TestPresets.withReadNoise(DevicePreset.load("dac2020-65nm-filamentary"), 0);
    final DeviceNoise law = DeviceNoise.of(preset);
    final Block all = new Block(0, 0, N, N);
    final int level = 5;

    ArrayModel programmed() {
        ArrayModel m = new ArrayModel("fil", preset, N, N, 5);
        int[] levels = new int[N * N];
        java.util.Arrays.fill(levels, level);
        m.program(ProgramRequest.ofLevels(all, levels, false));
        return m;
    }

    /** Mean and standard deviation of (G(t) - G_prog) / Gmax over the devices that are not stuck. */
    static double[] change(ArrayModel m, float[] now) {
        double sum = 0, sumSq = 0;
        int n = 0;
        for (int i = 0; i < N * N; i++) {
            int r = i / N, c = i % N;
            if (m.fault(r, c) == Fault.NONE) {
                double d = (now[i] - m.programmedSiemens(r, c)) / m.preset().gMaxSiemens();
                sum += d;
                sumSq += d * d;
                n++;
            }
        }
        double mean = sum / n;
        return new double[] {mean, Math.sqrt(sumSq / n - mean * mean)};
    }

    @Test
    void theMeanRelaxesAndTheSpreadWidensWithLogTime() {
        assertTrue(preset.drift().filamentary());
        ArrayModel m = programmed();
        double previousSpread = 0;
        for (double days : new double[] {1, 90, 365}) {
            m.advanceClock(days * 86_400 - m.clockSeconds());
            double[] c = change(m, m.read(all).conductances());
            double logAge = Math.log(days * 86_400 / preset.drift().t0Seconds() + 1);
            // devices programmed with 50 % spread sit around the level: the law takes each one's own x = G / Gmax,
            // so the expected spread is the fitted s(x) averaged over them; the mean is x-independent here
            assertEquals(preset.drift().meanShiftAtGmin() * logAge, c[0], 0.1 * Math.abs(preset.drift().meanShiftAtGmin()
                    * logAge) + 0.002, days + " days: mean relaxation");
            double x = law.level(level) / preset.gMaxSiemens();
            double s = preset.drift().spread0() + x * (preset.drift().spread1() + x * preset.drift().spread2());
            assertEquals(s * logAge, c[1], 0.25 * s * logAge, days + " days: spread widening with log time");
            assertTrue(c[1] > previousSpread, "the spread keeps widening");
            previousSpread = c[1];
        }
    }

    @Test
    void at85CTheSameDriftComesSoonerByTheArrheniusFactor() {
        double factor = DeviceNoise.arrhenius(0.6, 300.0, 358.15);
        // Ea 0.6 eV between 300 K and 85 C: exp(0.6 / 8.617e-5 * (1/300 - 1/358.15)) = exp(3.768) = 43.3
        assertEquals(43.3, factor, 0.1);
        ArrayModel hot = programmed();
        ArrayModel cool = programmed();
        hot.setTemperature(358.15);
        hot.advanceClock(86_400);
        cool.advanceClock(86_400 * factor);
        float[] a = hot.read(all).conductances();
        float[] b = cool.read(all).conductances();
        for (int i = 0; i < a.length; i += 97) {
            assertEquals(b[i], a[i], Math.abs(b[i]) * 1e-5, "cell " + i);
        }
    }
}
