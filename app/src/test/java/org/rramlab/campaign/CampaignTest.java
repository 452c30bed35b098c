package org.rramlab.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySpec;
import org.rramlab.array.ArraySummary;
import org.rramlab.array.Interruption;
import org.rramlab.array.LabFixture;
import org.rramlab.array.TestKafka;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.emulator.FaultSpec;
import org.rramlab.device.emulator.StationEmulator;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.ReadRecord;

/** Campaigns on a real node: link cuts through the emulator, a stopped broker, a node restart. */
class CampaignTest {
    /** Short waits so that outages are noticed in seconds, not minutes. */
    static final Map<String, String> FAST = Map.of(
            "rramlab.array.publish-timeout", "2s",
            "rramlab.array.publish-attempts", "2",
            "rramlab.array.publish-backoff", "200ms",
            "rramlab.array.link-attempts", "2",
            "rramlab.array.command-timeout", "2s",
            "rramlab.campaign.probe-interval", "500ms",
            "rramlab.campaign.ask-timeout", "30s");

    @TempDir
    Path dataDir;
    @TempDir
    Path kafkaDir;

    static CampaignSpec spec(List<String> arrays, double interval, int reads, double acceleration) {
        return new CampaignSpec(arrays, new CampaignSpec.ProgramPattern("every-level", null, null), null, false,
                interval, reads, null, null, acceleration, null);
    }

    static <T> T ask(LabFixture lab, ActorRef<ShardingEnvelope<CampaignActor.Command>> region, String id,
                     Function<ActorRef<StatusReply<T>>, CampaignActor.Command> command) {
        return AskPattern.<ShardingEnvelope<CampaignActor.Command>, T>askWithStatus(region,
                        r -> new ShardingEnvelope<>(id, command.apply(r)), Duration.ofSeconds(30), lab.node.system().scheduler())
                .toCompletableFuture().join();
    }

    static String refused(Runnable call) {
        java.util.concurrent.CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.CompletionException.class, call::run);
        return e.getCause().getMessage();
    }

    static CampaignStatus await(LabFixture lab, CampaignActor.Campaigns campaigns, String id, Duration limit,
                                String what, Predicate<CampaignStatus> condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        CampaignStatus last = null;
        while (System.nanoTime() < deadline) {
            last = ask(lab, campaigns.region(), id, CampaignActor.GetStatus::new);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("campaign " + id + " did not reach '" + what + "' in " + limit.toSeconds() + " s; last: " + last);
    }

    /**
     * The campaign's frames of one array on the topic: exactly one frame per read (copies only with
     * the same sequence and the same values), taken at the read times of the schedule.
     */
    static void assertOneFramePerRead(String bootstrap, String arrayId, int reads, double interval, double tolerance) {
        Map<Long, Frame> frames = new TreeMap<>();
        int copies = 0;
        for (ConductanceRecord record : LabFixture.records(bootstrap, arrayId)) {
            if (record instanceof ReadRecord r) {
                Frame earlier = frames.put(r.sequence(), r.frame());
                if (earlier != null) {
                    copies++;
                    assertTrue(java.util.Arrays.equals(earlier.conductances(), r.frame().conductances()),
                            arrayId + ": frame " + r.sequence() + " appears twice with different values");
                }
            }
        }
        assertEquals(reads, frames.size(), arrayId + ": frames " + frames.keySet() + " (" + copies + " repeated copies)");
        List<Double> times = new ArrayList<>();
        frames.values().forEach(f -> times.add(f.arrayTimeSeconds()));
        for (int k = 0; k < reads; k++) {
            assertEquals(k * interval, times.get(k), tolerance, arrayId + ": read " + k + " at the wrong array time; all: " + times);
        }
    }

    @Test
    void linkCutsAndABrokerOutageSuspendTheCampaignAndLoseNoRead() throws Exception {
        DevicePreset preset = DevicePreset.load(DevicePreset.NODE_DEFAULT);
        int reads = 16;
        // a physical array ages in wall time: acceleration 1, so a short interval keeps the test short
        double interval = 1;
        try (TestKafka kafka = new TestKafka(kafkaDir);
             // every instrument drops each connection after 40 commands: the drivers repair that by themselves
             StationEmulator emulator = new StationEmulator(StationEmulator.Config.of(preset, 6, 6, 1, 5,
                     FaultSpec.parse("drop-after=40"))).start();
             CuttableProxy proxy = new CuttableProxy(emulator.analyzerPort());
             LabFixture lab = LabFixture.start(dataDir, kafka.bootstrapServers(), FAST, Duration.ofSeconds(15))) {
            CampaignActor.Campaigns campaigns = CampaignActor.init(lab.node.system(), lab.arrays);
            lab.<ArraySummary>ask("sim-1", r -> new ArrayActor.Register(ArraySpec.simulated(null, 6, 6, 3), r));
            lab.<ArraySummary>ask("phys-1", r -> new ArrayActor.Register(
                    ArraySpec.physical("TCPIP0::127.0.0.1::" + proxy.port() + "::SOCKET", emulator.matrixAddress(),
                            emulator.proberAddress(), 0, 6, 6, null), r));
            String accelerated = refused(() -> CampaignTest.<CampaignStatus>ask(lab, campaigns.region(), "drift-fast",
                    r -> new CampaignActor.Start(spec(List.of("sim-1", "phys-1"), 60, reads, 60), r)));
            assertTrue(accelerated.contains("array 'phys-1' is physical") && accelerated.contains("acceleration must be 1")
                    && accelerated.contains("bake"), accelerated);
            CampaignTest.<CampaignStatus>ask(lab, campaigns.region(), "drift-faults",
                    r -> new CampaignActor.Start(spec(List.of("sim-1", "phys-1"), interval, reads, 1), r));

            await(lab, campaigns, "drift-faults", Duration.ofSeconds(60), "3 reads", s -> s.step() >= 3);
            proxy.cut();
            await(lab, campaigns, "drift-faults", Duration.ofSeconds(60), "suspended by the cut link",
                    s -> s.state() == CampaignState.Status.SUSPENDED);
            Thread.sleep(1000);
            proxy.restore();
            CampaignStatus back = await(lab, campaigns, "drift-faults", Duration.ofSeconds(60), "running again",
                    s -> s.state() == CampaignState.Status.RUNNING);
            int stepAfterLink = back.step();
            ArraySummary phys = lab.ask("phys-1", ArrayActor.GetState::new);
            assertEquals(org.rramlab.device.ArrayHealth.LinkState.CONNECTED, phys.link());
            assertTrue(phys.interruptions().stream().anyMatch(i -> !i.ongoing()), "the array recorded its link loss: " + phys);

            await(lab, campaigns, "drift-faults", Duration.ofSeconds(60), "two more reads", s -> s.step() >= stepAfterLink + 2);
            kafka.stop();
            await(lab, campaigns, "drift-faults", Duration.ofSeconds(60), "suspended by the broker outage",
                    s -> s.state() == CampaignState.Status.SUSPENDED && s.lastError() != null && s.lastError().contains(ArrayActor.NOT_PUBLISHED));
            Thread.sleep(1000);
            kafka.start();
            CampaignStatus done = await(lab, campaigns, "drift-faults", Duration.ofSeconds(120), "completed",
                    s -> s.state() == CampaignState.Status.COMPLETED);

            assertEquals(reads, done.step());
            var started = done.provenanceAtStart();
            assertNotNull(started, "the start recorded its provenance");
            assertEquals("simulated", started.arrays().get("sim-1").driver());
            assertEquals(64, started.arrays().get("sim-1").presetSha256().length(), started.toString());
            assertTrue(started.arrays().get("phys-1").instrumentAddress().contains("TCPIP0::127.0.0.1::" + proxy.port()),
                    "the instruments' addresses: " + started.arrays().get("phys-1"));
            assertNull(started.arrays().get("sim-1").instrumentAddress(), "a simulated array has none");
            // who answered, as the emulated instruments answer *IDN? over TCP (and the prober its version)
            String idn = started.arrays().get("phys-1").instrumentIdentity();
            assertTrue(idn != null && idn.startsWith("analyzer: Agilent Technologies,B1500A,") && idn.contains("; matrix: ")
                    && idn.contains("; prober: ") && idn.contains("Velox"), "the instruments' identities: " + idn);
            assertEquals(idn, phys.identity(), "the array's summary says the same");
            assertTrue(started.arrays().get("sim-1").instrumentIdentity().startsWith("rramlab,simulated array"),
                    started.arrays().get("sim-1").toString());
            assertNotNull(started.gitCommit());
            assertEquals(org.rramlab.node.Version.current(), started.softwareVersion());
            List<Interruption> interruptions = done.interruptions();
            assertTrue(interruptions.stream().anyMatch(i -> i.reason().contains(ArrayActor.LINK_DOWN)), "link: " + interruptions);
            assertTrue(interruptions.stream().anyMatch(i -> i.reason().contains(ArrayActor.NOT_PUBLISHED)), "kafka: " + interruptions);
            for (Interruption i : interruptions) {
                assertNotNull(i.to(), "every interruption ended: " + i);
                assertEquals(java.time.Duration.between(i.from(), i.to()).toMillis() / 1000.0, i.seconds(), 1e-9,
                        "its length is recorded: " + i);
            }
            // the test held the link cut and the broker down for a second each after the suspension
            for (String cause : List.of(ArrayActor.LINK_DOWN, ArrayActor.NOT_PUBLISHED)) {
                assertTrue(interruptions.stream().anyMatch(i -> i.reason().contains(cause) && i.seconds() >= 1.0),
                        cause + " lasted at least the second it was held: " + interruptions);
            }
            assertOneFramePerRead(kafka.bootstrapServers(), "sim-1", reads, interval, 0);
            // the station's clock travels as text: a few significant digits
            assertOneFramePerRead(kafka.bootstrapServers(), "phys-1", reads, interval, 0.01);
        }
    }

    @Test
    void aCampaignCarriesOnAfterItsNodeStopsWithNoReadSkippedOrRepeated() throws Exception {
        int reads = 10;
        double interval = 100;
        try (TestKafka kafka = new TestKafka(kafkaDir)) {
            try (LabFixture lab = LabFixture.start(dataDir, kafka.bootstrapServers(), FAST, Duration.ofSeconds(15))) {
                CampaignActor.Campaigns campaigns = CampaignActor.init(lab.node.system(), lab.arrays);
                lab.<ArraySummary>ask("sim-r", r -> new ArrayActor.Register(ArraySpec.simulated(null, 5, 7, 9), r));
                CampaignTest.<CampaignStatus>ask(lab, campaigns.region(), "drift-restart", r -> new CampaignActor.Start(spec(List.of("sim-r"), interval, reads, 200), r));
                await(lab, campaigns, "drift-restart", Duration.ofSeconds(60), "3 reads", s -> s.step() >= 3);
            }
            try (LabFixture lab = LabFixture.start(dataDir, kafka.bootstrapServers(), FAST, Duration.ofSeconds(15))) {
                // nothing but the node start wakes the campaign
                CampaignActor.Campaigns campaigns = CampaignActor.init(lab.node.system(), lab.arrays);
                CampaignStatus done = await(lab, campaigns, "drift-restart", Duration.ofSeconds(90), "completed",
                        s -> s.state() == CampaignState.Status.COMPLETED);
                assertEquals(reads, done.step());
                assertOneFramePerRead(kafka.bootstrapServers(), "sim-r", reads, interval, 0);
                ArraySummary array = lab.ask("sim-r", ArrayActor.GetState::new);
                assertEquals(reads, array.reads(), "the array was read once per step");
                // a read falls due every 0.5 s: the clean stop delayed some, and the history says so
                List<Interruption> stops = done.interruptions().stream()
                        .filter(i -> i.kind().equals(Interruption.NODE_STOP)).toList();
                assertEquals(1, stops.size(), "one clean stop: " + done.interruptions());
                assertTrue(stops.get(0).readsDelayed() >= 1 && stops.get(0).to().isAfter(stops.get(0).from()), stops.toString());
                assertTrue(done.interruptions().stream().noneMatch(i -> i.kind().equals(Interruption.NODE_CRASH)),
                        "a clean stop is not a crash: " + done.interruptions());
            }
        }
    }
}
