package org.rramlab.cluster;

import org.rramlab.app.cluster.LocalCluster;
import org.rramlab.app.cluster.NodeClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three lab node JVMs, three Kafka broker JVMs and a PostgreSQL server, all processes on
 * loopback ({@link LocalCluster}): entities spread over the nodes; a node killed with SIGKILL
 * mid-campaign, its shards start on the others and the campaign completes with every read
 * applied once; a broker killed mid-campaign loses nothing; PostgreSQL restarted mid-campaign,
 * the journal writes resume.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ClusterTest {
    private static final int ARRAYS = 6;
    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static List<NodeClient> clients = new ArrayList<>();
    /** Frames every campaign so far plans: each test adds its own and expects exactly the sum. */
    static long planned;

    @BeforeAll
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    static void start() throws Exception {
        // the only multi-node failover tests: a machine without PostgreSQL fails them, it never skips them
        assertTrue(Files.isDirectory(Path.of("/usr/lib/postgresql")), "PostgreSQL is not installed: apt-get install -y"
                + " postgresql (as root; ./rramlab test, i.e. deploy/run-tests.sh, installs it when run as root)");
        cluster = LocalCluster.start(dir, new LocalCluster.Options(3, 3, 6, "-Xmx512m", "-Xmx320m",
                Map.of("rramlab.statistics.checkpoint-interval", "5s")), System.out::println, Duration.ofMinutes(5));
        for (LocalCluster.Part n : cluster.nodes()) {
            clients.add(new NodeClient(cluster.url(n), cluster.operatorToken()));
        }
        for (int i = 1; i <= ARRAYS; i++) {
            clients.get(i % 3).post("/api/arrays", "{\"id\":\"sim-" + i + "\",\"kind\":\"simulated\",\"rows\":32,"
                    + "\"cols\":32,\"seed\":" + i + "}");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String campaign(String id, String pattern, int reads) {
        StringBuilder arrays = new StringBuilder();
        for (int i = 1; i <= ARRAYS; i++) {
            arrays.append(i > 1 ? "," : "").append("\"sim-").append(i).append('"');
        }
        return "{\"id\":\"" + id + "\",\"arrays\":[" + arrays + "],\"program\":{\"pattern\":\"" + pattern + "\"},"
                + "\"interval_seconds\":60,\"reads\":" + reads + ",\"acceleration\":60}";
    }

    private static NodeClient alive() {
        for (int i = 0; i < clients.size(); i++) {
            if (cluster.nodes().get(i).alive()) {
                return clients.get(i);
            }
        }
        throw new IllegalStateException("no node alive");
    }

    /** The node (index) whose address hosts an entity of {@code type}. */
    private static int hostOf(String type) throws Exception {
        JsonNode entities = alive().get("/api/cluster").get("entities").get(type);
        for (int i = 0; i < cluster.nodes().size(); i++) {
            JsonNode at = entities.get("pekko://rramlab@127.0.0.1:" + cluster.nodes().get(i).ports().get("cluster"));
            if (at != null && at.get("entities").asInt() > 0) {
                return i;
            }
        }
        return -1;
    }

    /** The counters of a statistics report, for messages (the whole report is long). */
    private static String counters(JsonNode s) {
        return "frames_applied " + s.get("frames_applied") + ", duplicates_skipped " + s.get("duplicates_skipped")
                + ", programmed_applied " + s.get("programmed_applied") + ", arrays " + s.get("arrays");
    }

    @Test
    @Order(1)
    void entitiesSpreadOverTheNodesAndEveryNodeAnswersForTheCluster() throws Exception {
        JsonNode view = clients.get(2).await("/api/cluster", v -> v.get("members").size() == 3
                && v.get("entities").get("StatisticsPartition").size() == 3, Duration.ofSeconds(30));
        int hosting = 0;
        for (JsonNode at : view.get("entities").get("Array")) {
            hosting += at.get("entities").asInt() > 0 ? 1 : 0;
        }
        assertTrue(hosting >= 2, "arrays on one node only: " + view.get("entities"));
        int owners = 0;
        for (JsonNode at : view.get("entities").get("StatisticsPartition")) {
            owners += at.get("entities").asInt() > 0 ? 1 : 0;
        }
        assertTrue(owners >= 2, "statistics partitions on one node only: " + view.get("entities"));
        for (NodeClient c : clients) {
            assertEquals("sim-3", c.get("/api/arrays/sim-3").get("array_id").asText());
        }
    }

    @Test
    @Order(2)
    void aNodeKilledMidCampaignMovesItsShardsAndTheCampaignCompletesWithEveryReadOnce() throws Exception {
        int reads = 50;
        clients.get(1).post("/api/campaigns", campaign("crash-1", "every-level", reads));
        clients.get(0).await("/api/campaigns/crash-1", s -> s.get("step").asInt() >= 10, Duration.ofSeconds(60));
        int victim = hostOf("Campaign");
        assertTrue(victim >= 0, "the campaign runs nowhere");
        long killedAt = System.nanoTime();
        cluster.kill(cluster.nodes().get(victim));
        NodeClient survivor = alive();
        survivor.await("/api/campaigns/crash-1", s -> s.get("step").asInt() > 0 && !s.get("phase").isNull(),
                Duration.ofSeconds(60));
        System.out.printf("campaign answers again %.1f s after the kill%n", (System.nanoTime() - killedAt) / 1e9);
        JsonNode done = survivor.await("/api/campaigns/crash-1", s -> "completed".equals(s.get("state").asText()),
                Duration.ofSeconds(120));
        planned += (long) ARRAYS * reads;
        JsonNode stats = survivor.await("/api/statistics", s -> s.get("frames_applied").asLong() >= planned,
                Duration.ofSeconds(60));
        assertEquals(planned, stats.get("frames_applied").asLong(), "reads lost or counted twice: " + counters(stats));
        assertEquals(ARRAYS, stats.get("programmed_applied").asLong());
        assertTrue(InterruptionCheck.recordsCrash(done), "no interruption recorded: " + done);
        // the node comes back and joins again
        cluster.restart(cluster.nodes().get(victim));
        cluster.awaitReady(cluster.nodes().get(victim), Duration.ofMinutes(2));
        clients.get(victim).await("/api/cluster", v -> v.get("members").size() == 3, Duration.ofSeconds(60));
    }

    @Test
    @Order(3)
    void aBrokerKilledMidCampaignLosesNothing() throws Exception {
        int reads = 30;
        NodeClient c = alive();
        planned += (long) ARRAYS * reads;
        c.post("/api/campaigns", campaign("broker-1", "keep", reads));
        c.await("/api/campaigns/broker-1", s -> s.get("step").asInt() >= 8, Duration.ofSeconds(60));
        cluster.kill(cluster.brokers().get(1));
        // a loaded machine (CI's 2 cores) may take minutes over the leader elections and the retries
        c.await("/api/campaigns/broker-1", s -> "completed".equals(s.get("state").asText()), Duration.ofSeconds(240));
        long expected = planned;
        JsonNode stats = c.await("/api/statistics", s -> s.get("frames_applied").asLong() >= expected, Duration.ofSeconds(60));
        assertEquals(expected, stats.get("frames_applied").asLong(), "frames lost or counted twice: " + counters(stats));
        cluster.restart(cluster.brokers().get(1));
    }

    @Test
    @Order(4)
    void postgresRestartedMidCampaignTheJournalWritesResume() throws Exception {
        int reads = 30;
        NodeClient c = alive();
        planned += (long) ARRAYS * reads;
        c.post("/api/campaigns", campaign("pg-1", "keep", reads));
        c.await("/api/campaigns/pg-1", s -> s.get("step").asInt() >= 5, Duration.ofSeconds(60));
        cluster.postgres().stop(false);
        Thread.sleep(4000);
        cluster.postgres().startServer();
        c.await("/api/campaigns/pg-1", s -> "completed".equals(s.get("state").asText()), Duration.ofSeconds(240));
        long expected = planned;
        JsonNode stats = c.await("/api/statistics", s -> s.get("frames_applied").asLong() >= expected, Duration.ofSeconds(60));
        assertEquals(expected, stats.get("frames_applied").asLong(), "frames lost or counted twice: " + counters(stats));
        // a write after the restart reached the journal: every node reads the finished campaign from it
        for (NodeClient n : clients) {
            assertEquals("completed", n.get("/api/campaigns/pg-1").get("state").asText());
        }
    }
}
