package org.rramlab.device.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rramlab.device.AsyncOps;
import org.rramlab.device.Block;
import org.rramlab.device.DeviceException;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;

/** Save and restore are exact: same bytes, same state, same reads afterwards. */
class SnapshotTest {
    final Block all = new Block(0, 0, 32, 48);

    SimulatedArray used() {
        SimulatedArray a = new SimulatedArray("snap", TestPresets.dac(), 32, 48, 77);
        AsyncOps.await(a.program(ProgramRequest.ofLevels(all, TestPresets.levelPattern(32 * 48, 10), true)));
        AsyncOps.await(a.advanceClock(1234.5));
        AsyncOps.await(a.read(all));
        AsyncOps.await(a.setTemperature(400));
        AsyncOps.await(a.advanceClock(10));
        AsyncOps.await(a.read(new Block(3, 4, 5, 6)));
        return a;
    }

    @Test
    void restoredArrayIsTheSameBitForBitAndReadsTheSame() {
        try (SimulatedArray original = used(); SimulatedArray restored = SimulatedArray.restore(original.snapshot())) {
            assertArrayEquals(original.snapshot(), restored.snapshot());
            assertEquals(original.id(), restored.id());
            for (int step = 0; step < 5; step++) {
                Frame a = AsyncOps.await(original.read(all));
                Frame b = AsyncOps.await(restored.read(all));
                assertEquals(a.sequence(), b.sequence());
                assertEquals(a.arrayTimeSeconds(), b.arrayTimeSeconds());
                assertTrue(Arrays.equals(a.conductances(), b.conductances()), "reads after restore, step " + step);
                AsyncOps.await(original.advanceClock(100 * step));
                AsyncOps.await(restored.advanceClock(100 * step));
                Block some = new Block(step, step, 4, 4);
                int[] lv = TestPresets.levelPattern(16, 10);
                assertEquals(AsyncOps.await(original.program(ProgramRequest.ofLevels(some, lv, step % 2 == 0))),
                        AsyncOps.await(restored.program(ProgramRequest.ofLevels(some, lv, step % 2 == 0))));
            }
            assertArrayEquals(original.snapshot(), restored.snapshot());
            assertEquals(AsyncOps.await(original.health()), AsyncOps.await(restored.health()));
        }
    }

    @Test
    void damagedSnapshotsAreRefusedWithAClearError() {
        byte[] good;
        try (SimulatedArray a = used()) {
            good = a.snapshot();
        }
        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 1;
        assertTrue(assertThrows(DeviceException.class, () -> SimulatedArray.restore(flipped))
                .getMessage().contains("corrupt"));
        byte[] truncated = Arrays.copyOf(good, good.length - 100);
        assertThrows(DeviceException.class, () -> SimulatedArray.restore(truncated));
        assertTrue(assertThrows(DeviceException.class, () -> SimulatedArray.restore("hello world, not a snapshot".getBytes()))
                .getMessage().contains("not an array snapshot"));
    }
}
