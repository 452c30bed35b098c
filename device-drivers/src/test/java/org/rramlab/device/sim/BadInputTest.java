package org.rramlab.device.sim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.rramlab.device.AsyncOps;
import org.rramlab.device.Block;
import org.rramlab.device.DeviceException;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramRequest;

/** Bad input gives a clear error naming what was wrong and what to do, and changes nothing. */
class BadInputTest {
    final SimulatedArray array = new SimulatedArray("bad", TestPresets.dac(), 16, 16, 1);

    static String failure(java.util.concurrent.CompletionStage<?> stage) {
        CompletionException e = assertThrows(CompletionException.class, () -> stage.toCompletableFuture().join());
        assertTrue(e.getCause() instanceof DeviceException, "fails with a DeviceException: " + e.getCause());
        return e.getCause().getMessage();
    }

    @Test
    void blockOutsideTheArray() {
        String m = failure(array.read(new Block(10, 10, 8, 8)));
        assertTrue(m.contains("16x16") && m.contains("give a block inside it"), m);
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> new Block(-1, 0, 1, 1));
        assertTrue(neg.getMessage().contains("non-negative origin"));
    }

    @Test
    void levelOutOfRangeChangesNothing() {
        byte[] before = array.snapshot();
        String m = failure(array.program(ProgramRequest.ofLevels(new Block(0, 0, 1, 2), new int[] {3, 10}, false)));
        assertTrue(m.contains("level 10") && m.contains("0..9"), m);
        String g = failure(array.program(ProgramRequest.ofConductances(new Block(0, 0, 1, 1), new float[] {-1f}, false)));
        assertTrue(g.contains("positive finite"), g);
        assertTrue(java.util.Arrays.equals(before, array.snapshot()), "a refused request changes nothing");
    }

    @Test
    void unknownPreset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DevicePreset.load("no-such-preset"));
        assertTrue(e.getMessage().contains("unknown device preset 'no-such-preset'") && e.getMessage().contains("dac2020-65nm"));
    }

    @Test
    void badClockAndTemperature() {
        assertTrue(failure(array.advanceClock(-1)).contains("seconds >= 0"));
        assertTrue(failure(array.setTemperature(0)).contains("kelvin"));
    }

    @Test
    void anOperationThatCannotRunTimesOutWithAClearError() {
        // an executor that never runs what it is given: the stage must still complete
        try (SimulatedArray stalled = new SimulatedArray("stalled", TestPresets.dac(), 4, 4, 1, r -> { }, Duration.ofMillis(50))) {
            String m = failure(stalled.read(new Block(0, 0, 1, 1)));
            assertTrue(m.contains("did not finish within 50 ms"), m);
        }
        array.close();
        assertTrue(failure(array.read(new Block(0, 0, 1, 1))).contains("closed"));
        assertThrows(DeviceException.class, () -> AsyncOps.await(array.health()));
    }
}
