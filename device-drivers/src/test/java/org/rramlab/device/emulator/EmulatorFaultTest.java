package org.rramlab.device.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rramlab.device.AsyncOps;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.scpi.LinkException;
import org.rramlab.device.scpi.LinkOptions;
import org.rramlab.device.scpi.ParameterAnalyzer;
import org.rramlab.device.scpi.PhysicalArray;
import org.rramlab.device.scpi.VeloxProber;
import org.rramlab.device.sim.ArrayModel;
import org.rramlab.device.sim.TestPresets;
import org.rramlab.device.visa.VisaAddress;

/**
 * Every emulator fault, on all three instruments at once, is survived with no planned read lost,
 * no pulse applied twice, no motion repeated; what was repaired is flagged.
 */
@Timeout(300)
class EmulatorFaultTest {
    static final int ROWS = 12;
    static final int COLS = 12;
    final DevicePreset preset = TestPresets.dac();
    final Block all = new Block(0, 0, ROWS, COLS);
    final int[] levels = TestPresets.levelPattern(ROWS * COLS, 10);

    static LinkOptions fastLink() {
        return LinkOptions.defaults().withCommandTimeout(Duration.ofMillis(400))
                .withAttempts(12, Duration.ofMillis(2), Duration.ofMillis(50));
    }

    static PhysicalArray.Options options(DevicePreset preset, PhysicalArray.ReadMode mode) {
        return PhysicalArray.Options.defaults(preset, ROWS, COLS).withMode(mode).withLink(fastLink(), fastLink())
                .withTiming(Duration.ZERO, new VeloxProber.Settings(Duration.ofMillis(400), 0.5, 2, Duration.ofMillis(5),
                        Duration.ofSeconds(20)), Duration.ofMinutes(3));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource(delimiter = ';', value = {
            "drop-after=7; ROW", "drop-after=9; CELL", "drop-every=100ms; ROW", "delay=2ms; ROW",
            "garble=0.05; ROW", "garble=0.05; CELL", "compliance=0.03; ROW", "overflow=0.03; CELL",
            "half-open-after=25; ROW", "drop-after=11,garble=0.03,compliance=0.02,overflow=0.02,delay=1ms; ROW"})
    void faultsAreSurvivedWithoutLosingAPlannedRead(String spec, PhysicalArray.ReadMode mode) throws Exception {
        FaultSpec faults = FaultSpec.parse(spec);
        try (StationEmulator emulator = new StationEmulator(StationEmulator.Config.of(preset, ROWS, COLS, 1, 8, faults)).start();
             StationEmulator clean = new StationEmulator(StationEmulator.Config.of(preset, ROWS, COLS, 1, 8, FaultSpec.NONE)).start();
             PhysicalArray array = new PhysicalArray("faulty", ROWS, COLS, PhysicalArrayTest.addresses(emulator), options(preset, mode));
             PhysicalArray reference = new PhysicalArray("clean", ROWS, COLS, PhysicalArrayTest.addresses(clean),
                     options(preset, mode))) {
            ProgramResult programmed = AsyncOps.await(array.program(ProgramRequest.ofLevels(all, levels, false)));
            ProgramResult expected = AsyncOps.await(reference.program(ProgramRequest.ofLevels(all, levels, false)));
            assertEquals(expected.pulses(), programmed.pulses(), "one pulse per cell, none repeated");
            ArrayModel die = emulator.die(0);
            assertEquals(clean.die(0).totalPulses(), die.totalPulses(), "the devices saw exactly the planned pulses");
            float[] truthProgrammed = new float[ROWS * COLS];
            float[] cleanProgrammed = new float[ROWS * COLS];
            for (int i = 0; i < ROWS * COLS; i++) {
                truthProgrammed[i] = die.programmedSiemens(i / COLS, i % COLS);
                cleanProgrammed[i] = clean.die(0).programmedSiemens(i / COLS, i % COLS);
            }
            assertArrayEquals(cleanProgrammed, truthProgrammed, "same devices as without faults");

            boolean anySuspect = false;
            int frames = 0;
            while (frames < 3 || (frames < 30 && emulator.drops() + emulator.garbled() + emulator.badStatuses()
                    + emulator.delayedReplies() + emulator.halfOpened() < 3)) {
                emulator.advanceClock(100);
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
            assertEquals(2, emulator.motions(), "one step and one contact, whatever the link did: " + emulator.stats());
            long struck = emulator.drops() + emulator.garbled() + emulator.badStatuses() + emulator.halfOpened();
            assertTrue(struck + emulator.delayedReplies() > 0, "faults struck: " + emulator.stats());
            if (struck == 0) {
                assertTrue(!anySuspect, "a delayed reply needs no repair");
            }
        }
    }

    static long repairs(PhysicalArray a) {
        return a.statusRepairs() + a.analyzer().session().retries() + a.router().session().retries()
                + a.prober().session().retries();
    }

    @Test
    void aTimedOutStepIsCheckedNotRepeated() throws Exception {
        // every prober reply comes late: each move times out, the driver reads the position and moves on
        try (StationEmulator slow = new StationEmulator(StationEmulator.Config.of(preset, 4, 4, 3, 1,
                FaultSpec.parse("delay=150ms"))).start();
             VeloxProber prober = new VeloxProber(VisaAddress.parse(slow.proberAddress()),
                     LinkOptions.defaults().withCommandTimeout(Duration.ofSeconds(2)),
                     new VeloxProber.Settings(Duration.ofMillis(50), 0.5, 2, Duration.ofMillis(5), Duration.ofSeconds(5)),
                     org.rramlab.device.visa.Transports::open)) {
            prober.stepToDie(2);
            prober.moveChuckContact();
            assertEquals(2, slow.motions(), "no move sent twice");
            assertTrue(prober.motionRechecks() >= 2, "each timed-out move was checked: " + prober.motionRechecks());
            assertEquals(2, prober.mapPosition()[6]);
        }
    }

    @Test
    void aLinkThatNeverAnswersInTimeFailsWithATypedErrorAfterBoundedTries() throws Exception {
        try (StationEmulator slow = new StationEmulator(StationEmulator.Config.of(preset, 4, 4, 1, 1,
                FaultSpec.parse("delay=300ms"))).start();
             ParameterAnalyzer analyzer = new ParameterAnalyzer(VisaAddress.parse(slow.analyzerAddress()),
                     LinkOptions.defaults().withCommandTimeout(Duration.ofMillis(50)).withAttempts(3, Duration.ofMillis(1),
                             Duration.ofMillis(5)), ParameterAnalyzer.Settings.defaults(), org.rramlab.device.visa.Transports::open, 1)) {
            LinkException e = assertThrows(LinkException.class, analyzer::identify);
            assertTrue(e.getMessage().contains("failed 3 times") && e.getMessage().contains("within 50 ms")
                    && e.getMessage().contains("check that the instrument"), e.getMessage());
            assertTrue(analyzer.session().clears() >= 1, "a device clear after each timeout");
        }
    }

    @Test
    void nothingListeningFailsWithATypedErrorAfterBoundedTries() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var analyzer = new ParameterAnalyzer(VisaAddress.parse("TCPIP0::127.0.0.1::" + port + "::SOCKET"),
                LinkOptions.defaults().withAttempts(4, Duration.ofMillis(1), Duration.ofMillis(4)),
                ParameterAnalyzer.Settings.defaults(), org.rramlab.device.visa.Transports::open, 1);
        LinkException e = assertThrows(LinkException.class, analyzer::identify);
        assertEquals(4, e.attempts());
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
        analyzer.close();
    }

    @Test
    void badFaultSpecsNameTheItemAndTheValidForms() {
        for (String bad : new String[] {"drop-every=5", "drop-after=0", "garble=2", "delay=fast", "sparks=1", "garble",
                "drop-every=1ms", "half-open-after=x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultSpec.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("bad fault spec item '"), e.getMessage());
            assertTrue(e.getMessage().contains("valid items: drop-every=DURATION"), e.getMessage());
        }
        FaultSpec ok = FaultSpec.parse("drop-every=5s, drop-after=1000,delay=20ms,garble=0.001,compliance=0.001,overflow=0.001,"
                + "half-open-after=50");
        assertEquals(Duration.ofSeconds(5), ok.dropEvery());
        assertEquals(1000, ok.dropAfter());
        assertEquals(Duration.ofMillis(20), ok.delay());
        assertEquals(0.001, ok.garble());
        assertEquals(50, ok.halfOpenAfter());
        assertEquals(FaultSpec.NONE, FaultSpec.parse("none"));
    }
}
