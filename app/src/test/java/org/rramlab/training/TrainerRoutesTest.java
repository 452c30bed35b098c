package org.rramlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigUtil;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.learning.TestData;
import org.rramlab.node.LabConfig;
import org.rramlab.app.node.LabNode;

/** Models and training jobs through the node's own HTTP server, tokens and all. */
class TrainerRoutesTest {
    static final String OPERATOR = "op-train-token-0123456789";
    static final String VIEWER = "vw-train-token-0123456789";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    String base;

    record Reply(int status, JsonNode body) {}

    Reply call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    void assertRefused(String body, String mentions) throws Exception {
        Reply r = call("POST", "/api/training-jobs", OPERATOR, body);
        assertEquals(400, r.status(), body + " -> " + r.body());
        String error = r.body().path("error").asText();
        assertTrue(error.contains(mentions), "the message names the problem (" + mentions + "): " + error);
    }

    @Test
    void jobsAreSubmittedWatchedAndCancelledAndModelsListedWithTokensAndClearErrors() throws Exception {
        TestData.writeMnistLike(dataDir, 300, false, 3);
        try (LabNode node = LabNode.start(LabConfig.load(Map.of(
                "rramlab.data-dir", ConfigUtil.quoteString(dataDir.toString()), "rramlab.http.port", "0",
                "rramlab.http.tokens.operator", "[\"" + OPERATOR + "\"]",
                "rramlab.http.tokens.viewer", "[\"" + VIEWER + "\"]"), Map.of()))) {
            base = "http://127.0.0.1:" + node.httpPort();
            node.pipeline().get(2, TimeUnit.MINUTES);
            String job = "{\"kind\": \"teacher\", \"dataset\": \"mnist\", \"model\": \"http-teacher\","
                    + " \"architecture\": \"mlp\", \"epochs\": 2, \"batch_size\": 32, \"learning_rate\": 0.003,"
                    + " \"train_images\": 200}";

            assertEquals(401, call("POST", "/api/training-jobs", null, job).status(), "no token");
            Reply viewer = call("POST", "/api/training-jobs", VIEWER, job);
            assertEquals(403, viewer.status(), "a viewer may only read");
            assertTrue(viewer.body().path("error").asText().contains("operator token"));
            assertEquals(401, call("GET", "/api/training-jobs", null, null).status());

            assertRefused("", "no body");
            assertRefused("{not json", "bad JSON");
            assertRefused("[1, 2]", "JSON object");
            assertRefused("{\"kind\": \"teacher\", \"dataset\": \"mnist\", \"model\": \"x\", \"colour\": \"red\"}",
                    "unknown field \"colour\"");
            assertRefused("{\"kind\": \"teacher\", \"dataset\": \"mnist\", \"model\": \"x\", \"epochs\": 0}",
                    "epochs must be in 1..1000, got 0");
            assertRefused("{\"kind\": \"teacher\", \"dataset\": \"emnist\", \"model\": \"x\"}", "dataset: give");
            assertRefused("{\"kind\": \"kd\", \"dataset\": \"mnist\", \"model\": \"s\", \"teacher\": \"ghost\"}",
                    "no model 'ghost'");
            assertRefused("{\"kind\": \"teacher\", \"dataset\": \"mnist\", \"model\": \"../etc\"}", "is not usable");
            assertRefused("{\"kind\": \"teacher\", \"dataset\": \"mnist\", \"model\": \"x\", \"epochs\": \"many\"}",
                    "bad JSON");
            assertRefused("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "bad JSON");
            assertEquals(404, call("GET", "/api/models/..%2F..%2Fetc%2Fpasswd", VIEWER, null).status());
            assertEquals(405, call("DELETE", "/api/training-jobs", OPERATOR, null).status());
            assertEquals(0, call("GET", "/api/training-jobs", VIEWER, null).body().size(), "nothing refused was queued");

            Reply unknown = call("GET", "/api/training-jobs/job-9", VIEWER, null);
            assertEquals(404, unknown.status());
            assertTrue(unknown.body().path("error").asText().contains("GET /api/training-jobs lists the jobs"));
            assertEquals(404, call("POST", "/api/training-jobs/job-9/cancel", OPERATOR, null).status());

            Reply created = call("POST", "/api/training-jobs", OPERATOR, job);
            assertEquals(201, created.status(), created.body().toString());
            String id = created.body().path("id").asText();
            assertEquals("queued", created.body().path("state").asText());
            assertEquals(32, created.body().path("spec").path("batch_size").asInt(), "snake_case, as sent");

            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            JsonNode done = null;
            while (System.nanoTime() < deadline) {
                done = call("GET", "/api/training-jobs/" + id, VIEWER, null).body();
                if (done.path("state").asText().matches("done|failed|cancelled")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals("done", done.path("state").asText(), String.valueOf(done));
            assertEquals(2, done.path("progress").path("epoch").asInt());
            assertEquals("http-teacher", done.path("model_id").asText());
            assertEquals(1, call("GET", "/api/training-jobs", VIEWER, null).body().size());

            Reply again = call("POST", "/api/training-jobs/" + id + "/cancel", OPERATOR, null);
            assertEquals(409, again.status(), again.body().toString());
            assertTrue(again.body().path("error").asText().contains("already finished (done); nothing to cancel"));

            JsonNode models = call("GET", "/api/models", VIEWER, null).body();
            assertEquals(1, models.size(), models.toString());
            JsonNode m = models.get(0);
            assertEquals("http-teacher", m.path("id").asText());
            assertEquals("mlp", m.path("architecture").asText());
            assertEquals("mnist", m.path("dataset").asText());
            // the generated bars are easy: 1.0 seen after two epochs; chance is 0.1
            assertTrue(m.path("accuracy").asDouble() > 0.9, "easy data learned: " + m);
            assertEquals(done.path("accuracy").asDouble(), m.path("accuracy").asDouble(), 1e-9);
            assertTrue(m.hasNonNull("created"));
            Reply one = call("GET", "/api/models/http-teacher", VIEWER, null);
            assertEquals(200, one.status());
            assertEquals(2, one.body().path("training").path("epochs").asInt());
            assertEquals(200, one.body().path("training").path("train_images").asInt());
            assertEquals(28, one.body().path("size").asInt());
            assertEquals(404, call("GET", "/api/models/nope", VIEWER, null).status());
            assertRefused(job, "'http-teacher' exists already");

            // the routes after these still answer
            assertEquals(200, call("GET", "/api/campaigns", VIEWER, null).status());
            JsonNode openapi = call("GET", "/api/openapi.json", null, null).body();
            for (String p : new String[] {"/api/models", "/api/models/{id}", "/api/training-jobs",
                    "/api/training-jobs/{id}", "/api/training-jobs/{id}/cancel"}) {
                assertTrue(openapi.path("paths").has(p), "the OpenAPI document covers " + p);
            }
        }
    }
}
