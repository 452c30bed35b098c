package org.rramlab.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rramlab.http.EventLog;
import org.rramlab.http.LabEvent;

/** The ring behind the streams: contiguous ids, bounds by count and bytes, cursors, gaps, waiting. */
class EventLogTest {

    @Test
    void idsAreContiguousAndAfterReturnsEverythingPastACursor() {
        EventLog log = new EventLog(100, 1 << 20);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(log.append("t", Map.of("n", i)).id());
        }
        for (int i = 1; i < ids.size(); i++) {
            assertEquals(ids.get(i - 1) + 1, ids.get(i));
        }
        EventLog.Batch b = log.after(ids.get(9), 1000);
        assertEquals(40, b.events().size());
        assertEquals(ids.get(10), b.events().get(0).id());
        assertEquals(ids.get(49), b.cursor());
        assertFalse(b.gap());
        EventLog.Batch limited = log.after(log.startCursor(), 7);
        assertEquals(7, limited.events().size());
        assertEquals(ids.get(6), limited.cursor());
        assertTrue(log.after(ids.get(49), 10).events().isEmpty());
        assertTrue(log.append("t", Map.of()).json().startsWith("{\"id\":" + (ids.get(49) + 1) + ",\"type\":\"t\""));
    }

    @Test
    void aCursorOlderThanTheRingGetsAGapThenTheOldestHeld() {
        EventLog log = new EventLog(10, 1 << 20);
        long first = log.append("t", 0).id();
        for (int i = 1; i < 25; i++) {
            log.append("t", i);
        }
        assertEquals(10, log.size());
        EventLog.Batch b = log.after(first, 100);
        assertTrue(b.gap());
        assertEquals(first + 1, b.missedFrom());
        assertEquals(log.oldestId() - 1, b.missedTo());
        assertEquals(10, b.events().size());
        assertEquals(log.oldestId(), b.events().get(0).id());
        // an id from a later run than this log's (a clock set back): a gap, then all held
        EventLog.Batch future = log.after(log.newestId() + 1000, 100);
        assertTrue(future.gap());
        assertEquals(10, future.events().size());
    }

    @Test
    void overTheByteBudgetSupersededStatesGoFirstAndASnapshotKeepsTheNewestState() {
        EventLog log = new EventLog(1000, 4000);
        String big = "x".repeat(300);
        List<Long> small = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            log.append("statistics.report", Map.of("n", i, "pad", big));
            small.add(log.append("osa.round", Map.of("round", i)).id());
        }
        assertTrue(log.bytes() <= 4000, "bytes " + log.bytes());
        List<LabEvent> held = log.after(log.startCursor(), 1000).events();
        Set<Long> heldIds = new HashSet<>();
        held.forEach(e -> heldIds.add(e.id()));
        assertTrue(heldIds.containsAll(small), "every small event kept: the superseded reports made room");
        assertEquals(20, log.size() / 2, "ids stay contiguous: dropped payloads leave their slot");
        List<LabEvent> snap = log.snapshot().events();
        assertEquals(1, snap.stream().filter(e -> e.type().equals("statistics.report")).count());
        assertTrue(snap.stream().filter(e -> e.type().equals("statistics.report")).findFirst().get().json()
                .contains("\"n\":19"), "the newest report");
        assertEquals(20, snap.stream().filter(e -> e.type().equals("osa.round")).count());
        // only events of other kinds left: the oldest go
        for (int i = 0; i < 200; i++) {
            log.append("osa.round", Map.of("round", i, "pad", big));
        }
        assertTrue(log.bytes() <= 4000);
        assertTrue(log.size() < 20);
    }

    @Test
    void waitersWakeOnAppendAndTimeOutWhenNothingComes() throws Exception {
        EventLog log = new EventLog(10, 1 << 20);
        long at = log.newestId();
        var wait = log.awaitAfter(at, 10_000).toCompletableFuture();
        assertFalse(wait.isDone());
        CountDownLatch woke = new CountDownLatch(1);
        wait.thenRun(woke::countDown);
        log.append("t", 1);
        assertTrue(woke.await(5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        log.awaitAfter(log.newestId(), 100).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(90), "completes on its timeout");
    }

    @Test
    void appendsFromManyThreadsKeepIdsUniqueAndContiguous() throws Exception {
        EventLog log = new EventLog(100_000, 64 << 20);
        long start = log.newestId();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    log.append("t", i);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        List<LabEvent> all = log.after(start, 100_000).events();
        assertEquals(16_000, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(start + 1 + i, all.get(i).id());
        }
    }

    @Test
    void refusesAnEventWithoutType() {
        EventLog log = new EventLog(10, 1000);
        assertThrows(IllegalArgumentException.class, () -> log.append(" ", 1));
    }
}
