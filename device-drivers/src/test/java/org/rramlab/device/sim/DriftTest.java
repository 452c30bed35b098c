package org.rramlab.device.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramRequest;

/** Drift follows G_prog * ((t + t0) / t0)^-nu on the array's clock, accelerated by temperature. */
class DriftTest {
    static final int N = 64;
    final DevicePreset preset = TestPresets.withReadNoise(TestPresets.dac(), 0);
    final Block all = new Block(0, 0, N, N);
    final int[] levels = TestPresets.levelPattern(N * N, 10);

    ArrayModel programmed(long seed) {
        ArrayModel m = new ArrayModel("drift", preset, N, N, seed);
        m.program(ProgramRequest.ofLevels(all, levels, false));
        return m;
    }

    @Test
    void everyDeviceFollowsThePowerLawOverAcceleratedTime() {
        ArrayModel m = programmed(3);
        float[] start = m.read(all).conductances();
        double t0 = preset.drift().t0Seconds();
        for (double t : new double[] {10, 3600, 86400 * 30.0}) {
            m.advanceClock(t - m.clockSeconds());
            float[] now = m.read(all).conductances();
            for (int i = 0; i < N * N; i++) {
                int r = i / N, c = i % N;
                double expected = m.fault(r, c) == Fault.NONE
                        ? m.programmedSiemens(r, c) * Math.pow((t + t0) / t0, -m.driftExponent(r, c))
                        : start[i];
                assertEquals(expected, now[i], Math.abs(expected) * 1e-6, "cell " + i + " at t=" + t);
            }
        }
        assertEquals(86400 * 30.0, m.clockSeconds(), 1e-6);
    }

    @Test
    void driftExponentsHaveTheLevelDependentMeanAndSpread() {
        ArrayModel m = new ArrayModel("nu", preset, 256, 256, 9);
        m.program(ProgramRequest.ofLevels(new Block(0, 0, 256, 256), TestPresets.levelPattern(256 * 256, 10), false));
        for (int level = 0; level < 10; level += 9) {
            double sum = 0, sumSq = 0;
            int n = 0;
            for (int i = level; i < 256 * 256; i += 10) {
                double nu = m.driftExponent(i / 256, i % 256);
                assertTrue(nu >= 0, "nu is clipped at 0");
                sum += nu;
                sumSq += nu * nu;
                n++;
            }
            double mean = sum / n;
            // level 9: mean 0.06, sigma 0.02, clipping negligible; level 0: mean 0.01 clipped at 0 raises the mean
            if (level == 9) {
                assertEquals(org.rramlab.device.noise.DeviceNoise.of(preset).nuMean(1), mean, 0.002);
                assertEquals(preset.drift().nuSigma(), Math.sqrt(sumSq / n - mean * mean), 0.002);
            } else {
                assertTrue(mean > org.rramlab.device.noise.DeviceNoise.of(preset).nuMean(0) && mean < org.rramlab.device.noise.DeviceNoise.of(preset).nuMean(0) + preset.drift().nuSigma(),
                        "level 0 mean nu " + mean);
            }
        }
    }

    @Test
    void bakingAdvancesDriftTimeByTheArrheniusFactor() {
        ArrayModel baked = programmed(4);
        ArrayModel reference = programmed(4);
        DevicePreset.Drift d = preset.drift();
        double kelvin = 358.15;
        double factor = Math.exp(d.activationEnergyEv() / 8.617333262e-5 * (1 / d.referenceTemperatureKelvin() - 1 / kelvin));
        assertTrue(factor > 100, "85 C accelerates drift by " + factor);
        baked.setTemperature(kelvin);
        baked.advanceClock(60);
        baked.setTemperature(d.referenceTemperatureKelvin());
        baked.advanceClock(60);
        reference.advanceClock(60 * factor + 60);
        assertEquals(120, baked.clockSeconds(), 1e-9);
        assertEquals(reference.driftTimeSeconds(), baked.driftTimeSeconds(), reference.driftTimeSeconds() * 1e-12);
        float[] a = baked.read(all).conductances();
        float[] b = reference.read(all).conductances();
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], Math.abs(b[i]) * 1e-6, "cell " + i);
        }
        float[] unbaked = programmed(4).read(all).conductances();
        int lower = 0;
        for (int i = 0; i < a.length; i++) if (a[i] < unbaked[i]) lower++;
        assertTrue(lower > a.length / 2, "baking lowered the conductance of most cells");
    }

    @Test
    void reprogrammingRestartsADevicesDrift() {
        ArrayModel m = programmed(5);
        m.advanceClock(1e5);
        int col = 0;
        while (m.fault(0, col) != Fault.NONE) col++;
        Block one = new Block(0, col, 1, 1);
        m.program(ProgramRequest.ofLevels(one, new int[] {9}, false));
        assertEquals(m.programmedSiemens(0, col), m.read(one).conductances()[0]);
        m.advanceClock(100);
        double expected = m.programmedSiemens(0, col) * Math.pow((100 + 20.0) / 20.0, -m.driftExponent(0, col));
        assertEquals(expected, m.read(one).conductances()[0], expected * 1e-6);
    }
}
