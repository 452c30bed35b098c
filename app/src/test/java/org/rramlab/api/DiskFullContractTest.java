package org.rramlab.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigUtil;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.app.node.LabNode;
import org.rramlab.node.LabConfig;

/**
 * A node whose data directory is "low on space" from the start (min-free above any disk): every
 * operation of the OpenAPI document that adds work answers 507, and the document allows it (the
 * response validates against the document's schema for 507); those that lessen work (pause, stop,
 * abort, cancel) are not refused. DiskFullTest runs the real full disk; this checks the contract.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DiskFullContractTest {
    static final String OPERATOR = "disk-contract-operator-0123";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    @Test
    void everyOperationThatAddsWorkDocuments507AndAnswersIt() throws Exception {
        Map<String, String> o = new HashMap<>();
        o.put("rramlab.http.tokens.operator", "[" + OPERATOR + "]");
        o.put("rramlab.data-dir", ConfigUtil.quoteString(dir.resolve("data").toString()));
        o.put("rramlab.http.port", "0");
        // more than any disk has: the node is low on space from its first look
        o.put("rramlab.disk.min-free", "1000000000000000000");
        o.put("rramlab.disk.resume-free", "1000000000000000000");
        o.put("rramlab.disk.check-interval", "200ms");
        try (LabNode node = LabNode.start(LabConfig.load(o, Map.of()))) {
            String base = "http://127.0.0.1:" + node.httpPort();
            OpenApiContract contract = new OpenApiContract(send(base, "GET", "/api/openapi.json", null).body());
            List<String> wrong = new ArrayList<>();
            int refused = 0;
            for (String operation : contract.operations()) {
                String method = operation.substring(0, operation.indexOf(' '));
                if (!List.of("POST", "PUT", "PATCH").contains(method)) {
                    continue;
                }
                String path = operation.substring(operation.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "x-1");
                HttpResponse<String> r = sendUntilGuarded(base, method, path);
                boolean lessens = path.matches(".*/(pause|stop|abort|cancel)$");
                if (lessens) {
                    assertNotEquals(507, r.statusCode(), operation + " lessens work and is taken while low: " + r.body());
                    continue;
                }
                assertEquals(507, r.statusCode(), operation + ": " + r.body());
                assertTrue(r.body().contains("disk full"), r.body());
                wrong.addAll(contract.check(method, path, r.statusCode(), r.body()));
                refused++;
            }
            assertTrue(refused >= 6, "operations refused: " + refused);
            assertEquals(List.of(), wrong, "507 answers the document does not allow");
        }
    }

    /** The first look at the disk comes within a check interval of the start: until then a request may pass. */
    private static HttpResponse<String> sendUntilGuarded(String base, String method, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        HttpResponse<String> r = send(base, method, path, "{}");
        while (r.statusCode() != 507 && !path.matches(".*/(pause|stop|abort|cancel)$") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            r = send(base, method, path, "{}");
        }
        return r;
    }

    private static HttpResponse<String> send(String base, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + OPERATOR)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
