package org.rramlab.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.device.DevicePreset;
import org.rramlab.streaming.ConductanceRecord;

/** A report fitted from a copy on another thread is the report of the model when the copy was taken. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReportSnapshotTest {
    private final DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);

    @Test
    void aCopyFittedElsewhereWhileRecordsComeIsTheModelAsItWasAndIsKept() throws Exception {
        SimulatedFeed a = new SimulatedFeed("snap-a", preset, 64, 64, 3);
        SimulatedFeed b = new SimulatedFeed("snap-b", preset, 64, 64, 4);
        List<ConductanceRecord> records = new ArrayList<>(List.of(a.program(0), b.program(0)));
        for (int k = 0; k < 4; k++) {
            records.add(a.read());
            records.add(b.read());
            a.advance(60);
            b.advance(60);
        }
        // the same records into a second engine, which stays as the first was when its copies were taken
        LiveStatistics stats = LiveStatistics.of(preset);
        LiveStatistics twin = LiveStatistics.of(preset);
        for (ConductanceRecord r : records) {
            assertTrue(stats.apply(r) && twin.apply(r));
        }

        ReportSnapshot overall = stats.reportSnapshot();
        ReportSnapshot one = stats.reportSnapshot("snap-a").orElseThrow();
        assertTrue(overall.needsFit() && one.needsFit(), "nothing was fitted yet");
        CompletableFuture<StatisticsReport> later = CompletableFuture.supplyAsync(overall::report);
        CompletableFuture<StatisticsReport> laterA = CompletableFuture.supplyAsync(one::report);
        for (int k = 0; k < 3; k++) { // the model goes on while the copies are fitted
            stats.apply(a.read());
            a.advance(60);
        }
        StatisticsReport fitted = later.get();
        assertEquals(twin.report(), fitted, "the model when the copy was taken");
        assertEquals(twin.report("snap-a").orElseThrow(), laterA.get());
        assertNotEquals(fitted, stats.report(), "the model itself moved on");

        // kept, a fit of an unchanged model costs nothing; an older one does not replace a newer;
        // a record makes the next copy fit again
        ReportSnapshot copy = twin.reportSnapshot("snap-b").orElseThrow();
        StatisticsReport b1 = copy.report();
        twin.keep(copy);
        assertFalse(twin.reportSnapshot("snap-b").orElseThrow().needsFit(), "kept");
        assertEquals(b1, twin.reportSnapshot("snap-b").orElseThrow().report());
        stats.keep(overall);
        ReportSnapshot now = stats.reportSnapshot();
        assertFalse(now.needsFit(), "the fit of the model now was cached by stats.report()");
        assertEquals(stats.report(), now.report());
        stats.apply(b.read());
        assertTrue(stats.reportSnapshot().needsFit());
        assertTrue(stats.reportSnapshot("snap-z").isEmpty());
    }
}
