package org.rramlab.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rramlab.device.DevicePreset;

/** The estimates converge to the simulator's truth after 10^7 cell reads. */
class ConvergenceTest {
    @Test
    void sigmaStuckFractionsAndReadNoiseConvergeAfterTenMillionReads() {
        DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);
        List<SimulatedFeed> feeds = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            feeds.add(new SimulatedFeed("conv-" + a, preset, 256, 256, 77 + a));
        }
        LiveStatistics stats = LiveStatistics.of(preset);
        // each round reprograms every array (fresh variation draws) and reads it twice (read-noise pairs)
        for (int round = 0; stats.report().cellsRead() < 10_000_000L; round++) {
            for (SimulatedFeed f : feeds) {
                assertTrue(stats.apply(f.program(round)));
                assertTrue(stats.apply(f.read()));
                assertTrue(stats.apply(f.read()));
            }
        }
        double high = 0, low = 0;
        for (SimulatedFeed f : feeds) {
            high += f.stuckFractions()[0] / feeds.size();
            low += f.stuckFractions()[1] / feeds.size();
        }
        StatisticsReport r = stats.report();
        assertTrue(r.cellsRead() >= 10_000_000L);
        assertEquals(0.5, r.logSigma(), 0.02 * 0.5, "pooled sigma");
        assertEquals(high, r.stuckHighFraction(), 0.002, "stuck-high fraction against the arrays' faults");
        assertEquals(low, r.stuckLowFraction(), 0.002, "stuck-low fraction against the arrays' faults");
        // the same against the preset's rates: the arrays' own fault counts differ from them by sampling
        assertEquals(preset.stuckAtHighFraction(), r.stuckHighFraction(), 0.003);
        assertEquals(preset.stuckAtLowFraction(), r.stuckLowFraction(), 0.004);
        assertEquals(preset.readNoiseRelative(), r.readNoiseRelative(), 0.05 * preset.readNoiseRelative());
        for (LevelReport level : r.levels()) {
            assertEquals(0.5, level.logSigma(), 0.02, "sigma of level " + level.level());
            assertEquals(1.0, level.medianSiemens() / level.targetSiemens(), 0.01, "median of level " + level.level());
            assertTrue(level.count() > 900_000L);
        }
        // per array too, from a quarter of the reads
        for (SimulatedFeed f : feeds) {
            StatisticsReport one = stats.report(f.model().id()).orElseThrow();
            assertEquals(0.5, one.logSigma(), 0.02 * 0.5);
            assertEquals(f.stuckFractions()[0], one.stuckHighFraction(), 0.002);
            assertEquals(f.stuckFractions()[1], one.stuckLowFraction(), 0.002);
        }
        assertEquals(0, r.duplicatesSkipped());
        assertEquals(0, r.cellsUnlabelled());
        assertTrue(stats.drainEvents().isEmpty(), "no drift without time passing");
    }
}
