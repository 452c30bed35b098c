package org.rramlab.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.app.cluster.NodeClient;
import org.rramlab.app.cluster.ThreeNodeCluster;
import org.rramlab.app.node.LabNode;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.TestKafka;
import org.rramlab.node.LabConfig;

/**
 * A node whose broker goes away for three times the producer's delivery timeout while a campaign
 * reads simulated arrays: the campaign suspends and says why, and once the broker is back it
 * resumes by itself and the producer's backlog drains; then every read the
 * arrays took is on the topic (copies only of the same frame), counted once by the statistics and
 * archived once.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BrokerOutageTest {
    static final String OPERATOR = "outage-operator-token";
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(4);
    static final Duration OUTAGE = DELIVERY_TIMEOUT.multipliedBy(3);
    static final int ARRAYS = 3;
    static final int READS = 40;

    @TempDir
    Path dataDir;
    @TempDir
    Path kafkaDir;

    @Test
    void aBrokerDownLongerThanTheDeliveryTimeoutLosesNoReadAndTheCampaignResumesByItself() throws Exception {
        try (TestKafka kafka = new TestKafka(kafkaDir); LabNode node = start(kafka.bootstrapServers())) {
            NodeClient api = new NodeClient("http://127.0.0.1:" + node.httpPort(), OPERATOR);
            // a read of every array each 0.5 s
            ThreeNodeCluster.startCampaign(api, "out", ARRAYS, "outage", READS, 120);
            api.await("/api/campaigns/outage", s -> s.get("step").asInt() >= 5, Duration.ofSeconds(60));

            long stopped = System.nanoTime();
            kafka.stop();
            JsonNode suspended = api.await("/api/campaigns/outage", s -> "suspended".equals(s.get("state").asText()),
                    Duration.ofSeconds(30));
            String why = suspended.get("last_error").asText();
            assertTrue(why.contains(ArrayActor.NOT_PUBLISHED) && why.contains("Kafka"), "the status says why: " + suspended);
            int stepAtStop = suspended.get("step").asInt();
            sleepUntil(stopped + OUTAGE.toNanos());
            JsonNode during = api.get("/api/campaigns/outage");
            assertEquals("suspended", during.get("state").asText(), "still suspended while the broker is away: " + during);
            assertEquals(stepAtStop, during.get("step").asInt(), "no step recorded while Kafka has none of it");
            // Kafka's idempotent producer does not expire these batches while it cannot reach any broker for
            // a new producer id (its sender waits for that first); the frames are held by the arrays either way
            JsonNode producer = api.get("/api/measurement");

            kafka.start();
            long back = System.nanoTime();
            api.await("/api/campaigns/outage", s -> "running".equals(s.get("state").asText())
                    && s.get("step").asInt() > stepAtStop || "completed".equals(s.get("state").asText()), Duration.ofSeconds(90));
            double resumed = (System.nanoTime() - back) / 1e9;
            JsonNode done = api.await("/api/campaigns/outage", s -> "completed".equals(s.get("state").asText()),
                    Duration.ofSeconds(120));
            double outage = (back - stopped) / 1e9;

            // every read the arrays took is on the topic, once (copies of a frame carry its values)
            for (int i = 1; i <= ARRAYS; i++) {
                JsonNode a = api.get("/api/arrays/out-" + i);
                assertEquals(READS, a.get("reads").asLong(), "reads the array took: " + a);
                assertEquals(0, a.get("unpublished").asInt(), "no frame held back any more: " + a);
                CampaignTest.assertOneFramePerRead(kafka.bootstrapServers(), "out-" + i, READS, 60, 0);
            }
            JsonNode drained = api.await("/api/measurement", m -> m.get("waiting").asInt() == 0
                    && m.get("in_flight").asInt() == 0, Duration.ofSeconds(60));
            long planned = (long) ARRAYS * READS;
            JsonNode stats = api.await("/api/statistics", s -> s.get("frames_applied").asLong() >= planned,
                    Duration.ofSeconds(60));
            assertEquals(planned, stats.get("frames_applied").asLong(), "each read counted once");
            JsonNode archived = api.await("/api/campaigns/outage/archive",
                    s -> s.path("frames_archived").asLong() >= planned, Duration.ofSeconds(60));
            assertEquals(planned, archived.get("frames_archived").asLong(), "each read archived once: " + archived);
            assertEquals(planned, archived.get("frames_taken").asLong(), archived.toString());
            boolean recorded = false;
            for (JsonNode i : done.get("interruptions")) {
                recorded |= i.get("reason").asText().contains(ArrayActor.NOT_PUBLISHED) && !i.get("to").isNull();
            }
            assertTrue(recorded, "the outage is in the campaign's history: " + done.get("interruptions"));
            System.out.printf("broker outage %.1f s (delivery timeout %d s): %d of %d reads on the topic, counted and"
                            + " archived; campaign running again %.1f s after the broker was back; producer during the"
                            + " outage %s, after %s; load %s%n", outage, DELIVERY_TIMEOUT.toSeconds(), planned, planned,
                    resumed, producer, drained,
                    Files.readString(Path.of("/proc/loadavg")).trim());
        }
    }

    private LabNode start(String bootstrap) throws Exception {
        Map<String, String> o = new HashMap<>();
        o.put("rramlab.http.tokens.operator", "[" + OPERATOR + "]");
        o.put("rramlab.data-dir", ConfigUtil.quoteString(dataDir.toString()));
        o.put("rramlab.http.port", "0");
        o.put("rramlab.kafka.bootstrap-servers", ConfigUtil.quoteString(bootstrap));
        o.put("rramlab.measurement.delivery-timeout", DELIVERY_TIMEOUT.toMillis() + "ms");
        o.put("rramlab.archive.flush-interval", "200ms");
        // an outage is noticed in seconds and tried again each second
        o.put("rramlab.array.publish-timeout", "2s");
        o.put("rramlab.array.publish-attempts", "2");
        o.put("rramlab.array.publish-backoff", "200ms");
        o.put("rramlab.campaign.probe-interval", "1s");
        // shorter than a read that waits for Kafka (2 s x 2 tries): the campaign asks again while the first
        // is still trying, and the repeats must neither take a read twice nor hide why the step failed
        o.put("rramlab.campaign.attempt-timeout", "1s");
        LabNode node = LabNode.start(LabConfig.load(o, Map.of()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!node.readiness().toCompletableFuture().join().ready()) {
            if (System.nanoTime() > deadline) {
                node.close();
                throw new IllegalStateException("the test node did not get ready in 90 s");
            }
            Thread.sleep(100);
        }
        return node;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
