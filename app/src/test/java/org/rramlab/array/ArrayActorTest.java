package org.rramlab.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.api.Refusal;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.sim.ArrayModel;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.ReadRecord;

/** The array actor on a real node: H2 journal, embedded Kafka, sharding; restarts of the whole node. */
class ArrayActorTest {
    static final int ROWS = 8;
    static final int COLS = 12;
    static final long SEED = 11;
    static final Block ALL = new Block(0, 0, ROWS, COLS);
    // small checkpoint and snapshot intervals, so that recovery goes through both
    // float32 on the topic: the claim is that a restored array reads bit for bit what it would have
    // read, which the default log16 codes (within 0.0125 % of G, ConductanceCodecTest) cannot show
    static final Map<String, String> SETTINGS = Map.of("rramlab.array.checkpoint-every", "3",
            "rramlab.array.snapshot-every", "4", "rramlab.measurement.encoding", "float32");

    @TempDir
    Path dataDir;
    @TempDir
    Path kafkaDir;

    static int[] everyLevel(int cells, int levels) {
        int[] out = new int[cells];
        for (int i = 0; i < cells; i++) {
            out[i] = i % levels;
        }
        return out;
    }

    @Test
    void aSimulatedArrayReadsBitIdenticallyAfterANodeRestart() throws Exception {
        // the same operations on an array that never restarts
        ArrayModel reference = new ArrayModel("sim-a", DevicePreset.load(DevicePreset.NODE_DEFAULT), ROWS, COLS, SEED);
        List<Frame> expected = new ArrayList<>();
        int[] levels = everyLevel(ALL.cells(), 10);
        Block half = new Block(2, 3, 4, 5);

        try (TestKafka kafka = new TestKafka(kafkaDir)) {
        try (LabFixture lab = LabFixture.start(dataDir, kafka.bootstrapServers(), SETTINGS, Duration.ofSeconds(30))) {
            ArraySummary s = lab.ask("sim-a", r -> new ArrayActor.Register(ArraySpec.simulated(null, ROWS, COLS, SEED), r));
            assertEquals(10, s.levels());
            var programmed = lab.<ArrayActor.ProgramDone>ask("sim-a",
                    r -> new ArrayActor.Program(ALL, levels, null, true, "p1", r));
            assertEquals(1, programmed.sequence());
            assertEquals(reference.program(ProgramRequest.ofLevels(ALL, levels, true)).pulses(), programmed.pulses());
            lab.<ArraySummary>ask("sim-a", r -> new ArrayActor.AdvanceClock(100, r));
            reference.advanceClock(100);
            var first = lab.<ArrayActor.ReadDone>ask("sim-a", r -> new ArrayActor.Read(ALL, "t1", r));
            expected.add(reference.read(ALL));
            lab.<ArrayActor.ReadDone>ask("sim-a", r -> new ArrayActor.Read(half, null, r));
            expected.add(reference.read(half));
            lab.<ArraySummary>ask("sim-a", r -> new ArrayActor.SetTemperature(358.15, r));
            reference.setTemperature(358.15);
            lab.<ArraySummary>ask("sim-a", r -> new ArrayActor.AdvanceClockTo(150, r));
            reference.advanceClock(50);
            // an absolute clock time already reached changes nothing
            lab.<ArraySummary>ask("sim-a", r -> new ArrayActor.AdvanceClockTo(150, r));
            for (int i = 0; i < 3; i++) {
                lab.<ArrayActor.ReadDone>ask("sim-a", r -> new ArrayActor.Read(ALL, null, r));
                expected.add(reference.read(ALL));
            }
            // a repeated tag takes no second read
            var again = lab.<ArrayActor.ReadDone>ask("sim-a", r -> new ArrayActor.Read(ALL, "t1", r));
            assertEquals(first.sequence(), again.sequence());
            assertTrue(again.repeated());
            var reprogram = lab.<ArrayActor.ProgramDone>ask("sim-a", r -> new ArrayActor.Program(ALL, levels, null, true, "p1", r));
            assertEquals(1, reprogram.sequence());
            assertTrue(reprogram.repeated());
        }

        try (LabFixture lab = LabFixture.start(dataDir, kafka.bootstrapServers(), SETTINGS, Duration.ofSeconds(30))) {
            ArraySummary s = lab.ask("sim-a", ArrayActor.GetState::new);
            assertEquals(5, s.reads());
            assertEquals(150.0, s.clockSeconds());
            assertEquals(358.15, s.temperatureKelvin());
            assertEquals(1, s.programmings());
            assertEquals(org.rramlab.device.ArrayHealth.LinkState.CONNECTED, s.link());
            var repeated = lab.<ArrayActor.ReadDone>ask("sim-a", r -> new ArrayActor.Read(ALL, "t1", r));
            assertEquals(1, repeated.sequence(), "tags survive the restart");
            for (int i = 0; i < 2; i++) {
                var done = lab.<ArrayActor.ReadDone>ask("sim-a", r -> new ArrayActor.Read(ALL, "after-" + System.nanoTime(), r));
                assertFalse(done.repeated());
                expected.add(reference.read(ALL));
            }
            lab.<ArraySummary>ask("sim-a", r -> new ArrayActor.AdvanceClock(1000, r));
            reference.advanceClock(1000);
            lab.<ArrayActor.ReadDone>ask("sim-a", r -> new ArrayActor.Read(half, null, r));
            expected.add(reference.read(half));

            Map<Long, Frame> onTopic = new HashMap<>();
            int programmedRecords = 0;
            for (ConductanceRecord record : LabFixture.records(lab.bootstrap, "sim-a")) {
                if (record instanceof ReadRecord read) {
                    Frame previous = onTopic.put(read.sequence(), read.frame());
                    assertTrue(previous == null || java.util.Arrays.equals(previous.conductances(), read.frame().conductances()),
                            "a frame published twice carries the same values");
                } else if (record instanceof ProgrammedRecord p) {
                    programmedRecords++;
                    assertEquals(1, p.sequence());
                    assertEquals(9, p.levels()[9]);
                }
            }
            assertTrue(programmedRecords >= 1, "the programming is on the topic");
            assertEquals(expected.size(), onTopic.size(), "one frame per read, sequences " + onTopic.keySet());
            for (Frame want : expected) {
                Frame got = onTopic.get(want.sequence());
                assertEquals(want.block(), got.block(), "frame " + want.sequence());
                assertEquals(want.arrayTimeSeconds(), got.arrayTimeSeconds(), "frame " + want.sequence());
                assertArrayEquals(want.conductances(), got.conductances(), "frame " + want.sequence() + " bit for bit");
            }
        }
        }
    }

    @Test
    void badCommandsAreRefusedWithAReasonAndChangeNothing() throws Exception {
        try (TestKafka kafka = new TestKafka(kafkaDir);
             LabFixture lab = LabFixture.start(dataDir, kafka.bootstrapServers(), Map.of(), Duration.ofSeconds(30))) {
            String unregistered = refused(() -> lab.<ArrayActor.ReadDone>ask("nobody", r -> new ArrayActor.Read(ALL, null, r)));
            assertTrue(unregistered.contains("is not registered"), unregistered);
            assertEquals(Refusal.Kind.NOT_FOUND, refusedKind(() -> lab.<ArraySummary>ask("nobody", ArrayActor.GetState::new)));
            // an unknown kind, a missing seed, one address for every instrument: refused at the API's
            // edge, where the registration's JSON becomes a spec (CampaignRoutesTest)
            assertEquals(Refusal.Kind.BAD_INPUT, refusedKind(() -> lab.<ArraySummary>ask("x",
                    r -> new ArrayActor.Register(ArraySpec.simulated(null, 0, 4, 1), r))));
            String noShape = refused(() -> lab.<ArraySummary>ask("x",
                    r -> new ArrayActor.Register(ArraySpec.simulated(null, 4, -1, 1), r)));
            assertTrue(noShape.contains("rows and cols must be positive"), noShape);
            String badPreset = refused(() -> lab.<ArraySummary>ask("x",
                    r -> new ArrayActor.Register(ArraySpec.simulated("no-such-preset", 4, 4, 1), r)));
            assertTrue(badPreset.contains("no-such-preset"), badPreset);
            String badAddress = refused(() -> lab.<ArraySummary>ask("x",
                    r -> new ArrayActor.Register(ArraySpec.physical("localhost", "TCPIP0::m::5025::SOCKET",
                            "TCPIP0::p::1412::SOCKET", 0, 4, 4, null), r)));
            assertTrue(badAddress.contains("analyzer: instrument address 'localhost'"), badAddress);
            lab.<ArraySummary>ask("x", r -> new ArrayActor.Register(ArraySpec.simulated(null, 4, 4, 1), r));
            // the same registration again is fine, a different one is not
            lab.<ArraySummary>ask("x", r -> new ArrayActor.Register(ArraySpec.simulated(null, 4, 4, 1), r));
            String other = refused(() -> lab.<ArraySummary>ask("x",
                    r -> new ArrayActor.Register(ArraySpec.simulated(null, 4, 4, 2), r)));
            assertTrue(other.contains("already registered"), other);
            Block b = new Block(0, 0, 4, 4);
            int[] tooHigh = new int[16];
            tooHigh[5] = 10;
            String level = refused(() -> lab.<ArrayActor.ProgramDone>ask("x", r -> new ArrayActor.Program(b, tooHigh, null, false, null, r)));
            assertTrue(level.contains("outside 0..9"), level);
            String outside = refused(() -> lab.<ArrayActor.ReadDone>ask("x", r -> new ArrayActor.Read(new Block(2, 2, 4, 4), null, r)));
            assertTrue(outside.contains("does not fit"), outside);
            String temp = refused(() -> lab.<ArraySummary>ask("x", r -> new ArrayActor.SetTemperature(-3, r)));
            assertTrue(temp.contains("kelvin"), temp);
            ArraySummary s = lab.ask("x", ArrayActor.GetState::new);
            assertEquals(0, s.programmings());
            assertEquals(0, s.reads());
            assertEquals(300.0, s.temperatureKelvin());
        }
    }

    static Refusal.Kind refusedKind(Runnable call) {
        return Refusal.kindOf(assertThrows(CompletionException.class, call::run));
    }

    static String refused(Runnable call) {
        CompletionException e = assertThrows(CompletionException.class, call::run);
        return e.getCause().getMessage();
    }
}
