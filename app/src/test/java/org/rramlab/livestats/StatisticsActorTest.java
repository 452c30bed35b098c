package org.rramlab.livestats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.DevicePreset;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LivePipeline;
import org.rramlab.statistics.StatisticsReport;
import org.rramlab.streaming.ConductanceRecord;

/** The node's measurement path through the real embedded broker and H2 journal. */
class StatisticsActorTest {
    @TempDir
    Path dataDir;

    @Test
    void duplicatesThroughKafkaLeaveTheStatisticsUnchangedAndARestartCountsNothingTwice() throws Exception {
        try (LabNode node = StatisticsTests.node(dataDir, Map.of())) {
            LivePipeline pipeline = node.pipeline().get(2, TimeUnit.MINUTES);
            var system = node.system();
            DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);
            List<ConductanceRecord> generated = EveryLevelRecords.of("t-1", preset, 21, 5);
            // the programming and 20 reads; the 21st read comes last, to show when everything before it was taken
            List<ConductanceRecord> records = generated.subList(0, 21);
            ConductanceRecord last = generated.get(21);
            // a separate statistics actor with a long checkpoint interval, so the test decides when
            var settings = new StatisticsActor.Settings(node.bootstrapServers(), pipeline.partitions(), preset,
                    Duration.ofMillis(200), Duration.ofHours(1));
            ActorRef<StatisticsActor.Command> first = LabNode.spawn(system, StatisticsActor.create("t", settings), "stats-a").get();

            for (ConductanceRecord r : records.subList(0, 11)) {
                StatisticsTests.publish(node, pipeline.measurement(), r);
            }
            StatisticsReport half = awaitReport(node, first, r -> r.framesApplied() == 10);
            AskPattern.<StatisticsActor.Command, Done>ask(first, StatisticsActor.CheckpointNow::new,
                    Duration.ofSeconds(10), system.scheduler()).toCompletableFuture().get();
            assertEquals(1, half.programmedApplied());

            // the rest, then everything again: the copies are skipped
            for (ConductanceRecord r : records.subList(11, records.size())) {
                StatisticsTests.publish(node, pipeline.measurement(), r);
            }
            StatisticsReport whole = awaitReport(node, first, r -> r.framesApplied() == 20);
            for (ConductanceRecord r : records) {
                StatisticsTests.publish(node, pipeline.measurement(), r);
            }
            StatisticsReport after = awaitReport(node, first, r -> r.duplicatesSkipped() == records.size());
            assertEquals(whole.withDuplicatesSkipped(0), after.withDuplicatesSkipped(0), "copies changed nothing");
            assertEquals(20L * 1024, after.cellsRead());

            // a crash after the midpoint checkpoint: the next actor restores it and re-reads the rest
            TestProbe<Object> watcher = TestProbe.create(system);
            first.tell(StatisticsActor.Stop.INSTANCE);
            watcher.expectTerminated(first, Duration.ofSeconds(30));
            ActorRef<StatisticsActor.Command> second = LabNode.spawn(system, StatisticsActor.create("t", settings), "stats-b").get();
            StatisticsReport restored = awaitReport(node, second, r -> r.framesApplied() == 20
                    && r.duplicatesSkipped() >= records.size());
            assertEquals(whole.withDuplicatesSkipped(0), restored.withDuplicatesSkipped(0),
                    "restored from the checkpoint and the topic, nothing counted twice");
            // it resumed at the checkpoint's offsets: the 10 reads after it are applied anew and only the
            // second copy of all 21 records is skipped (a replay from offset 0 would skip 11 more). Once
            // the read published last is applied, everything before it on the partition has been taken.
            StatisticsTests.publish(node, pipeline.measurement(), last);
            StatisticsReport end = awaitReport(node, second, r -> r.framesApplied() == 21);
            assertEquals(records.size(), end.duplicatesSkipped(), "resumed from the checkpoint: " + end);
            assertTrue(Math.abs(restored.logSigma() - 0.5) < 0.1, "sigma " + restored.logSigma());
        }
    }

    private static StatisticsReport awaitReport(LabNode node, ActorRef<StatisticsActor.Command> stats,
                                                Predicate<StatisticsReport> done) throws Exception {
        return StatisticsTests.awaitReport(node, stats, "t-1", done);
    }
}
