package org.rramlab.device.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.rramlab.device.Block;
import org.rramlab.device.Frame;

/** Operations run on the caller's executor, concurrently, and frames keep unique sequence numbers. */
class AsyncApiTest {
    @Test
    void concurrentReadsOnACallersExecutorGetDistinctIncreasingSequences() {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (SimulatedArray array = new SimulatedArray("async", TestPresets.dac(), 32, 32, 3, pool, Duration.ofSeconds(30))) {
            List<CompletableFuture<Frame>> reads = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                reads.add(array.read(new Block(i % 32, 0, 1, 32)).toCompletableFuture());
            }
            TreeSet<Long> sequences = new TreeSet<>();
            for (CompletableFuture<Frame> f : reads) sequences.add(f.join().sequence());
            assertEquals(64, sequences.size());
            assertEquals(1L, sequences.first());
            assertEquals(64L, sequences.last());
            array.close();
            String m = BadInputTest.failure(array.read(new Block(0, 0, 1, 1)));
            assertTrue(m.contains("is closed"), m);
        } finally {
            pool.shutdown();
        }
    }
}
