package org.rramlab.app.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.rramlab.app.cluster.LocalCluster;
import org.rramlab.app.cluster.LocalPostgres;
import org.rramlab.app.cluster.NodeClient;
import org.rramlab.campaign.CampaignState;

/**
 * A local cluster ({@link LocalCluster}) with simulated arrays spread over its nodes and one
 * campaign across them. With {@code killOne}: SIGKILL of the node running the campaign midway
 * (recovery = kill until every shard runs again on the others), then a second campaign during
 * which one broker gets SIGKILL. Counts every array's applied frames against the plan.
 */
public final class ClusterBench {
    public record Options(int nodes, int arrays, int rows, int cols, int reads, double acceleration, boolean killOne) {}

    /** The figures; names as in the JSON. */
    public record Result(int nodes, int brokers, String journal, @JsonProperty("reads_planned") long readsPlanned,
                         @JsonProperty("frames_applied") long framesApplied,
                         @JsonProperty("frames_applied_twice") long framesAppliedTwice,
                         @JsonProperty("killed_node") String killedNode,
                         @JsonProperty("recovery_seconds") Double recoverySeconds,
                         @JsonProperty("campaign_state") String campaignState,
                         @JsonProperty("broker_killed") String brokerKilled,
                         @JsonProperty("frames_lost") long framesLost,
                         @JsonProperty("cell_reads_per_second") double cellReadsPerSecond,
                         @JsonProperty("journal_events_per_second") double journalEventsPerSecond,
                         @JsonProperty("campaign_seconds") double campaignSeconds,
                         @JsonProperty("arrays") int arrays, @JsonProperty("cells_per_frame") int cellsPerFrame) {}

    private final Options o;
    private final Consumer<String> say;

    public ClusterBench(Options options, Consumer<String> say) {
        this.o = options;
        this.say = say;
    }

    public Result run() throws Exception {
        Path dir = Files.createTempDirectory("rramlab-cluster-bench-");
        LocalCluster.Options lo = new LocalCluster.Options(o.nodes(), 3, partitions(), "-Xmx768m", "-Xmx384m",
                Map.of("rramlab.statistics.checkpoint-interval", "10s"));
        try (LocalCluster cluster = LocalCluster.start(dir, lo, say, Duration.ofMinutes(4))) {
            return measure(cluster);
        } finally {
            deleteTree(dir);
        }
    }

    private Result measure(LocalCluster cluster) throws Exception {
        List<NodeClient> clients = new ArrayList<>();
        for (LocalCluster.Part n : cluster.nodes()) {
            clients.add(new NodeClient(cluster.url(n), cluster.operatorToken()));
        }
        StringBuilder ids = new StringBuilder();
        for (int i = 1; i <= o.arrays(); i++) {
            clients.get(i % clients.size()).post("/api/arrays", "{\"id\":\"bench-" + i + "\",\"kind\":\"simulated\","
                    + "\"rows\":" + o.rows() + ",\"cols\":" + o.cols() + ",\"seed\":" + i + "}");
            ids.append(i > 1 ? "," : "").append("\"bench-").append(i).append('"');
        }
        long events0 = journalEvents(cluster);
        long t0 = System.nanoTime();
        clients.get(0).post("/api/campaigns", campaign("bench-1", "every-level", ids));
        String killed = null;
        Double recovery = null;
        if (o.killOne() && cluster.nodes().size() > 1) {
            clients.get(0).await("/api/campaigns/bench-1", s -> s.get("step").asInt() >= o.reads() / 3, Duration.ofMinutes(5));
            int victim = hostOfCampaign(cluster, clients.get(0));
            LocalCluster.Part node = cluster.nodes().get(victim);
            killed = node.name();
            say.accept("kill -9 " + killed + " (pid " + node.pid() + "), which runs the campaign");
            long k = System.nanoTime();
            cluster.kill(node);
            NodeClient survivor = clients.get((victim + 1) % clients.size());
            int partitions = partitions();
            survivor.await("/api/cluster", v -> v.get("members").size() == cluster.nodes().size() - 1
                    && hosted(v, "Array") == o.arrays() && hosted(v, "Campaign") == 1
                    && hosted(v, "StatisticsPartition") == partitions, Duration.ofMinutes(3));
            recovery = (System.nanoTime() - k) / 1e9;
            say.accept(String.format("every shard runs again %.1f s after the kill", recovery));
        }
        NodeClient live = liveClient(cluster, clients);
        JsonNode status = live.await("/api/campaigns/bench-1", s -> CampaignState.Status.fromJson(s.get("state").asText()) != CampaignState.Status.RUNNING,
                Duration.ofMinutes(20));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long events = journalEvents(cluster) - events0;
        long planned = (long) o.arrays() * o.reads();
        long[] counted = count(live, o.reads());
        String brokerKilled = null;
        long lost = counted[1];
        if (o.killOne()) {
            live.post("/api/campaigns", campaign("bench-2", "keep", ids));
            live.await("/api/campaigns/bench-2", s -> s.get("step").asInt() >= o.reads() / 3, Duration.ofMinutes(5));
            LocalCluster.Part broker = cluster.brokers().get(1);
            brokerKilled = broker.name();
            say.accept("kill -9 " + brokerKilled + " (pid " + broker.pid() + ") during a second campaign");
            cluster.kill(broker);
            live.await("/api/campaigns/bench-2", s -> CampaignState.Status.fromJson(s.get("state").asText()) != CampaignState.Status.RUNNING, Duration.ofMinutes(20));
            long[] second = count(live, 2 * o.reads());
            lost = second[1];
            counted = new long[] {counted[0], second[1], second[2], second[0] - counted[0]};
        }
        double cells = (double) planned * o.rows() * o.cols();
        return new Result(cluster.nodes().size(), cluster.brokers().size(), "postgres", planned, counted[0], counted[2],
                killed, recovery, status.get("state").asText(), brokerKilled, lost, cells / seconds, events / seconds,
                seconds, o.arrays(), o.rows() * o.cols());
    }

    /** Partitions of the topic: enough for every node to own some. */
    private int partitions() {
        return Math.max(6, o.nodes() * 2);
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private String campaign(String id, String pattern, CharSequence ids) {
        return "{\"id\":\"" + id + "\",\"arrays\":[" + ids + "],\"program\":{\"pattern\":\"" + pattern + "\"},"
                + "\"interval_seconds\":60,\"reads\":" + o.reads() + ",\"acceleration\":" + o.acceleration() + "}";
    }

    /** {applied in the first campaign, lost, applied twice}: per array, frames counted against the reads expected. */
    private long[] count(NodeClient c, int expectedPerArray) throws Exception {
        long applied = 0;
        long lost = 0;
        long twice = 0;
        for (int i = 1; i <= o.arrays(); i++) {
            String path = "/api/statistics/bench-" + i;
            JsonNode s = c.await(path, r -> r.get("frames_applied").asLong() >= expectedPerArray, Duration.ofSeconds(60));
            long a = s.get("frames_applied").asLong();
            applied += a;
            lost += Math.max(0, expectedPerArray - a);
            twice += Math.max(0, a - expectedPerArray);
        }
        return new long[] {applied, lost, twice};
    }

    private static int hosted(JsonNode cluster, String type) {
        int n = 0;
        for (JsonNode at : cluster.get("entities").get(type)) {
            n += at.get("entities").asInt();
        }
        return n;
    }

    private static int hostOfCampaign(LocalCluster cluster, NodeClient c) throws Exception {
        JsonNode entities = c.get("/api/cluster").get("entities").get("Campaign");
        for (int i = 0; i < cluster.nodes().size(); i++) {
            JsonNode at = entities.get("pekko://rramlab@127.0.0.1:" + cluster.nodes().get(i).ports().get("cluster"));
            if (at != null && at.get("entities").asInt() > 0) {
                return i;
            }
        }
        throw new IllegalStateException("the campaign runs on no node: " + entities);
    }

    private static NodeClient liveClient(LocalCluster cluster, List<NodeClient> clients) {
        for (int i = 0; i < clients.size(); i++) {
            if (cluster.nodes().get(i).alive()) {
                return clients.get(i);
            }
        }
        throw new IllegalStateException("no node alive");
    }

    /** Rows in the journal's event table (the JDBC plugin's event_journal). */
    private static long journalEvents(LocalCluster cluster) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", LocalPostgres.USER);
        try (Connection c = DriverManager.getConnection(cluster.postgres().url(), p); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM event_journal")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
