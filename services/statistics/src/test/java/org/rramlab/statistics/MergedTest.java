package org.rramlab.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.device.DevicePreset;

/** Engines that each kept some arrays (partition owners) merge into the model of them all. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MergedTest {
    private final DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);

    private static void feed(SimulatedFeed f, int reads, LiveStatistics... into) {
        var programmed = f.program(0);
        for (LiveStatistics s : into) s.apply(programmed);
        for (int k = 0; k < reads; k++) {
            var read = f.read();
            for (LiveStatistics s : into) s.apply(read);
            f.advance(k < 2 ? 0.01 : 500);
        }
    }

    @Test
    void mergedSummariesReportAsOneEngineOverEveryArray() {
        LiveStatistics all = LiveStatistics.of(preset);
        LiveStatistics left = LiveStatistics.of(preset);
        LiveStatistics right = LiveStatistics.of(preset);
        feed(new SimulatedFeed("m-a", preset, 64, 64, 1), 10, all, left);
        feed(new SimulatedFeed("m-b", preset, 64, 48, 2), 10, all, right);
        feed(new SimulatedFeed("m-c", preset, 32, 32, 3), 6, all, right);

        LiveStatistics merged = LiveStatistics.merged(preset, List.of(left.summary(), right.summary()));
        assertEquals(all.report(), merged.report());
        assertEquals(all.report("m-b"), merged.report("m-b"));
        assertEquals(all.fittedPreset(preset, "x"), merged.fittedPreset(preset, "x"));
        // a summary carries no cells: smaller than a checkpoint (by 512 KiB per 256 x 256 array)
        assertTrue(right.summary().length < right.snapshot(java.util.Map.of()).length,
                right.summary().length + " vs " + right.snapshot(java.util.Map.of()).length);
    }

    @Test
    void anArrayHeldTwiceCountsFromTheOwnerFurtherAlong() {
        SimulatedFeed f = new SimulatedFeed("m-twice", preset, 32, 32, 4);
        LiveStatistics old = LiveStatistics.of(preset);
        LiveStatistics ahead = LiveStatistics.of(preset);
        feed(f, 3, old, ahead);
        ahead.apply(f.read());
        LiveStatistics merged = LiveStatistics.merged(preset, List.of(ahead.summary(), old.summary()));
        assertEquals(ahead.report("m-twice"), merged.report("m-twice"));
        assertEquals(4, merged.report().framesApplied());
    }
}
