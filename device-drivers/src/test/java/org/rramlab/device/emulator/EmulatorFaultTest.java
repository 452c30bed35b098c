package org.rramlab.device.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.rramlab.device.AsyncOps;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.scpi.LinkException;
import org.rramlab.device.scpi.LinkOptions;
import org.rramlab.device.scpi.PhysicalArray;
import org.rramlab.device.sim.ArrayModel;
import org.rramlab.device.sim.TestPresets;

/** Every emulator fault is survived with zero lost reads, and what was repaired is flagged. */
class EmulatorFaultTest {
    static final int ROWS = 16;
    static final int COLS = 16;
    final DevicePreset preset = TestPresets.dac();
    final Block all = new Block(0, 0, ROWS, COLS);
    final int[] levels = TestPresets.levelPattern(ROWS * COLS, 10);

    static LinkOptions fastLink() {
        return LinkOptions.defaults().withCommandTimeout(Duration.ofSeconds(2))
                .withAttempts(12, Duration.ofMillis(2), Duration.ofMillis(50));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource(delimiter = ';', value = {
            "drop-after=7; ROW", "drop-after=9; CELL", "drop-every=100ms; ROW", "delay=2ms; ROW",
            "garble=0.05; ROW", "garble=0.05; CELL", "compliance=0.03; ROW", "overflow=0.03; CELL",
            "drop-after=11,garble=0.03,compliance=0.02,overflow=0.02,delay=1ms; ROW"})
    void faultsAreSurvivedWithoutLosingAPlannedRead(String spec, PhysicalArray.ReadMode mode) throws Exception {
        FaultSpec faults = FaultSpec.parse(spec);
        try (InstrumentEmulator emulator = new InstrumentEmulator(
                new InstrumentEmulator.Config(preset, ROWS, COLS, 1, 8, faults, "127.0.0.1", 0)).start();
             InstrumentEmulator clean = new InstrumentEmulator(
                     new InstrumentEmulator.Config(preset, ROWS, COLS, 1, 8, FaultSpec.NONE, "127.0.0.1", 0)).start();
             PhysicalArray array = PhysicalArray.connect("faulty", "scpi://127.0.0.1:" + emulator.port(), ROWS, COLS,
                     PhysicalArray.Options.defaults(preset).withMode(mode).withLink(fastLink()));
             PhysicalArray reference = PhysicalArray.connect("clean", "scpi://127.0.0.1:" + clean.port(), ROWS, COLS,
                     PhysicalArray.Options.defaults(preset).withMode(mode))) {
            ProgramResult programmed = AsyncOps.await(array.program(ProgramRequest.ofLevels(all, levels, true)));
            ProgramResult expected = AsyncOps.await(reference.program(ProgramRequest.ofLevels(all, levels, true)));
            // programming is exactly-once even when replies are lost: same devices as without faults
            assertEquals(expected, programmed);
            ArrayModel die = emulator.die(0);
            float[] truthProgrammed = new float[ROWS * COLS];
            float[] cleanProgrammed = new float[ROWS * COLS];
            for (int i = 0; i < ROWS * COLS; i++) {
                truthProgrammed[i] = die.programmedSiemens(i / COLS, i % COLS);
                cleanProgrammed[i] = clean.die(0).programmedSiemens(i / COLS, i % COLS);
            }
            assertArrayEquals(cleanProgrammed, truthProgrammed);

            boolean anySuspect = false;
            int frames = 0;
            // keep reading until faults struck a few times (bounded), checking every frame
            while (frames < 4 || (frames < 400 && emulator.drops() + emulator.garbled() + emulator.badStatuses()
                    + emulator.delayedReplies() < 3)) {
                AsyncOps.await(array.advanceClock(100));
                long repairsBefore = repairs(array);
                Frame f = AsyncOps.await(array.read(all));
                frames++;
                assertEquals(repairs(array) > repairsBefore, f.suspect(), "a frame is suspect exactly when it needed repair");
                assertEquals(frames, f.sequence());
                anySuspect |= f.suspect();
                for (int i = 0; i < f.conductances().length; i++) {
                    float v = f.conductances()[i];
                    double truth = die.noiseFreeSiemens(i / COLS, i % COLS);
                    assertTrue(Float.isFinite(v), "cell " + i + " of frame " + frames + " was lost");
                    assertEquals(truth, v, truth * 0.08, "cell " + i + " of frame " + frames);
                }
            }
            assertEquals(100.0 * frames, die.clockSeconds(), 1e-9, "the clock advanced exactly once per request");
            long repaired = emulator.drops() + emulator.garbled() + emulator.badStatuses();
            assertTrue(repaired + emulator.delayedReplies() > 0, "faults struck: " + emulator.stats());
            if (faults.garble() == 0 && faults.compliance() == 0 && faults.overflow() == 0 && faults.dropAfter() == 0
                    && faults.dropEvery().isZero()) {
                assertTrue(!anySuspect, "a delayed reply needs no repair");
            }
        }
    }

    static long repairs(PhysicalArray a) {
        return a.statusRepairs() + a.analyzer().session().retries() + a.probeStation().session().retries();
    }

    @Test
    void aLinkThatNeverAnswersInTimeFailsWithATypedErrorAfterBoundedTries() throws Exception {
        try (InstrumentEmulator slow = new InstrumentEmulator(new InstrumentEmulator.Config(preset, 4, 4, 1, 1,
                FaultSpec.parse("delay=300ms"), "127.0.0.1", 0)).start();
             PhysicalArray array = PhysicalArray.connect("slow", "scpi://127.0.0.1:" + slow.port(), 4, 4,
                     PhysicalArray.Options.defaults(preset).withLink(LinkOptions.defaults()
                             .withCommandTimeout(Duration.ofMillis(50)).withAttempts(3, Duration.ofMillis(1), Duration.ofMillis(5))))) {
            String m = PhysicalArrayTest.failure(array.read(all.rows() > 4 ? new Block(0, 0, 4, 4) : all));
            assertTrue(m.contains("failed 3 times") && m.contains("within 50 ms") && m.contains("check that the instrument"), m);
        }
    }

    @Test
    void nothingListeningFailsWithATypedErrorAfterBoundedTries() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var analyzer = new org.rramlab.device.scpi.ParameterAnalyzer("127.0.0.1", port,
                LinkOptions.defaults().withAttempts(4, Duration.ofMillis(1), Duration.ofMillis(4)), 1);
        LinkException e = assertThrows(LinkException.class, analyzer::identify);
        assertEquals(4, e.attempts());
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
        analyzer.close();
    }

    @Test
    void badFaultSpecsNameTheItemAndTheValidForms() {
        for (String bad : new String[] {"drop-every=5", "drop-after=0", "garble=2", "delay=fast", "sparks=1", "garble",
                "drop-every=1ms"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultSpec.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("bad fault spec item '"), e.getMessage());
            assertTrue(e.getMessage().contains("valid items: drop-every=DURATION"), e.getMessage());
        }
        FaultSpec ok = FaultSpec.parse("drop-every=5s, drop-after=1000,delay=20ms,garble=0.001,compliance=0.001,overflow=0.001");
        assertEquals(Duration.ofSeconds(5), ok.dropEvery());
        assertEquals(1000, ok.dropAfter());
        assertEquals(Duration.ofMillis(20), ok.delay());
        assertEquals(0.001, ok.garble());
        assertEquals(FaultSpec.NONE, FaultSpec.parse("none"));
    }
}
