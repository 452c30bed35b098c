package org.rramlab.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigUtil;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.node.LabConfig;

/**
 * A test against a whole node on loopback through its HTTP API, as a client sees it: a data
 * directory of its own, an operator and a viewer token, the archive flushing every 200 ms; the
 * calls, the downloads (exports) and the waiting every such test does.
 */
public abstract class LiveNodeFixture {
    public static final String OPERATOR = "live-operator-token";
    public static final String VIEWER = "live-viewer-token";
    public static final HttpClient HTTP = HttpClient.newHttpClient();
    public static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    protected Path dir;

    /** The node's base URL, once started. */
    protected String base;

    /**
     * The settings of a node under test: the two tokens, its data dir, a free HTTP port, the archive
     * flushing every 200 ms; a map to add to.
     */
    public static Map<String, String> settings(String operator, String viewer, Path dataDir) {
        Map<String, String> o = new HashMap<>();
        o.put("rramlab.http.tokens.operator", "[" + operator + "]");
        o.put("rramlab.http.tokens.viewer", "[" + viewer + "]");
        o.put("rramlab.data-dir", ConfigUtil.quoteString(dataDir.toString()));
        o.put("rramlab.http.port", "0");
        o.put("rramlab.archive.flush-interval", "200ms");
        return o;
    }

    /** A node on {@code dir/data} with the settings here and {@code more}; not awaited. */
    protected LabNode start(Map<String, String> more) {
        Map<String, String> o = settings(OPERATOR, VIEWER, dir.resolve("data"));
        o.putAll(more);
        LabNode node = LabNode.start(LabConfig.load(o, Map.of()));
        base = "http://127.0.0.1:" + node.httpPort();
        return node;
    }

    /** Until the node says it is ready: broker, journal, actor system and archive (90 s at most). */
    public static void awaitReady(LabNode node) throws Exception {
        await("ready", Duration.ofSeconds(90), () -> node.readiness().toCompletableFuture().join().ready());
    }

    protected HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET as the viewer, the body as JSON whatever the status. */
    protected JsonNode json(String path) throws Exception {
        return JSON.readTree(call("GET", path, VIEWER, null).body());
    }

    /** GET as the viewer, which must answer 200. */
    protected JsonNode jsonOk(String path) throws Exception {
        HttpResponse<String> r = call("GET", path, VIEWER, null);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** GET as the viewer into {@code file} (an export: HDF5 or CSV), which must answer 200. */
    protected Path download(String path, Path file) throws Exception {
        HttpResponse<Path> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + VIEWER).build(), HttpResponse.BodyHandlers.ofFile(file));
        assertEquals(200, r.statusCode(), path);
        return file;
    }

    protected static void await(String what, Duration timeout, Check done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    protected interface Check {
        boolean ok() throws Exception;
    }
}
