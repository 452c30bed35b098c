package org.rramlab.device.characterize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.device.AsyncOps;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.device.sim.TestPresets;

/**
 * A die's drift law is recovered from repeated reads of the simulated device: the preset's power
 * law (nu 0.01 at Gmin to 0.06 at Gmax, t0 20 s) comes back per level and at both ends, and the
 * wafer's spread is computed across dies.
 */
@Timeout(60)
class DieDriftTest {
    /** A clock whose sleeps move the simulated array's device clock instead of waiting. */
    static final class DeviceClock implements DieDrift.Clock {
        final SimulatedArray array;
        long now;

        DeviceClock(SimulatedArray array) {
            this.array = array;
        }

        @Override
        public long nanos() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            if (nanos > 0) {
                now += nanos;
                AsyncOps.await(array.advanceClock(nanos / 1e9));
            }
        }
    }

    static DieDrift drift(long seed) throws InterruptedException {
        DevicePreset p = TestPresets.dac();
        try (SimulatedArray array = new SimulatedArray("die", p, 32, 32, seed)) {
            int[] levels = TestPresets.levelPattern(32 * 32, p.levels());
            AsyncOps.await(array.program(ProgramRequest.ofLevels(new Block(0, 0, 32, 32), levels, false)));
            DeviceClock clock = new DeviceClock(array);
            return DieDrift.measure(array, p, levels, 0, 0, new double[] {10, 100, 1000, 10000}, 1, clock);
        }
    }

    @Test
    void thePresetsPowerLawComesBackPerDie() throws Exception {
        DieDrift d = drift(3);
        DevicePreset.Drift law = TestPresets.dac().drift();
        assertEquals(DevicePreset.Drift.POWER_LAW, d.law());
        assertEquals(law.t0Seconds(), d.t0Seconds());
        assertEquals(10, d.agesSeconds()[0], 1e-9);
        assertEquals(law.nuMeanAtGmin(), d.nuAtGmin(), 0.008, "nu at Gmin");
        assertEquals(law.nuMeanAtGmax(), d.nuAtGmax(), 0.008, "nu at Gmax");
        // the cells' spread of nu is the preset's (clipped at 0 near Gmin, so a little smaller there)
        double top = d.nuSpread()[d.nuSpread().length - 1];
        assertTrue(top > law.nuSigma() * 0.6 && top < law.nuSigma() * 1.4, "spread at the top level " + top);
        for (double nu : d.nuPerLevel()) {
            assertTrue(nu > -0.01 && nu < 0.1, "per-level nu " + nu);
        }
    }

    @Test
    void theWaferSpreadIsTakenAcrossDies() throws Exception {
        List<WaferReport.Die> dies = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            DieDrift d = drift(10 + i);
            dies.add(new WaferReport.Die(i, i, 0, com.fasterxml.jackson.databind.node.MissingNode.getInstance(), d.toJson()));
        }
        double[][] s = WaferReport.driftSpread(dies);
        assertEquals(3, s[1][4]);
        assertEquals(TestPresets.dac().drift().nuMeanAtGmax(), s[1][0], 0.008);
        assertTrue(s[1][1] > 0 && s[1][1] < 0.01, "spread across dies of the same law is small: " + s[1][1]);
        assertTrue(s[1][2] <= s[1][0] && s[1][0] <= s[1][3]);
    }

    @Test
    void oneReadIsNoLaw() {
        assertThrows(IllegalArgumentException.class, () -> DieDrift.measure(null, TestPresets.dac(), new int[0], 0, 0,
                new double[] {1}, 1, DieDrift.Clock.SYSTEM));
    }
}
