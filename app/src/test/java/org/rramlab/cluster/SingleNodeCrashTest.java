package org.rramlab.cluster;

import org.rramlab.app.cluster.LocalCluster;
import org.rramlab.app.cluster.NodeClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node on its embedded defaults (embedded Kafka, H2) in a child JVM: killed with SIGKILL
 * mid-campaign and started again, the campaign completes, its history records the crash and the
 * statistics count each read once; stopped cleanly mid-campaign (SIGTERM), no crash is recorded.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SingleNodeCrashTest {
    private static final String TOKEN = "single-node-test-token";

    @TempDir
    Path dir;

    private Process start(int port) throws Exception {
        List<String> cmd = LocalCluster.java("-Xmx512m", "run", "--data-dir", dir.resolve("data").toString(),
                "--port", Integer.toString(port));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()));
        LocalCluster.withoutInheritedSettings(pb.environment());
        pb.environment().put("RRAMLAB_HTTP_TOKENS_OPERATOR", "[\"" + TOKEN + "\"]");
        return pb.start();
    }

    private static List<JsonNode> crashes(JsonNode status) {
        List<JsonNode> out = new ArrayList<>();
        status.path("interruptions").forEach(i -> {
            if ("node-crash".equals(i.path("kind").asText())) {
                out.add(i);
            }
        });
        return out;
    }

    @Test
    void aNodeKilledMidCampaignRecordsTheCrashAndCountsEveryReadOnce() throws Exception {
        int port = LocalCluster.freePort();
        NodeClient node = new NodeClient("http://127.0.0.1:" + port, TOKEN);
        Process p = start(port);
        try {
            for (int i = 1; i <= 2; i++) {
                postWhenReady(node, "/api/arrays", "{\"id\":\"one-" + i + "\",\"kind\":\"simulated\",\"rows\":32,"
                        + "\"cols\":32,\"seed\":" + i + "}");
            }
            int reads = 40;
            node.post("/api/campaigns", "{\"id\":\"solo\",\"arrays\":[\"one-1\",\"one-2\"],\"program\":{\"pattern\":"
                    + "\"every-level\"},\"interval_seconds\":60,\"reads\":" + reads + ",\"acceleration\":60}");
            node.await("/api/campaigns/solo", s -> s.get("step").asInt() >= 8, Duration.ofSeconds(60));
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Thread.sleep(3000);
            p = start(port);
            JsonNode done = node.await("/api/campaigns/solo", s -> "completed".equals(s.path("state").asText()),
                    Duration.ofSeconds(150));
            List<JsonNode> crash = crashes(done);
            assertEquals(1, crash.size(), "one crash recorded: " + done.get("interruptions"));
            JsonNode c = crash.get(0);
            assertTrue(c.hasNonNull("from") && c.hasNonNull("to") && c.path("seconds").asDouble() >= 3,
                    "the crash spans the time the node was down: " + c);
            assertTrue(c.path("reads_delayed").asInt() >= 1, "reads fell due while it was down: " + c);
            JsonNode stats = node.await("/api/statistics", s -> s.get("frames_applied").asLong() >= 2L * reads,
                    Duration.ofSeconds(60));
            assertEquals(2L * reads, stats.get("frames_applied").asLong(), "each read counted once");
            assertEquals(2, stats.get("programmed_applied").asLong());

            // a clean stop (SIGTERM) mid-campaign is not a crash
            node.post("/api/campaigns", "{\"id\":\"solo-2\",\"arrays\":[\"one-1\",\"one-2\"],\"program\":{\"pattern\":"
                    + "\"keep\"},\"interval_seconds\":60,\"reads\":20,\"acceleration\":60}");
            node.await("/api/campaigns/solo-2", s -> s.get("step").asInt() >= 4, Duration.ofSeconds(60));
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the node stops on SIGTERM");
            p = start(port);
            JsonNode second = node.await("/api/campaigns/solo-2", s -> "completed".equals(s.path("state").asText()),
                    Duration.ofSeconds(120));
            assertEquals(0, crashes(second).size(), "a clean stop is no crash: " + second.get("interruptions"));
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void postWhenReady(NodeClient node, String path, String body) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (true) {
            try {
                node.post(path, body);
                return;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }
}
