package org.rramlab.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LiveNodeFixture;
import org.rramlab.node.LabConfig;
import org.slf4j.LoggerFactory;

/**
 * What a mistyped or hostile request must not do to a real node: lose data silently (a second,
 * different import under the same id), end in a 5xx (an unknown campaign's export), fill the disk
 * (an upload without a limit, temporary files left behind), read the server's files (a preset
 * path), brick an array (a campaign interval of 1e308), or show paths and secrets to anyone.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class HardeningTest {
    static final String OPERATOR = "hard-operator-token-0123";
    static final String VIEWER = "hard-viewer-token-0123";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HEADER = "array_id,sequence,array_time_s,row,col,conductance_s,target_level,suspect\n";
    static final long IMPORT_LIMIT = 64 * 1024;

    @TempDir
    static Path dir;
    static Path dataDir;
    static LabNode node;
    static String base;
    static final ListAppender<ILoggingEvent> LOGGED = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        dataDir = dir.resolve("data");
        // what a stop in the middle of an upload leaves behind
        Files.createDirectories(dataDir.resolve("tmp"));
        Files.writeString(dataDir.resolve("tmp").resolve("import-123.csv"), HEADER + "cut-off,1,0");
        Map<String, String> o = LiveNodeFixture.settings(OPERATOR, VIEWER, dataDir);
        o.put("rramlab.archive.import-max-bytes", String.valueOf(IMPORT_LIMIT));
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LOGGED.start();
        root.addAppender(LOGGED);
        node = LabNode.start(LabConfig.load(o, Map.of()));
        base = "http://127.0.0.1:" + node.httpPort();
        LiveNodeFixture.awaitReady(node);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGGED);
        if (node != null) {
            node.close();
        }
    }

    static HttpResponse<String> call(String method, String path, String token, String body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> json(String method, String path, String body) throws Exception {
        return call(method, path, "GET".equals(method) ? VIEWER : OPERATOR, body, "application/json");
    }

    static HttpResponse<String> importCsv(String array, String csv) throws Exception {
        return call("POST", "/api/arrays/" + array + "/import?format=csv", OPERATOR, csv, "text/csv");
    }

    /** Reads of a 2 x 2 block, one per sequence, conductances scaled by {@code scale}. */
    static String reads(String array, long firstSequence, int count, double scale) {
        StringBuilder s = new StringBuilder(HEADER);
        for (long q = firstSequence; q < firstSequence + count; q++) {
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 2; c++) {
                    s.append(array).append(',').append(q).append(',').append(q * 60.0).append(',').append(r).append(',')
                            .append(c).append(',').append(scale * (1 + r * 2 + c) * 1e-5).append(",,0\n");
                }
            }
        }
        return s.toString();
    }

    static List<Path> leftovers() throws Exception {
        Path tmp = dataDir.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("import-")).toList();
        }
    }

    @Test
    void aDifferentFileUnderAnImportedIdIsRefusedAndTheSameFileAgainChangesNothing() throws Exception {
        var first = importCsv("imp-1", reads("imp-1", 1, 3, 1.0));
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(3, JSON.readTree(first.body()).path("frames").asInt());
        var again = importCsv("imp-1", reads("imp-1", 1, 3, 1.0));
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(3, JSON.readTree(again.body()).path("frames").asInt(), "what the first import brought");
        assertTrue(JSON.readTree(again.body()).path("already_imported").asBoolean(), again.body());
        var other = importCsv("imp-1", reads("imp-1", 2, 3, 2.0));
        assertEquals(409, other.statusCode(), "overlapping sequences of a different file: " + other.body());
        assertTrue(other.body().contains("1..3") && other.body().contains("new array id"), other.body());
        var later = importCsv("imp-1", reads("imp-1", 4, 2, 2.0));
        assertEquals(201, later.statusCode(), "reads after the first file's: " + later.body());
        await("imp-1 archived", () -> JSON.readTree(json("GET", "/api/archive", null).body()).path("arrays")
                .path("imp-1").path("frames").asLong() == 5);
        Thread.sleep(500);
        assertEquals(5, JSON.readTree(json("GET", "/api/archive", null).body()).path("arrays").path("imp-1")
                .path("frames").asLong(), "nothing of the refused file was archived");
    }

    @Test
    void anUnknownCampaignsExportAndArchiveAre404WithoutAnErrorLogged() throws Exception {
        for (String path : List.of("/api/campaigns/no-such-campaign/export", "/api/campaigns/no-such-campaign/export?format=csv",
                "/api/campaigns/no-such-campaign/archive")) {
            var r = json("GET", path, null);
            assertEquals(404, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("no-such-campaign"), r.body());
        }
        assertTrue(LOGGED.list.stream().noneMatch(e -> e.getLevel() == Level.ERROR
                        && e.getFormattedMessage().contains("no-such-campaign")),
                "no ERROR line for a typo: " + LOGGED.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList());
    }

    @Test
    void anUploadOverTheLimitIs413AndNoTemporaryFileStays() throws Exception {
        assertEquals(List.of(), leftovers(), "a file a stop left behind is removed at start");
        String big = reads("imp-big", 1, 800, 1.0);
        assertTrue(big.length() > IMPORT_LIMIT);
        var r = importCsv("imp-big", big);
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.body().contains("import-max-bytes"), r.body());
        await("no temporary file", () -> leftovers().isEmpty());
        var bad = importCsv("imp-bad", HEADER + "imp-bad,1,0,0,0,12.5,,0\n");
        assertEquals(400, bad.statusCode(), bad.body());
        await("no temporary file after a refusal", () -> leftovers().isEmpty());
    }

    @Test
    void aPresetIsAShippedNameOrAFileInTheDataDirectorysPresetsAndIsNeverQuoted() throws Exception {
        Path outside = dir.resolve("outside.conf");
        Files.writeString(outside, "secret-password = \"hunter2-outside\"\n");
        Path presets = Files.createDirectories(dataDir.resolve("presets"));
        Files.writeString(presets.resolve("broken.conf"), "name = broken\nsecret = \"hunter2-inside\"\nlevels = [\n");
        Files.copy(Path.of("..", "config", "presets", "dac2020-65nm.conf"), presets.resolve("mine.conf"));
        for (String preset : List.of(outside.toString(), "/etc/passwd", "../outside", "presets/mine.conf",
                presets.resolve("..").resolve("..").resolve("outside.conf").toString(), "broken", presets.resolve("broken.conf").toString())) {
            var r = json("POST", "/api/arrays", "{\"id\":\"p-1\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,\"seed\":1,"
                    + "\"preset\":" + JSON.writeValueAsString(preset) + "}");
            assertEquals(400, r.statusCode(), preset + ": " + r.body());
            assertFalse(r.body().contains("hunter2"), "no part of the file is quoted: " + r.body());
            assertTrue(r.body().contains("presets/"), "the answer says what is allowed: " + r.body());
            var d = json("POST", "/api/deployments", "{\"id\":\"d-1\",\"model\":\"m\",\"preset\":"
                    + JSON.writeValueAsString(preset) + "}");
            assertEquals(400, d.statusCode(), preset + ": " + d.body());
            assertFalse(d.body().contains("hunter2"), d.body());
        }
        assertEquals(404, json("GET", "/api/arrays/p-1", null).statusCode(), "nothing was registered");
        var shipped = json("POST", "/api/arrays", "{\"id\":\"p-2\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,\"seed\":1,"
                + "\"preset\":\"dac2020-65nm\"}");
        assertEquals(201, shipped.statusCode(), shipped.body());
        var mine = json("POST", "/api/arrays", "{\"id\":\"p-3\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,\"seed\":1,"
                + "\"preset\":\"mine\"}");
        assertEquals(201, mine.statusCode(), mine.body());
    }

    @Test
    void aCampaignOutsideItsBoundsIsRefusedSayingWhatIsAllowedAndTheArrayKeepsItsClock() throws Exception {
        assertEquals(201, json("POST", "/api/arrays", "{\"id\":\"b-1\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,"
                + "\"seed\":2}").statusCode());
        double clock = JSON.readTree(json("GET", "/api/arrays/b-1", null).body()).path("clock_seconds").asDouble();
        for (String interval : List.of("1e308", "-5", "0", "\"NaN\"", "\"Infinity\"", "4e9")) {
            var r = json("POST", "/api/campaigns", "{\"id\":\"b-c\",\"arrays\":[\"b-1\"],\"interval_seconds\":" + interval
                    + ",\"reads\":3,\"acceleration\":1000}");
            assertEquals(400, r.statusCode(), interval + ": " + r.body());
            assertTrue(r.body().contains("interval_seconds"), r.body());
        }
        var tooLong = json("POST", "/api/campaigns", "{\"id\":\"b-c\",\"arrays\":[\"b-1\"],\"interval_seconds\":3e9,"
                + "\"reads\":1000,\"acceleration\":1000}");
        assertEquals(400, tooLong.statusCode(), tooLong.body());
        assertTrue(tooLong.body().contains("at most"), tooLong.body());
        var fast = json("POST", "/api/campaigns", "{\"id\":\"b-c\",\"arrays\":[\"b-1\"],\"interval_seconds\":60,"
                + "\"reads\":3,\"acceleration\":1e300}");
        assertEquals(400, fast.statusCode(), fast.body());
        assertEquals(404, json("GET", "/api/campaigns/b-c", null).statusCode(), "no campaign was made");
        assertEquals(clock, JSON.readTree(json("GET", "/api/arrays/b-1", null).body()).path("clock_seconds").asDouble());
    }

    @Test
    void readyAndMetricsShowNoPathsToAnonymousCallers() throws Exception {
        var anonymous = call("GET", "/ready", null, null, null);
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertFalse(anonymous.body().contains(dataDir.toString()), anonymous.body());
        assertEquals("up", JSON.readTree(anonymous.body()).path("parts").path("journal").path("state").asText());
        var withToken = call("GET", "/ready", VIEWER, null, null);
        assertTrue(withToken.body().contains(dataDir.toString()), "the lab's people see where: " + withToken.body());
        var metrics = call("GET", "/metrics", null, null, null);
        assertEquals(200, metrics.statusCode());
        assertFalse(metrics.body().contains(dataDir.toString()), "no data-directory path in /metrics");
        assertFalse(anonymous.body().contains(OPERATOR) || withToken.body().contains(OPERATOR));
    }

    /**
     * The contract from the outside: the document lists what the node serves (cluster, measurement,
     * the array list), and each response of a run through the API validates against the document's
     * schema for its status, by a validator nobody here wrote.
     */
    @Test
    void everyResponseOfARunThroughTheApiMatchesTheOpenApiDocument() throws Exception {
        OpenApiContract contract = new OpenApiContract(call("GET", "/api/openapi.json", null, null, null).body());
        List<String> operations = contract.operations();
        for (String needed : List.of("GET /api/cluster", "GET /api/measurement", "GET /api/arrays", "POST /api/arrays",
                "GET /api/campaigns/{id}/export", "POST /api/arrays/{id}/import")) {
            assertTrue(operations.contains(needed), needed + " is in the document: " + operations);
        }
        List<String> wrong = new java.util.ArrayList<>();
        record Step(String method, String path, String token, String body, String type) {}
        String reads = reads("c-imp", 1, 2, 1.0);
        List<Step> steps = List.of(
                new Step("GET", "/health", null, null, null),
                new Step("GET", "/ready", null, null, null),
                new Step("GET", "/ready", VIEWER, null, null),
                new Step("GET", "/api/node", VIEWER, null, null),
                new Step("GET", "/api/cluster", VIEWER, null, null),
                new Step("GET", "/api/measurement", VIEWER, null, null),
                new Step("POST", "/api/arrays", OPERATOR, "{\"id\":\"c-1\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,\"seed\":5}", "application/json"),
                new Step("POST", "/api/arrays", OPERATOR, "{\"id\":\"c-2\",\"kind\":\"bogus\",\"rows\":4,\"cols\":4}", "application/json"),
                new Step("POST", "/api/arrays", VIEWER, "{}", "application/json"),
                new Step("GET", "/api/arrays/c-1", VIEWER, null, null),
                new Step("GET", "/api/arrays/nope", VIEWER, null, null),
                new Step("POST", "/api/arrays/c-imp/import", OPERATOR, reads, "text/csv"),
                new Step("POST", "/api/arrays/c-imp/import", OPERATOR, reads, "text/csv"),
                new Step("POST", "/api/arrays/c-imp/import", OPERATOR, reads("c-imp", 1, 2, 3.0), "text/csv"),
                new Step("GET", "/api/arrays", VIEWER, null, null),
                new Step("POST", "/api/campaigns", OPERATOR, "{\"id\":\"c-c\",\"arrays\":[\"c-1\"],\"interval_seconds\":60,"
                        + "\"reads\":3,\"acceleration\":6000}", "application/json"),
                new Step("POST", "/api/campaigns", OPERATOR, "{\"id\":\"c-d\",\"arrays\":[\"c-1\"],\"interval_seconds\":1e308,"
                        + "\"reads\":3}", "application/json"),
                new Step("GET", "/api/campaigns", VIEWER, null, null),
                new Step("GET", "/api/campaigns/c-c", VIEWER, null, null),
                new Step("GET", "/api/campaigns/c-c/archive", VIEWER, null, null),
                new Step("GET", "/api/campaigns/nope/archive", VIEWER, null, null),
                new Step("GET", "/api/campaigns/nope/export", VIEWER, null, null),
                new Step("POST", "/api/campaigns/c-c/pause", OPERATOR, null, null),
                new Step("POST", "/api/campaigns/c-c/resume", OPERATOR, null, null),
                new Step("POST", "/api/campaigns/c-c/abort", OPERATOR, null, null),
                new Step("POST", "/api/campaigns/nope/pause", OPERATOR, null, null),
                new Step("GET", "/api/archive", VIEWER, null, null),
                new Step("GET", "/api/statistics", VIEWER, null, null),
                new Step("GET", "/api/deployments", VIEWER, null, null),
                new Step("GET", "/api/deployments/nope", VIEWER, null, null));
        for (Step s : steps) {
            var r = call(s.method(), s.path(), s.token(), s.body(), s.type());
            assertTrue(r.statusCode() < 500, s + " answered " + r.statusCode() + ": " + r.body());
            wrong.addAll(contract.check(s.method(), s.path(), r.statusCode(), r.body()));
        }
        assertEquals(List.of(), wrong, "responses the document does not allow");
        // an imported array is listed once the archive has indexed its frames, which follows the 201
        JsonNode arrays = JSON.readTree(json("GET", "/api/arrays", null).body());
        for (long end = System.nanoTime() + 30_000_000_000L;
             !arrays.toString().contains("\"array_id\":\"c-imp\"") && System.nanoTime() < end; ) {
            Thread.sleep(100);
            arrays = JSON.readTree(json("GET", "/api/arrays", null).body());
        }
        assertTrue(arrays.toString().contains("\"array_id\":\"c-imp\",\"kind\":\"imported\""), arrays.toString());
        assertTrue(arrays.toString().contains("\"array_id\":\"c-1\",\"kind\":\"simulated\""), arrays.toString());
    }

    @Test
    void campaignStatusAndArrayHealthArePublishedAsDocumented() throws Exception {
        assertEquals(201, json("POST", "/api/arrays", "{\"id\":\"e-1\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,"
                + "\"seed\":7}").statusCode());
        var started = json("POST", "/api/campaigns", "{\"id\":\"e-c\",\"arrays\":[\"e-1\"],\"interval_seconds\":60,"
                + "\"reads\":2,\"acceleration\":6000}");
        assertEquals(201, started.statusCode(), started.body());
        java.util.Set<String> states = new java.util.HashSet<>();
        boolean health = false;
        try (SseClient sse = SseClient.open(HTTP, base + "/api/streams/events", VIEWER, "0")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && !(health && states.contains("completed"))) {
                SseClient.Event e = sse.next();
                if (e == null) {
                    break;
                }
                JsonNode data = JSON.readTree(e.data()).path("data");
                if (e.type().equals("campaign.status") && data.path("id").asText().equals("e-c")) {
                    states.add(data.path("state").asText());
                } else if (e.type().equals("array.health") && data.path("array_id").asText().equals("e-1")) {
                    health = data.has("link") && data.has("clock_seconds");
                }
            }
        }
        assertTrue(health, "array.health carries the array's summary");
        assertTrue(states.contains("completed"), "campaign.status follows the campaign to its end: " + states);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
