package org.rramlab.livestats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.DevicePreset;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LivePipeline;
import org.rramlab.statistics.LiveStatistics;
import org.rramlab.statistics.StatisticsReport;
import org.rramlab.streaming.ConductanceRecord;

/**
 * The cluster's statistics on a cluster of one node (its own seed): the partition owners push
 * their summaries only when records came in, and the view merges them. The view's resync is set
 * to an hour, so that after the first question everything it learns came by the owners' pushes.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StatisticsViewTest {
    @TempDir
    Path dataDir;

    @Test
    void ownersPushTheirSummariesWhenTheyChangeAndTheViewMergesThem() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (LabNode node = StatisticsTests.node(dataDir, Map.of(
                "rramlab.cluster.port", Integer.toString(port),
                "rramlab.cluster.seed-nodes", "[\"pekko://rramlab@127.0.0.1:" + port + "\"]",
                "rramlab.statistics.publish-interval", "200ms",
                "rramlab.statistics.view-resync-interval", "1h"))) {
            LivePipeline pipeline = node.pipeline().get(2, TimeUnit.MINUTES);
            ActorRef<StatisticsActor.Command> view = pipeline.statistics();
            // the node's statistics take its default preset; the reference actor below takes the same
            DevicePreset preset = DevicePreset.load(DevicePreset.NODE_DEFAULT);
            List<ConductanceRecord> records = new ArrayList<>();
            for (int a = 1; a <= 4; a++) {
                records.addAll(EveryLevelRecords.of("v-" + a, preset, 5, a));
            }
            for (ConductanceRecord r : records) {
                StatisticsTests.publish(node, pipeline.measurement(), r);
            }
            StatisticsReport all = StatisticsTests.awaitReport(node, view, null, r -> r.framesApplied() == 20);
            assertEquals(4, all.programmedApplied());
            assertEquals(4, all.arrays());
            // the same records through one actor over every partition: each array's model is the same
            var settings = new StatisticsActor.Settings(node.bootstrapServers(), pipeline.partitions(), preset,
                    Duration.ofMillis(200), Duration.ofHours(1));
            ActorRef<StatisticsActor.Command> one =
                    LabNode.spawn(node.system(), StatisticsActor.create("view-check", settings), "stats-view-check").get();
            for (int a = 1; a <= 4; a++) {
                String id = "v-" + a;
                StatisticsReport alone = StatisticsTests.awaitReport(node, one, id, r -> r.framesApplied() == 5);
                assertEquals(alone, StatisticsTests.awaitReport(node, view, id, r -> true), "merged from its owner: " + id);
            }

            // an owner whose partition got nothing new answers no summary; one that did, answers
            var sharding = org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(node.system());
            TestProbe<PartitionStatistics.PartitionSummary> probe = TestProbe.create(node.system());
            PartitionStatistics.PartitionSummary latest = null;
            for (int p = 0; p < pipeline.partitions() && latest == null; p++) {
                sharding.entityRefFor(PartitionStatistics.TYPE_KEY, Integer.toString(p))
                        .tell(new PartitionStatistics.Summarize(probe.ref(), 0, -1));
                PartitionStatistics.PartitionSummary s = probe.receiveMessage(Duration.ofSeconds(10));
                assertEquals(p, s.partition());
                if (LiveStatistics.restore(s.bytes()).statistics().arrayIds().contains("v-1")) {
                    latest = s;
                }
            }
            assertTrue(latest != null, "no owner holds v-1");
            var owner = sharding.entityRefFor(PartitionStatistics.TYPE_KEY, Integer.toString(latest.partition()));
            owner.tell(new PartitionStatistics.Summarize(probe.ref(), latest.incarnation(), latest.changes()));
            probe.expectNoMessage(Duration.ofMillis(800));
            StatisticsTests.publish(node, pipeline.measurement(), EveryLevelRecords.of("v-1", preset, 6, 1).get(6));
            StatisticsTests.awaitReport(node, view, "v-1", r -> r.framesApplied() == 6);
            owner.tell(new PartitionStatistics.Summarize(probe.ref(), latest.incarnation(), latest.changes()));
            PartitionStatistics.PartitionSummary after = probe.receiveMessage(Duration.ofSeconds(10));
            assertEquals(latest.incarnation(), after.incarnation());
            assertNotEquals(latest.changes(), after.changes());
            assertTrue(after.changes() > latest.changes(), after.changes() + " after " + latest.changes());
        }
    }
}
