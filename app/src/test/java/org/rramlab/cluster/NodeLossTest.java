package org.rramlab.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.app.cluster.LocalCluster;
import org.rramlab.app.cluster.NodeClient;
import org.rramlab.app.cluster.NodeLossRounds;

/**
 * Three lab node processes (the cluster's own settings: split-brain resolver, failure detector,
 * sharding), one broker, PostgreSQL: five times, the node that runs the most arrays gets
 * {@code kill -9} while a campaign runs; each time every array, the campaign and every statistics
 * partition must run again on the survivors within {@link #BOUND}, then the node is started again
 * and joins. The lab's goal is 15 s ({@code rramlab bench failover} measures it on quiet cores,
 * docs/benchmarks.md); the bound here leaves room for a CI machine whose two cores are shared with
 * the whole build (docs/decisions/0067-failover-timings.md), and is still under the 26.6-30.6 s the
 * settings before that decision took.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class NodeLossTest {
    static final Duration BOUND = Duration.ofSeconds(Integer.getInteger("rramlab.test.node-loss-bound", 20));
    private static final int ARRAYS = 6;

    @TempDir
    Path dir;

    @Test
    void fiveKillsEachRecoveredOnTheSurvivorsWithinTheBound() throws Exception {
        assertTrue(Files.isDirectory(Path.of("/usr/lib/postgresql")), "PostgreSQL is not installed: apt-get install -y"
                + " postgresql (as root; ./rramlab test, i.e. deploy/run-tests.sh, installs it when run as root)");
        // one broker: the test is about nodes; brokers are killed in ClusterTest
        try (LocalCluster cluster = LocalCluster.start(dir, new LocalCluster.Options(3, 1, 6, "-Xmx512m", "-Xmx320m",
                Map.of()), System.out::println, Duration.ofMinutes(4))) {
            NodeClient first = new NodeClient(cluster.url(cluster.nodes().get(0)), cluster.operatorToken());
            StringBuilder ids = new StringBuilder();
            for (int i = 1; i <= ARRAYS; i++) {
                first.post("/api/arrays", "{\"id\":\"loss-" + i + "\",\"kind\":\"simulated\",\"rows\":16,\"cols\":16,"
                        + "\"seed\":" + i + "}");
                ids.append(i > 1 ? "," : "").append("\"loss-").append(i).append('"');
            }
            // a read of every array every 2 s for longer than the test: it runs through every kill
            first.post("/api/campaigns", "{\"id\":\"through-kills\",\"arrays\":[" + ids + "],\"program\":{\"pattern\":"
                    + "\"every-level\"},\"interval_seconds\":60,\"reads\":10000,\"acceleration\":30}");
            first.await("/api/campaigns/through-kills", s -> s.get("step").asInt() >= 2, Duration.ofSeconds(90));
            first.await("/api/cluster", v -> v.get("members").size() == 3 && count(v, "Array") == ARRAYS
                    && count(v, "Campaign") == 1 && count(v, "StatisticsPartition") == 6
                    && v.get("entities").get("Array").size() >= 2, Duration.ofSeconds(90));

            List<NodeLossRounds.Round> rounds = new NodeLossRounds(cluster, System.out::println)
                    .run(5, Duration.ofSeconds(90), Duration.ofMinutes(3));

            System.out.println("round victim arrays entities downed recovered rejoined (s after the kill)");
            rounds.forEach(r -> System.out.printf("%d %s %d %d %s %.1f %.1f%n", r.round(), r.victim(), r.arraysOnVictim(),
                    r.entitiesOnVictim(), r.downedSeconds(), r.recoverySeconds(), r.rejoinSeconds()));
            System.out.println("load: " + Files.readString(Path.of("/proc/loadavg")).trim());
            assertEquals(5, rounds.size());
            for (NodeLossRounds.Round r : rounds) {
                assertTrue(r.arraysOnVictim() >= 1, "each kill hits a node that runs arrays: " + r);
                assertTrue(r.recoverySeconds() < BOUND.toSeconds(), "round " + r.round() + ": " + r.victim()
                        + "'s entities ran again on the others " + r.recoverySeconds() + " s after the kill, bound "
                        + BOUND.toSeconds() + " s: " + rounds);
            }
            // the campaign ran through the five kills: taken up again after each, still running. Whether it
            // reads on at once is not asserted: in one clean-clone run it stayed at its step for over 60 s
            // after the fifth kill (docs/benchmarks.md, "Node loss, five kills"), which is still to be found
            JsonNode after = first.await("/api/campaigns/through-kills", s -> "running".equals(s.get("state").asText()),
                    Duration.ofSeconds(60));
            assertTrue(after.get("step").asInt() >= 2, after.toString());
        }
    }

    private static int count(JsonNode view, String type) {
        int n = 0;
        for (JsonNode at : view.get("entities").get(type)) {
            n += at.get("entities").asInt();
        }
        return n;
    }
}
