package org.rramlab.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.http.JsonParsingErrors;

/**
 * Bad input gets a 4xx with a JSON message, never a 5xx: 1,000 malformed requests (bad JSON,
 * wrong types, unknown fields, huge bodies, bad paths and cursors, bad tokens, raw garbage).
 * Also the role rules: reads need a viewer, changes an operator, and what stays open.
 */
class MalformedRequestsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static ApiNode api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiNode.start(dataDir, Map.of(JsonParsingErrors.CONFIG_KEY, JsonParsingErrors.class.getName()));
        // one real array, so bad specs can name it and still be refused for what else is wrong
        var r = api.call("POST", "/api/arrays", ApiNode.OPERATOR,
                "{\"id\":\"sim-m\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,\"seed\":3}");
        assertEquals(201, r.statusCode(), r.body());
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void readsNeedAViewerChangesAnOperatorAndTheDashboardHealthAndOpenApiStayOpen() throws Exception {
        HttpResponse<String> none = api.call("GET", "/api/statistics", null, null);
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertTrue(JSON.readTree(none.body()).path("error").asText().contains("Bearer"), none.body());
        assertEquals(401, api.call("GET", "/api/statistics", "not-a-token", null).statusCode());
        assertEquals(200, api.call("GET", "/api/statistics", ApiNode.VIEWER, null).statusCode());
        assertEquals(200, api.call("GET", "/api/statistics", ApiNode.OPERATOR, null).statusCode());
        assertEquals(200, api.call("GET", "/api/campaigns", ApiNode.VIEWER, null).statusCode());

        HttpResponse<String> viewerPause = api.call("POST", "/api/campaigns/any/pause", ApiNode.VIEWER, null);
        assertEquals(403, viewerPause.statusCode());
        assertTrue(JSON.readTree(viewerPause.body()).path("error").asText().contains("operator"), viewerPause.body());
        assertEquals(401, api.call("POST", "/api/campaigns/any/pause", null, null).statusCode());
        assertEquals(404, api.call("POST", "/api/campaigns/any/pause", ApiNode.OPERATOR, null).statusCode());

        assertEquals(200, api.call("GET", "/health", null, null).statusCode());
        HttpResponse<String> page = api.call("GET", "/", null, null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertEquals(200, api.call("GET", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", null, null).statusCode());
        assertEquals(200, api.call("GET", "/dashboard/app.js", null, null).statusCode());
        HttpResponse<String> spec = api.call("GET", "/api/openapi.json", null, null);
        assertEquals(200, spec.statusCode());
        JsonNode openapi = JSON.readTree(spec.body());
        assertTrue(openapi.path("openapi").asText().startsWith("3."));
        for (String p : List.of("/api/arrays", "/api/arrays/{id}", "/api/campaigns", "/api/campaigns/{id}",
                "/api/campaigns/{id}/pause", "/api/campaigns/{id}/resume", "/api/campaigns/{id}/abort",
                "/api/statistics", "/api/statistics/{arrayId}", "/api/statistics/preset", "/api/streams/events",
                "/api/streams/ws", "/api/node", "/health", "/ready", "/api/openapi.json")) {
            assertTrue(openapi.path("paths").has(p), "the OpenAPI document covers " + p);
        }
        HttpResponse<String> unknown = api.call("GET", "/no/such/page", null, null);
        assertEquals(404, unknown.statusCode());
        assertTrue(JSON.readTree(unknown.body()).has("error"));
    }

    @Test
    void aThousandMalformedRequestsAllGet4xx() throws Exception {
        Random random = new Random(6);
        List<String> badBodies = List.of("", "{", "{\"id\":", "nul", "[]", "\"text\"", "42", "{\"id\":1e999999}",
                "{\"id\":\"x\",\"kind\":[],\"rows\":\"many\",\"cols\":{},\"seed\":\"one\"}",
                "{\"id\":5,\"kind\":\"simulated\",\"rows\":-4,\"cols\":4,\"seed\":1}",
                "{\"id\":\"y\",\"kind\":\"quantum\",\"rows\":4,\"cols\":4,\"seed\":1}",
                "{\"id\":\"z\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,\"seed\":1,\"colour\":\"red\"}",
                "{\"id\":\"a/b\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,\"seed\":1}",
                "{\"arrays\":\"sim-m\",\"interval_seconds\":10,\"reads\":3}",
                "{\"arrays\":[\"sim-m\"],\"interval_seconds\":\"soon\",\"reads\":3}",
                "{\"arrays\":[\"sim-m\"],\"interval_seconds\":10,\"reads\":3,\"unknown\":true}",
                "{\"arrays\":[\"sim-m\"],\"interval_seconds\":10,\"reads\":-3}",
                "{\"arrays\":[\"sim-m\"],\"interval_seconds\":10,\"reads\":3,\"program\":{\"pattern\":\"zigzag\"}}",
                "{\"arrays\":[null],\"interval_seconds\":10,\"reads\":3}",
                "{\"id\":\"\\u0000\",\"arrays\":[\"sim-m\"],\"interval_seconds\":10,\"reads\":3}",
                "\u00ff\u00fe garbage \u0001", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
        List<String> badPaths = List.of("/api/campaigns/x/unknown", "/api/arrays/x/nothing", "/api/arrays/a/b/c",
                "/api/statistics/preset?name=../../etc", "/api/statistics/preset?name=", "/api/statistics/preset",
                "/api/campaigns/%20/pause", "/api/campaigns/x/abort?reason=" + "r".repeat(3000),
                "/api/nothing", "/api/streams/nothing", "/api", "/api/", "/dashboard/../../etc/passwd",
                "/webjars/../../../etc/passwd", "/api/campaigns/..%2F..%2Fetc/pause", "/api/deployments/x/nothing",
                "/api/deployments/none/osa-rounds", "/api/deployments/%20/check", "/api/training-jobs/none/cancel",
                "/api/models/..%2F..%2Fetc");
        List<String> badTokens = List.of("", "Bearer", "Bearer ", "Basic b3A6b3A=", "Bearer " + "x".repeat(5000),
                "bearer nope-nope-nope-nope", "Bearer " + ApiNode.VIEWER + "x", "Token " + ApiNode.OPERATOR);
        List<String> methods = List.of("POST", "PUT", "DELETE", "PATCH");
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (int i = 0; i < 1000; i++) {
            String what;
            HttpRequest.Builder b;
            int expected = 0; // 0: any 4xx; otherwise exactly this status
            int kind = i % 10;
            if (i % 100 == 9) { // ten times: a 9 MiB body, which must get a real 413 response with a message
                RawReply huge = hugeBody(9 << 20);
                sent++;
                statuses.merge(huge.status(), 1, Integer::sum);
                if (huge.status() != 413) {
                    failures.add(huge.status() + " (not 413) for POST /api/campaigns with a 9 MiB body: "
                            + abbreviate(huge.body()));
                } else if (JSON.readTree(huge.body()).path("error").asText().isBlank()) {
                    failures.add("no message with the 413 for a 9 MiB body: " + abbreviate(huge.body()));
                }
                continue;
            }
            if (kind <= 3) { // bad JSON, wrong types, unknown fields, invalid values: operator token
                String path = List.of("/api/arrays", "/api/campaigns", "/api/deployments", "/api/training-jobs")
                        .get(random.nextInt(4));
                String body = badBodies.get(random.nextInt(badBodies.size()));
                what = "POST " + path + " " + abbreviate(body);
                b = request(path).header("Authorization", "Bearer " + ApiNode.OPERATOR)
                        .header("Content-Type", random.nextBoolean() ? "application/json" : "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
            } else if (kind <= 5) { // bad paths, with a token that may use them
                String path = badPaths.get(random.nextInt(badPaths.size()));
                String method = random.nextBoolean() ? "GET" : "POST";
                what = method + " " + abbreviate(path);
                b = request(path).header("Authorization", "Bearer " + ApiNode.OPERATOR)
                        .method(method, HttpRequest.BodyPublishers.noBody());
            } else if (kind == 6) { // bad or missing tokens
                String header = badTokens.get(random.nextInt(badTokens.size()));
                String path = random.nextBoolean() ? "/api/statistics" : "/api/campaigns/x/pause";
                what = "token '" + abbreviate(header) + "' " + path;
                expected = 401;
                b = request(path).method(path.endsWith("pause") ? "POST" : "GET", HttpRequest.BodyPublishers.noBody());
                if (!header.isEmpty()) {
                    b.header("Authorization", header);
                }
            } else if (kind == 7) { // viewer tokens on changes, wrong methods
                String path = List.of("/api/arrays", "/api/campaigns", "/api/campaigns/x/resume",
                        "/api/statistics/preset?name=ok", "/api/deployments", "/api/training-jobs").get(random.nextInt(6));
                String method = methods.get(random.nextInt(methods.size()));
                boolean viewer = random.nextBoolean();
                what = method + " " + path + (viewer ? " as viewer" : " as operator");
                expected = viewer ? 403 : 0;
                b = request(path).header("Authorization", "Bearer " + (viewer ? ApiNode.VIEWER : ApiNode.OPERATOR))
                        .method(method, HttpRequest.BodyPublishers.ofString("{}"));
                if (!viewer && method.equals("POST")) {
                    // operator POSTs here are valid calls; make them wrong in another way
                    b.method("PATCH", HttpRequest.BodyPublishers.ofString("{}"));
                }
            } else if (kind == 8) { // bad stream cursors
                String path = random.nextBoolean() ? "/api/streams/events?last_event_id=" + List.of("abc", "1.5",
                        "-", "99999999999999999999999", "0x10").get(random.nextInt(5))
                        : "/api/streams/ws?since=" + List.of("yesterday", "1e3", "--1").get(random.nextInt(3));
                what = "GET " + path;
                b = request(path).header("Authorization", "Bearer " + ApiNode.VIEWER).GET();
            } else { // unknown fields in a real shape (the huge bodies are sent above)
                String body = "{\"id\":\"sim-" + i + "\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,\"seed\":1,\"f"
                        + random.nextInt(1000) + "\":" + random.nextInt() + "}";
                what = "POST /api/arrays " + body;
                b = request("/api/arrays").header("Authorization", "Bearer " + ApiNode.OPERATOR)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            }
            HttpResponse<String> r;
            try {
                r = ApiNode.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                // a dropped connection is no answer: the client must get a status and a message
                throw new AssertionError(what + ": no response, " + e, e);
            }
            sent++;
            statuses.merge(r.statusCode(), 1, Integer::sum);
            if (r.statusCode() < 400 || r.statusCode() >= 500 || (expected != 0 && r.statusCode() != expected)) {
                failures.add(r.statusCode() + (expected != 0 ? " (not " + expected + ")" : "") + " for " + what + ": "
                        + abbreviate(r.body()));
            } else if (!r.body().isEmpty() && r.headers().firstValue("Content-Type").orElse("").contains("json")) {
                JsonNode j = JSON.readTree(r.body());
                if (!j.hasNonNull("error") || j.path("error").asText().isBlank()) {
                    failures.add("no message for " + what + ": " + abbreviate(r.body()));
                }
            } else {
                failures.add("not JSON for " + what + ": " + r.headers().firstValue("Content-Type") + " " + abbreviate(r.body()));
            }
        }
        // request lines and headers no HTTP client would send
        for (String raw : List.of("GET /api/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /api/statistics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u0001\r\n\r\n",
                "POST /api/campaigns HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                "GARBAGE / HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nX-" + "h".repeat(20000) + ": 1\r\n\r\n")) {
            int status = rawStatus(raw);
            sent++;
            statuses.merge(status, 1, Integer::sum);
            if (status < 400 || status >= 500) {
                failures.add(status + " for raw " + abbreviate(raw));
            }
        }
        System.out.println("malformed requests: " + sent + " sent, statuses " + statuses);
        assertEquals(List.of(), failures);
        assertTrue(sent >= 1000);
        assertEquals(10, statuses.getOrDefault(413, 0), "each of the ten 9 MiB bodies answered 413: " + statuses);
        HttpResponse<String> list = api.call("GET", "/api/campaigns", ApiNode.VIEWER, null);
        assertEquals("[]", list.body().replace(" ", ""), "no malformed request created a campaign");
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(ApiNode.HTTP_BASE.get() + path)).timeout(Duration.ofSeconds(60));
    }

    static int rawStatus(String raw) throws Exception {
        URI base = URI.create(api.base);
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            int n;
            try {
                n = in.read(buf);
            } catch (java.net.SocketTimeoutException e) {
                return -1;
            }
            String line = new String(buf, 0, Math.max(0, n), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(line.substring(9, 12));
        }
    }

    /** A status line and the body that follows it, as read off the socket. */
    record RawReply(int status, String body) {}

    /**
     * POSTs a body of {@code size} bytes on a socket of its own, announcing it with Expect: 100-continue
     * (RFC 9110 10.1.1): a server that refuses it answers at once with its final status; one that says
     * 100 gets the body, written on another thread while the answer is read. Either way the answer must
     * be a response: a dropped connection fails (SocketException), as does silence (60 s).
     */
    static RawReply hugeBody(int size) throws Exception {
        URI base = URI.create(api.base);
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/campaigns HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: Bearer "
                    + ApiNode.OPERATOR + "\r\nContent-Type: application/json\r\nContent-Length: " + size
                    + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            int status = statusOf(line(in));
            Map<String, String> headers = headers(in);
            if (status == 100) {
                Thread writer = new Thread(() -> {
                    byte[] chunk = new byte[64 << 10];
                    java.util.Arrays.fill(chunk, (byte) '[');
                    try {
                        for (int sent = 0; sent < size; sent += chunk.length) {
                            out.write(chunk, 0, Math.min(chunk.length, size - sent));
                        }
                        out.flush();
                    } catch (java.io.IOException closed) {
                        // the server may stop reading once it has refused the body
                    }
                }, "huge-body");
                writer.setDaemon(true);
                writer.start();
                status = statusOf(line(in));
                headers = headers(in);
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            return new RawReply(status, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
    }

    private static int statusOf(String statusLine) {
        if (!statusLine.startsWith("HTTP/1.1 ")) {
            throw new AssertionError("not an HTTP status line: " + abbreviate(statusLine));
        }
        return Integer.parseInt(statusLine.substring(9, 12));
    }

    private static Map<String, String> headers(InputStream in) throws java.io.IOException {
        Map<String, String> headers = new java.util.HashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), h.substring(colon + 1).trim());
        }
        return headers;
    }

    private static String line(InputStream in) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new java.io.EOFException("the server closed the connection after " + abbreviate(b.toString()));
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
