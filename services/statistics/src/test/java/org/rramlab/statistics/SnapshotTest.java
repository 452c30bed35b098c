package org.rramlab.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rramlab.device.DevicePreset;
import org.rramlab.streaming.ConductanceRecord;

/** A snapshot restores the engine exactly, with the offsets stored beside it. */
class SnapshotTest {
    private final DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);

    private List<ConductanceRecord> feed(SimulatedFeed f, int reads) {
        List<ConductanceRecord> out = new ArrayList<>();
        out.add(f.program(0));
        for (int k = 0; k < reads; k++) {
            out.add(f.read());
            f.advance(k < 2 ? 0.01 : 500);
        }
        return out;
    }

    @Test
    void restoreReproducesReportsAndOffsetsAndSkipsWhatWasSeen() {
        SimulatedFeed a = new SimulatedFeed("snap-a", preset, 96, 80, 1);
        SimulatedFeed b = new SimulatedFeed("snap-b", preset, 64, 64, 2);
        List<ConductanceRecord> seen = new ArrayList<>(feed(a, 12));
        seen.addAll(feed(b, 12));
        LiveStatistics stats = LiveStatistics.of(preset);
        seen.forEach(stats::apply);
        stats.drainEvents();
        Map<String, Long> offsets = Map.of("rram.conductance-0", 24L, "rram.conductance-1", 7L);

        Restored restored = LiveStatistics.restore(stats.snapshot(offsets));
        LiveStatistics copy = restored.statistics();
        assertEquals(offsets, restored.offsets());
        assertEquals(stats.report(), copy.report());
        assertEquals(stats.report("snap-a"), copy.report("snap-a"));
        assertEquals(stats.report("snap-b"), copy.report("snap-b"));
        assertEquals(stats.arrayIds(), copy.arrayIds());
        assertEquals(stats.config(), copy.config());

        // re-delivered after the restart: skipped, nothing changes
        StatisticsReport before = copy.report();
        for (ConductanceRecord r : seen) assertFalse(copy.apply(r));
        assertEquals(before, copy.report().withDuplicatesSkipped(before.duplicatesSkipped()));

        // new records move both the same way: the per-cell state came back too
        List<ConductanceRecord> more = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            more.add(a.read());
            a.advance(2000);
        }
        more.add(b.program(3));
        more.add(b.read());
        for (ConductanceRecord r : more) {
            assertTrue(stats.apply(r));
            assertTrue(copy.apply(r));
        }
        assertEquals(stats.drainEvents(), copy.drainEvents());
        assertEquals(stats.report().withDuplicatesSkipped(0), copy.report().withDuplicatesSkipped(0));
        // and a snapshot of the restored engine is byte for byte the original's
        assertTrue(Arrays.equals(stats.snapshot(offsets), LiveStatistics.restore(stats.snapshot(offsets)).statistics().snapshot(offsets)));
    }

    @Test
    void emptyEngineRoundTrips() {
        LiveStatistics empty = LiveStatistics.of(preset);
        Restored r = LiveStatistics.restore(empty.snapshot(Map.of()));
        assertEquals(empty.report(), r.statistics().report());
        assertTrue(r.offsets().isEmpty());
    }

    @Test
    void corruptSnapshotsFailWithAClearError() {
        LiveStatistics stats = LiveStatistics.of(preset);
        feed(new SimulatedFeed("c", preset, 32, 32, 3), 3).forEach(stats::apply);
        byte[] good = stats.snapshot(Map.of("p", 1L));

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        SnapshotException e = assertThrows(SnapshotException.class, () -> LiveStatistics.restore(flipped));
        assertTrue(e.getMessage().contains("CRC-32C"), e.getMessage());
        assertTrue(e.getMessage().contains("rebuild"), e.getMessage());

        byte[] truncated = Arrays.copyOf(good, good.length - 100);
        assertThrows(SnapshotException.class, () -> LiveStatistics.restore(truncated));
        assertThrows(SnapshotException.class, () -> LiveStatistics.restore(new byte[3]));
        assertThrows(SnapshotException.class, () -> LiveStatistics.restore(null));

        byte[] notOurs = good.clone();
        notOurs[0] = 'X';
        assertTrue(assertThrows(SnapshotException.class, () -> LiveStatistics.restore(notOurs))
                .getMessage().contains("RSTS"));

        byte[] future = good.clone();
        future[5] = 9;
        assertTrue(assertThrows(SnapshotException.class, () -> LiveStatistics.restore(future))
                .getMessage().contains("format 9 is not supported"));
    }
}
