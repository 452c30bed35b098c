package org.rramlab.app.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The node-loss scenario's set-up, shared by {@code NodeLossTest} and {@code rramlab bench failover}
 * (so that the test and the benchmark run the same thing): three node processes, PostgreSQL, the
 * given brokers, six statistics partitions, simulated arrays of 16 x 16 and a campaign reading every
 * one of them every 2 s; ready when the campaign has taken two reads and every entity runs, the
 * arrays on at least two nodes. {@link #startCampaign} alone is the campaign of the single-node
 * fault tests.
 */
public final class ThreeNodeCluster {
    /** A read every 60 s of array time at 30 times wall time: every 2 s. */
    public static final int INTERVAL_SECONDS = 60;
    public static final int ACCELERATION = 30;

    private ThreeNodeCluster() {}

    /** Starts the cluster and the campaign {@code campaignId} over {@code arrays} arrays {@code prefix}-1..n. */
    public static LocalCluster start(Path dir, int brokers, Map<String, String> nodeConfig, int arrays, String prefix,
                                     String campaignId, Consumer<String> say) throws Exception {
        LocalCluster cluster = LocalCluster.start(dir, new LocalCluster.Options(3, brokers, 6, "-Xmx512m", "-Xmx320m",
                nodeConfig), say, Duration.ofMinutes(4));
        try {
            NodeClient first = new NodeClient(cluster.url(cluster.nodes().get(0)), cluster.operatorToken());
            // more reads than any run takes: the campaign runs through every kill
            startCampaign(first, prefix, arrays, campaignId, 100_000, ACCELERATION);
            first.await("/api/campaigns/" + campaignId, s -> s.get("step").asInt() >= 2, Duration.ofSeconds(120));
            first.await("/api/cluster", v -> v.get("members").size() == 3 && count(v, "Array") == arrays
                    && count(v, "Campaign") == 1 && count(v, "StatisticsPartition") == 6
                    && v.get("entities").get("Array").size() >= 2, Duration.ofSeconds(120));
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Registers simulated arrays of 16 x 16 {@code prefix}-1..{@code arrays} (seeds 1..n) and starts a campaign
     * that programs every level and reads them all {@code reads} times, a read every
     * {@value #INTERVAL_SECONDS} s of array time at {@code acceleration} times wall time; returns the array ids.
     */
    public static List<String> startCampaign(NodeClient api, String prefix, int arrays, String campaignId, long reads,
                                             int acceleration) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= arrays; i++) {
            String id = prefix + "-" + i;
            api.post("/api/arrays", "{\"id\":\"" + id + "\",\"kind\":\"simulated\",\"rows\":16,\"cols\":16,\"seed\":" + i + "}");
            ids.add('"' + id + '"');
        }
        api.post("/api/campaigns", "{\"id\":\"" + campaignId + "\",\"arrays\":[" + String.join(",", ids) + "],"
                + "\"program\":{\"pattern\":\"every-level\"},\"interval_seconds\":" + INTERVAL_SECONDS + ",\"reads\":"
                + reads + ",\"acceleration\":" + acceleration + "}");
        return ids.stream().map(s -> s.substring(1, s.length() - 1)).toList();
    }

    /** Entities of {@code type} over the nodes of a {@code GET /api/cluster} answer. */
    public static int count(JsonNode view, String type) {
        int n = 0;
        for (JsonNode at : view.path("entities").path(type)) {
            n += at.path("entities").asInt();
        }
        return n;
    }
}
