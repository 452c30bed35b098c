package org.rramlab.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rramlab.device.DevicePreset;
import org.rramlab.streaming.ConductanceRecord;

/** A record applied twice, or a replayed stretch of the topic, never counts twice. */
class DuplicateTest {
    private final DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);

    private List<ConductanceRecord> records(SimulatedFeed feed, int rounds) {
        List<ConductanceRecord> out = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            out.add(feed.program(round));
            for (int k = 0; k < 3; k++) {
                out.add(feed.read());
                feed.advance(30);
            }
        }
        return out;
    }

    @Test
    void reapplyingEveryRecordLeavesTheReportUnchanged() {
        SimulatedFeed a = new SimulatedFeed("dup-a", preset, 64, 64, 5);
        SimulatedFeed b = new SimulatedFeed("dup-b", preset, 64, 64, 6);
        List<ConductanceRecord> all = new ArrayList<>(records(a, 3));
        all.addAll(records(b, 3));
        LiveStatistics stats = LiveStatistics.of(preset);
        for (ConductanceRecord r : all) assertTrue(stats.apply(r));
        StatisticsReport before = stats.report();
        StatisticsReport beforeA = stats.report("dup-a").orElseThrow();

        for (ConductanceRecord r : all) assertFalse(stats.apply(SimulatedFeed.wire(r)), "duplicate " + r);
        StatisticsReport after = stats.report();
        assertEquals(all.size(), after.duplicatesSkipped());
        assertEquals(before, after.withDuplicatesSkipped(0));
        assertEquals(beforeA, stats.report("dup-a").orElseThrow().withDuplicatesSkipped(0));
    }

    @Test
    void replayOfAnEarlierSegmentIsSkippedAndNewRecordsStillApply() {
        SimulatedFeed a = new SimulatedFeed("replay", preset, 64, 64, 9);
        List<ConductanceRecord> first = records(a, 2);
        LiveStatistics stats = LiveStatistics.of(preset);
        LiveStatistics reference = LiveStatistics.of(preset);
        first.forEach(stats::apply);
        first.forEach(reference::apply);
        // a consumer that restarted from an old offset sees the middle of the stream again
        for (ConductanceRecord r : first.subList(2, first.size() - 1)) {
            assertFalse(stats.apply(r));
        }
        List<ConductanceRecord> next = records(a, 1);
        for (ConductanceRecord r : next) {
            assertTrue(stats.apply(r));
            reference.apply(r);
        }
        assertEquals(reference.report(), stats.report().withDuplicatesSkipped(0));
    }
}
