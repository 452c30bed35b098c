package org.rramlab.device.sim;

import org.rramlab.device.noise.DeviceNoise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;

/** Write-verify trades pulses and time for a smaller spread, and counts both. */
class WriteVerifyTest {
    static final int N = 64;
    final DevicePreset preset = TestPresets.dac();
    final Block all = new Block(0, 0, N, N);
    final int[] levels = TestPresets.levelPattern(N * N, 10);

    double logSpreadOfWorkingCells(ArrayModel m) {
        double sum = 0, sumSq = 0;
        int n = 0;
        for (int i = 0; i < N * N; i++) {
            if (m.fault(i / N, i % N) != Fault.NONE) continue;
            double z = Math.log(m.programmedSiemens(i / N, i % N) / DeviceNoise.of(preset).level(levels[i]));
            sum += z;
            sumSq += z * z;
            n++;
        }
        return Math.sqrt(sumSq / n - (sum / n) * (sum / n));
    }

    @Test
    void verifyNarrowsTheSpreadAndCountsPulsesAndTime() {
        ArrayModel plain = new ArrayModel("plain", preset, N, N, 11);
        ArrayModel verified = new ArrayModel("verified", preset, N, N, 11);
        ProgramResult once = plain.program(ProgramRequest.ofLevels(all, levels, false));
        ProgramResult wv = verified.program(ProgramRequest.ofLevels(all, levels, true));

        assertEquals(N * N, once.pulses(), "one pulse per cell without verify");
        assertEquals(once.pulses() * preset.writeVerify().pulseSeconds(), once.seconds(), 1e-15);
        assertTrue(wv.pulses() > 2L * N * N, "verify needed extra pulses: " + wv.pulses());
        assertTrue(wv.pulses() <= (long) N * N * preset.writeVerify().maxPulses());
        assertEquals(wv.pulses() * preset.writeVerify().pulseSeconds(), wv.seconds(), 1e-15);

        double spreadPlain = logSpreadOfWorkingCells(plain);
        double spreadVerified = logSpreadOfWorkingCells(verified);
        assertEquals(0.5, spreadPlain, 0.05);
        // tolerance 10 %: every converged device lies within ln(1.1) of its target
        assertTrue(spreadVerified < 0.1, "verified spread " + spreadVerified);

        // cells out of tolerance: exactly those whose device (stuck or not) ends outside the band
        int expectedOut = 0;
        double tol = preset.writeVerify().toleranceRelative();
        for (int i = 0; i < N * N; i++) {
            Fault f = verified.fault(i / N, i % N);
            double target = DeviceNoise.of(preset).level(levels[i]);
            double seen = f == Fault.STUCK_HIGH ? preset.gMaxSiemens() : f == Fault.STUCK_LOW ? preset.gMinSiemens()
                    : verified.programmedSiemens(i / N, i % N);
            if (Math.abs(seen - target) > tol * target * (1 + 1e-6)) expectedOut++;
        }
        assertEquals(expectedOut, wv.cellsOutOfTolerance());
        assertTrue(expectedOut > 0.09 * N * N, "stuck cells cannot be verified");
        assertEquals(wv.pulses(), verified.totalPulses());
    }
}
