package org.rramlab.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigUtil;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LiveNodeFixture;
import org.rramlab.node.LabConfig;

/**
 * Random JSON, ids, numbers at the edges (NaN, 1e308, negatives, huge integers) and CSV rows
 * thrown at every mutating route and the import, on a real node: never a 5xx, and a refusal
 * changes nothing stored (the campaigns, the arrays, what the archive and the ledger hold).
 * Tries are bounded so the whole property set runs in well under a minute once the node is up.
 */
class FuzzTest {
    static final String OPERATOR = "fuzz-operator-token-0123";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static Path dir;
    static LabNode node;
    static String base;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("fuzz-");
        node = LabNode.start(LabConfig.load(Map.of(
                "rramlab.http.tokens.operator", "[" + OPERATOR + "]",
                "rramlab.data-dir", ConfigUtil.quoteString(dir.resolve("data").toString()),
                "rramlab.http.port", "0",
                "rramlab.archive.import-max-bytes", "65536",
                "rramlab.archive.flush-interval", "100ms"), Map.of()));
        base = "http://127.0.0.1:" + node.httpPort();
        LiveNodeFixture.awaitReady(node);
        assertEquals(201, call("POST", "/api/arrays", "{\"id\":\"f-1\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,"
                + "\"seed\":1}", "application/json").statusCode());
    }

    @AfterContainer
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static HttpResponse<String> call(String method, String path, String body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + OPERATOR)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What a refusal must leave as it was: the campaigns, the registered and imported arrays, the archive. */
    static String stored() throws Exception {
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode c : JSON.readTree(call("GET", "/api/campaigns", null, null).body())) {
            out.add("campaign " + c.path("id").asText());
        }
        for (JsonNode a : JSON.readTree(call("GET", "/api/arrays", null, null).body())) {
            out.add("array " + a.path("array_id").asText() + " " + a.path("kind").asText() + " "
                    + a.path("summary").path("preset").asText() + " " + a.path("summary").path("rows").asText());
        }
        // which arrays the archive holds (an accepted campaign keeps adding reads: its totals move on their own)
        JSON.readTree(call("GET", "/api/archive", null, null).body()).path("arrays").fieldNames()
                .forEachRemaining(a -> {
                    if (!a.equals("f-1")) { // f-1's reads come from accepted campaigns, on their own time
                        out.add("archived " + a);
                    }
                });
        Path ledger = dir.resolve("data").resolve("imports.json");
        out.add("ledger " + (Files.exists(ledger) ? Files.readString(ledger) : ""));
        return String.join("\n", out);
    }

    static void checked(String method, String path, String body, String type) throws Exception {
        String before = stored();
        var r = call(method, path, body, type);
        assertTrue(r.statusCode() < 500, method + " " + path + " " + body + " -> " + r.statusCode() + " " + r.body());
        if (r.statusCode() == 201 && path.contains("/import")) {
            // an accepted import reaches the archive before the next look
            String id = path.substring("/api/arrays/".length(), path.indexOf("/import"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!stored().contains("archived " + id) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            settle();
        } else if (r.statusCode() < 300) {
            settle();
        } else {
            assertTrue(r.body().contains("\"error\""), "a refusal says why: " + r.body());
            assertEquals(before, stored(), "a refusal (" + r.statusCode() + " " + r.body() + ") changed nothing of " + body);
        }
    }

    static void settle() throws Exception {
        String last = stored();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Thread.sleep(300);
            String now = stored();
            if (now.equals(last)) {
                return;
            }
            last = now;
        }
    }

    /** JSON values at the edges, as text. */
    static Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.of("1e308", "-1e308", "1e-320", "-1", "0", "-0.0", "4e9", "3.2e9", "60", "2", "1",
                        "9223372036854775807", "-9223372036854775808", "99999999999999999999999", "2147483648",
                        "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "null", "true", "[]", "{}", "\"\"", "[null]",
                        "\"every-level\"", "\"level\"", "\"levels\"", "\"keep\"", "\"simulated\"", "\"physical\"",
                        "\"dac2020-65nm\"", "\"/etc/passwd\"", "\"../../x.conf\"", "\"f-1\"", "[\"f-1\"]", "[\"f-1\",\"f-1\"]",
                        "{\"pattern\":\"level\",\"level\":-3}", "{\"pattern\":\"levels\",\"levels\":[99]}",
                        "[{\"after_read\":0,\"temperature_kelvin\":1e308,\"duration_seconds\":-1}]",
                        "{\"row0\":-1,\"col0\":0,\"rows\":2147483647,\"cols\":2}"),
                Arbitraries.strings().ofMaxLength(20).map(s -> {
                    try {
                        return JSON.writeValueAsString(s);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }),
                Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "0"),
                Arbitraries.integers().map(String::valueOf));
    }

    static Arbitrary<String> objects(List<String> fields) {
        return Arbitraries.subsetOf(fields).flatMap(chosen -> values().list().ofSize(chosen.size()).map(vs -> {
            StringBuilder b = new StringBuilder("{");
            int i = 0;
            for (String f : chosen) {
                b.append(i == 0 ? "" : ",").append('"').append(f).append("\":").append(vs.get(i++));
            }
            return b.append('}').toString();
        }));
    }

    @Provide
    Arbitrary<String> campaigns() {
        return Arbitraries.oneOf(objects(List.of("id", "arrays", "program", "block", "write_verify", "interval_seconds",
                        "reads", "duration_seconds", "bakes", "acceleration", "ambient_kelvin", "metadata", "colour")),
                Arbitraries.of("", "[]", "null", "{", "{\"arrays\":[\"f-1\"],\"interval_seconds\":1e308,\"reads\":3}"));
    }

    @Provide
    Arbitrary<String> arrays() {
        return objects(List.of("id", "kind", "preset", "rows", "cols", "seed", "address", "die", "analyzer", "matrix",
                "board", "prober"));
    }

    @Provide
    Arbitrary<String> deployments() {
        return objects(List.of("id", "model", "dataset", "array_prefix", "simulated", "preset", "seed", "sram_fraction",
                "placement", "threshold_points", "check_interval_seconds", "check_images", "bits", "metadata"));
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.oneOf(Arbitraries.of("f-1", "nope", "..", "%2e%2e", "a%2Fb", "x".repeat(300), "%00", "%20"),
                Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-', '.', '_').ofMinLength(1).ofMaxLength(70));
    }

    @Provide
    Arbitrary<String> csvs() {
        Arbitrary<String> cell = Arbitraries.of("1", "2", "0", "-1", "1e308", "NaN", "1e-5", "", "x", "12.5", "3e-6",
                "9223372036854775808", "0.0");
        Arbitrary<String> row = Combinators.combine(Arbitraries.of("imp-f", "other"), cell, cell, cell, cell, cell, cell,
                        Arbitraries.of("0", "1", "true", "maybe"))
                .as((a, s, t, r, c, g, l, x) -> String.join(",", a, s, t, r, c, g, l, x));
        return row.list().ofMaxSize(12).map(rows -> "array_id,sequence,array_time_s,row,col,conductance_s,target_level,suspect\n"
                + String.join("\n", rows) + "\n");
    }

    @Property(tries = 60, shrinking = ShrinkingMode.OFF)
    void startingCampaigns(@ForAll("campaigns") String body) throws Exception {
        checked("POST", "/api/campaigns", body, "application/json");
    }

    @Property(tries = 50, shrinking = ShrinkingMode.OFF)
    void registeringArrays(@ForAll("arrays") String body) throws Exception {
        checked("POST", "/api/arrays", body, "application/json");
    }

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void startingDeployments(@ForAll("deployments") String body) throws Exception {
        checked("POST", "/api/deployments", body, "application/json");
    }

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void campaignCommandsOnAnyId(@ForAll("ids") String id, @ForAll("verbs") String verb) throws Exception {
        checked("POST", "/api/campaigns/" + id + "/" + verb, null, null);
        checked("POST", "/api/deployments/" + id + "/" + (verb.equals("pause") ? "check" : "stop"), null, null);
    }

    @Provide
    Arbitrary<String> verbs() {
        return Arbitraries.of("pause", "resume", "abort", "abort?reason=" + URLEncoder.encode("\u0000\"{}", StandardCharsets.UTF_8));
    }

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void importingCsv(@ForAll("csvs") String csv, @ForAll("importIds") String id) throws Exception {
        checked("POST", "/api/arrays/" + id + "/import?format=csv", csv, "text/csv");
    }

    @Provide
    Arbitrary<String> importIds() {
        return Arbitraries.of("imp-f", "f-1", "other");
    }
}
