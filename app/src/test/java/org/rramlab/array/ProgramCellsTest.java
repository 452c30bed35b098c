package org.rramlab.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.api.Refusal;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.sim.ArrayModel;

/**
 * Programming single cells (a refresh): only those cells change, one sequence per cell, one
 * programming to repeat by its tag, and a node restart rebuilds the array bit for bit.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProgramCellsTest {
    static final int ROWS = ArrayActorTest.ROWS;
    static final int COLS = ArrayActorTest.COLS;
    static final Block ALL = ArrayActorTest.ALL;

    @TempDir
    Path dataDir;

    @Test
    void onlyTheGivenCellsAreWrittenOnceAndARestartRebuildsThem() throws Exception {
        ArrayModel reference = new ArrayModel("cells", DevicePreset.load(DevicePreset.NODE_DEFAULT), ROWS, COLS, 5);
        int[] levels = ArrayActorTest.everyLevel(ALL.cells(), 10);
        int[] cells = {COLS + 2, 3 * COLS + 7, 6 * COLS + 11};
        float[] targets = {4e-5f, 7e-5f, 1.5e-5f};
        // the reference takes the same operations in the same order as the actor below
        reference.program(ProgramRequest.ofLevels(ALL, levels, true));
        reference.read(ALL);
        long pulses = 0;
        for (int k = 0; k < cells.length; k++) {
            pulses += reference.program(ProgramRequest.ofConductances(new Block(cells[k] / COLS, cells[k] % COLS, 1, 1),
                    new float[] {targets[k]}, true)).pulses();
        }
        reference.read(ALL);

        try (LabFixture lab = LabFixture.start(dataDir, null, ArrayActorTest.SETTINGS, Duration.ofSeconds(30))) {
            lab.<ArraySummary>ask("cells", r -> new ArrayActor.Register(ArraySpec.simulated(null, ROWS, COLS, 5), r));
            lab.<ArrayActor.ProgramDone>ask("cells", r -> new ArrayActor.Program(ALL, levels, null, true, "all", r));
            Frame before = lab.<ArrayActor.ReadDone>ask("cells", r -> new ArrayActor.Read(ALL, null, r)).frame();
            var done = lab.<ArrayActor.ProgramDone>ask("cells", r -> ArrayActor.Program.cells(COLS, cells, targets, "r1", r));
            assertEquals(1 + cells.length, done.sequence(), "one sequence per cell, as on the topic");
            assertEquals(pulses, done.pulses(), "write-verify pulses of the three cells, each programmed on its own");
            var again = lab.<ArrayActor.ProgramDone>ask("cells", r -> ArrayActor.Program.cells(COLS, cells, targets, "r1", r));
            assertTrue(again.repeated(), "a repeated tag writes nothing");
            assertEquals(done.sequence(), again.sequence());
            Frame after = lab.<ArrayActor.ReadDone>ask("cells", r -> new ArrayActor.Read(ALL, null, r)).frame();
            int changed = 0;
            for (int i = 0; i < ALL.cells(); i++) {
                boolean written = java.util.Arrays.binarySearch(cells, i) >= 0;
                // read noise moves every cell a little; a written cell moves to its target
                if (Math.abs(after.conductances()[i] - before.conductances()[i]) > 0.2 * before.conductances()[i]) {
                    assertTrue(written, "cell " + i + " changed but was not written");
                    changed++;
                }
            }
            assertTrue(changed >= 2, "the written cells moved: " + changed);

            assertEquals(Refusal.Kind.BAD_INPUT, ArrayActorTest.refusedKind(() -> lab.<ArrayActor.ProgramDone>ask("cells",
                    r -> ArrayActor.Program.cells(COLS, new int[] {5, 3}, new float[] {4e-5f, 4e-5f}, null, r))));
            String message = ArrayActorTest.refused(() -> lab.<ArrayActor.ProgramDone>ask("cells",
                    r -> ArrayActor.Program.cells(COLS, new int[] {3}, new float[] {4e-5f, 4e-5f}, null, r)));
            assertTrue(message.contains("one target per cell"), message);
        }

        try (LabFixture lab = LabFixture.start(dataDir, null, ArrayActorTest.SETTINGS, Duration.ofSeconds(30))) {
            ArraySummary s = lab.ask("cells", ArrayActor.GetState::new);
            assertEquals(1 + cells.length, s.programmings());
            Frame rebuilt = lab.<ArrayActor.ReadDone>ask("cells", r -> new ArrayActor.Read(ALL, null, r)).frame();
            assertArrayEquals(reference.read(ALL).conductances(), rebuilt.conductances(),
                    "rebuilt from the checkpoint: the refreshed cells included");
            assertFalse(lab.<ArrayActor.ProgramDone>ask("cells",
                    r -> ArrayActor.Program.cells(COLS, new int[] {0}, new float[] {3e-5f}, "r2", r)).repeated());
        }
    }
}
