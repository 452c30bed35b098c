package org.rramlab.node;

import org.rramlab.app.node.LabNode;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The role rules, operation by operation, on a real node's routes, driven by the OpenAPI document
 * that node serves (a route added to the document is covered without touching this test). For
 * every operation that changes something (POST, PUT, PATCH, DELETE): 401 without a token, 403 with
 * a viewer token, 401 with an operator token sent only as {@code ?access_token=} (the query token
 * is for the read-only streams, which a browser cannot give a header), and the route is really
 * there (an operator's call is not the router's "no such resource" 404 or a 405). Every read that
 * the document says needs a token answers 401 without one.
 */
class AuthTableTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> CHANGES = Set.of("post", "put", "patch", "delete");
    /** What the router answers when no route matched the path: no route of ours says this. */
    static final String NO_ROUTE = "The requested resource could not be found.";

    @TempDir
    static Path dataDir;
    static LabNode node;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> overrides = new HashMap<>(LabNodeTest.TOKENS);
        overrides.put("rramlab.data-dir", ConfigUtil.quoteString(dataDir.toString()));
        overrides.put("rramlab.http.port", "0");
        node = LabNode.start(LabConfig.load(overrides, Map.of()));
        LabNodeTest.awaitReady(node);
        node.pipeline().get(60, TimeUnit.SECONDS); // arrays, campaigns and deployments answer from here on
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** An operation of the document, with the names of its query parameters. */
    record Operation(String method, String path, boolean secured, List<String> query) {
        /** The path with every path parameter and query parameter set to "auth-table". */
        String concretePath() {
            String concrete = path.replaceAll("\\{[^}]+}", "auth-table");
            return query.isEmpty() ? concrete
                    : concrete + "?" + String.join("&", query.stream().map(q -> q + "=auth-table").toList());
        }

        /** The same with a token in the query string. */
        String withQueryToken(String token) {
            String concrete = concretePath();
            return concrete + (concrete.contains("?") ? "&" : "?") + "access_token=" + token;
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @Test
    void everyChangeNeedsAnOperatorTokenInTheHeaderAndEveryGuardedReadAToken() throws Exception {
        HttpResponse<String> spec = send("GET", "/api/openapi.json", Map.of(), null);
        assertEquals(200, spec.statusCode(), "the node serves its OpenAPI document without a token");
        List<Operation> operations = operations(JSON.readTree(spec.body()));
        List<Operation> changes = operations.stream().filter(o -> CHANGES.contains(o.method())).toList();
        assertTrue(changes.size() >= 10, "the document lists the node's changes: " + changes);

        List<String> failures = new ArrayList<>();
        for (Operation op : changes) {
            String method = op.method().toUpperCase();
            String path = op.concretePath();
            if (!op.secured()) {
                failures.add(op + ": the document says it needs no token");
            }
            expect(failures, op, "no token", 401, send(method, path, Map.of(), "{}"));
            expect(failures, op, "a viewer token", 403, send(method, path, bearer(LabNodeTest.VIEWER), "{}"));
            expect(failures, op, "an operator token in the query", 401,
                    send(method, op.withQueryToken(LabNodeTest.OPERATOR), Map.of(), "{}"));
            expect(failures, op, "an operator token in the query next to a viewer's header", 403,
                    send(method, op.withQueryToken(LabNodeTest.OPERATOR), bearer(LabNodeTest.VIEWER), "{}"));
            // the route exists: an operator's malformed call reaches it and is refused for what it is
            HttpResponse<String> operator = send(method, path, bearer(LabNodeTest.OPERATOR), "{");
            String error = operator.statusCode() >= 400 ? JSON.readTree(operator.body()).path("error").asText() : "";
            if (operator.statusCode() == 405 || (operator.statusCode() == 404 && error.equals(NO_ROUTE))
                    || operator.statusCode() >= 500 || operator.statusCode() == 401 || operator.statusCode() == 403) {
                failures.add(op + ": an operator's call does not reach a route: " + operator.statusCode() + " " + error);
            }
        }
        int reads = 0;
        for (Operation op : operations) {
            if (op.method().equals("get") && op.secured()) {
                reads++;
                expect(failures, op, "no token", 401, send("GET", op.concretePath(), Map.of(), null));
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(reads >= 10, "the document lists the node's guarded reads");
        System.out.println("auth table: " + changes.size() + " changes, " + reads + " guarded reads checked");
    }

    /** Every operation in the document, with whether it needs a token (its own security, else the document's). */
    static List<Operation> operations(JsonNode openapi) {
        boolean securedByDefault = openapi.path("security").size() > 0;
        List<Operation> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openapi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> o = ops.next();
                if (Set.of("get", "head", "post", "put", "patch", "delete").contains(o.getKey())) {
                    JsonNode security = o.getValue().get("security");
                    boolean secured = security == null ? securedByDefault : security.size() > 0;
                    List<String> query = new ArrayList<>();
                    for (JsonNode parameter : o.getValue().path("parameters")) {
                        if (parameter.path("in").asText().equals("query")) {
                            query.add(parameter.path("name").asText());
                        }
                    }
                    out.add(new Operation(o.getKey(), p.getKey(), secured, List.copyOf(query)));
                }
            }
        }
        return out;
    }

    static void expect(List<String> failures, Operation op, String with, int status, HttpResponse<String> r) {
        if (r.statusCode() != status) {
            failures.add(op + " with " + with + ": " + r.statusCode() + ", not " + status + ": " + r.body());
        }
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    static HttpResponse<String> send(String method, String path, Map<String, String> headers, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
