package org.rramlab.node;

import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.DataDirLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real node on embedded defaults: broker, H2 journal, cluster, HTTP on a free port. */
class LabNodeTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    static final String OPERATOR = "test-operator-token";
    static final String VIEWER = "test-viewer-token";
    static final Map<String, String> TOKENS = Map.of(
            "rramlab.http.tokens.operator", "[" + OPERATOR + "]", "rramlab.http.tokens.viewer", "[" + VIEWER + "]");

    private Config config() {
        Map<String, String> overrides = new java.util.HashMap<>(TOKENS);
        overrides.put("rramlab.data-dir", ConfigUtil.quoteString(dataDir.toString()));
        overrides.put("rramlab.http.port", "0");
        return LabConfig.load(overrides, Map.of());
    }

    @Test
    void bootsOnEmbeddedDefaultsTurnsReadyCarriesRecordsAndRefusesASecondNode() throws Exception {
        try (LabNode node = LabNode.start(config())) {
            JsonNode ready = awaitReady(node);
            assertEquals("up", ready.at("/parts/broker/state").asText());
            assertEquals("up", ready.at("/parts/journal/state").asText());
            assertEquals("up", ready.at("/parts/actor_system/state").asText());
            assertEquals(200, get(node, "/health").statusCode());
            assertTrue(Files.exists(dataDir.resolve("kafka/meta.properties")), "broker log under the data dir");
            assertTrue(Files.list(dataDir.resolve("journal")).findAny().isPresent(), "journal under the data dir");

            String bootstrap = node.bootstrapServers();
            try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers", bootstrap),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("rram.node-test", "array-7", "hello")).get(30, TimeUnit.SECONDS);
            }
            try (var consumer = new KafkaConsumer<String, String>(Map.of("bootstrap.servers", bootstrap,
                    "group.id", "node-test", "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("rram.node-test"));
                String seen = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (seen == null && System.nanoTime() < deadline) {
                    for (var r : consumer.poll(Duration.ofMillis(200))) {
                        seen = r.key() + "=" + r.value();
                    }
                }
                assertEquals("array-7=hello", seen);
            }

            var refused = assertThrows(DataDirLock.DataDirInUseException.class, () -> LabNode.start(config()));
            assertTrue(refused.getMessage().contains(dataDir.toString()), refused.getMessage());
            assertTrue(refused.getMessage().contains("--data-dir"), "says what to do: " + refused.getMessage());
            // the refused node touched nothing: the first is still ready
            assertTrue(node.readiness().toCompletableFuture().join().ready());
        }
    }

    @Test
    void eventSourcedHistoryComesBackAfterARestart() throws Exception {
        try (LabNode node = LabNode.start(config())) {
            awaitReady(node);
            JsonNode history = JSON.readTree(get(node, "/api/node").body());
            assertEquals(1, history.get("starts").asInt());
            assertTrue(history.get("running").asBoolean());
        }
        try (LabNode node = LabNode.start(config())) {
            awaitReady(node);
            JsonNode history = JSON.readTree(get(node, "/api/node").body());
            assertEquals(2, history.get("starts").asInt(), "both starts recovered from the H2 journal");
            assertEquals(0, history.get("unclean_stops").asInt(), "the first node stopped cleanly");
            assertEquals(2, history.get("recent").size());
        }
    }

    @Test
    void theApiAnswersJsonForStatisticsPresetsAndErrors() throws Exception {
        try (LabNode node = LabNode.start(config())) {
            awaitReady(node);
            node.pipeline().get(60, TimeUnit.SECONDS);
            HttpResponse<String> r = get(node, "/no-such-thing");
            assertEquals(404, r.statusCode());
            assertFalse(JSON.readTree(r.body()).get("error").asText().isEmpty());

            HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.httpPort() + "/api/statistics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), "reads need a token");
            HttpResponse<String> viewerWrites = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.httpPort() + "/api/statistics/preset?name=x")).header("Authorization", "Bearer " + VIEWER)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, viewerWrites.statusCode(), "changes need the operator role");
            HttpResponse<String> measurement = get(node, "/api/measurement");
            assertEquals(200, measurement.statusCode(), measurement.body());
            assertEquals(0, JSON.readTree(measurement.body()).get("waiting").asInt());
            HttpResponse<String> stats = get(node, "/api/statistics");
            assertEquals(200, stats.statusCode(), stats.body());
            assertEquals(0, JSON.readTree(stats.body()).get("frames_applied").asInt());
            HttpResponse<String> unknown = get(node, "/api/statistics/no-such-array");
            assertEquals(404, unknown.statusCode());
            assertTrue(JSON.readTree(unknown.body()).get("error").asText().contains("no-such-array"));

            HttpResponse<String> badName = post(node, "/api/statistics/preset?name=../../etc");
            assertEquals(400, badName.statusCode(), badName.body());
            assertTrue(JSON.readTree(badName.body()).get("error").asText().contains("not allowed"));
            HttpResponse<String> written = post(node, "/api/statistics/preset?name=fitted-1");
            assertEquals(201, written.statusCode(), written.body());
            Path file = Path.of(JSON.readTree(written.body()).get("path").asText());
            assertEquals(dataDir.resolve("presets/fitted-1.conf"), file);
            assertEquals("fitted-1", org.rramlab.device.DevicePreset.load(file.toString()).name());
        }
    }

    /** POST with the operator token. */
    static HttpResponse<String> post(LabNode node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .header("Authorization", "Bearer " + OPERATOR)
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode awaitReady(LabNode node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        HttpResponse<String> last = get(node, "/ready");
        while (last.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            last = get(node, "/ready");
        }
        assertEquals(200, last.statusCode(), "node turned ready: " + last.body());
        JsonNode body = JSON.readTree(last.body());
        assertTrue(body.get("ready").asBoolean());
        return body;
    }

    /** GET with the viewer token (the open endpoints ignore it). */
    static HttpResponse<String> get(LabNode node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .header("Authorization", "Bearer " + VIEWER)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
