package org.rramlab.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.HdfFile;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LiveNodeFixture;

/**
 * Run metadata on a real node: accepted, refused when it breaks the rules (400, saying what is
 * allowed), shown in the status, searched in the list, written into the HDF5 and CSV exports,
 * carried by an import, and still there after the node restarts (journaled).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RunMetadataTest extends LiveNodeFixture {
    private LabNode start() throws Exception {
        LabNode node = start(Map.of());
        awaitReady(node);
        return node;
    }

    List<String> ids(String path) throws Exception {
        List<String> out = new ArrayList<>();
        jsonOk(path).forEach(c -> out.add(c.path("id").asText()));
        return out.stream().sorted().toList();
    }

    void completed(String id) throws Exception {
        await(id + " completed", Duration.ofSeconds(60),
                () -> jsonOk("/api/campaigns/" + id).path("state").asText().equals("completed"));
    }

    static String campaign(String id, String metadata) {
        return "{\"id\":\"" + id + "\",\"arrays\":[\"sim-m\"],\"program\":{\"pattern\":\"every-level\"},"
                + "\"interval_seconds\":60,\"reads\":3,\"acceleration\":6000" + (metadata == null ? "" : ",\"metadata\":" + metadata) + "}";
    }

    @Test
    void metadataIsKeptShownSearchedExportedAndRefusedWhenItBreaksTheRules() throws Exception {
        String measured;
        try (LabNode node = start()) {
            assertEquals(201, call("POST", "/api/arrays", OPERATOR,
                    "{\"id\":\"sim-m\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,\"seed\":5}").statusCode());

            // refused: each rule broken says what is allowed, and nothing is started
            var nested = call("POST", "/api/campaigns", OPERATOR, campaign("bad-1", "{\"sample\":{\"id\":\"W12\"}}"));
            assertEquals(400, nested.statusCode(), nested.body());
            assertTrue(nested.body().contains("strings, numbers or booleans"), nested.body());
            StringBuilder many = new StringBuilder("{");
            for (int i = 0; i < 40; i++) {
                many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
            }
            var tooMany = call("POST", "/api/campaigns", OPERATOR, campaign("bad-2", many + "}"));
            assertEquals(400, tooMany.statusCode(), tooMany.body());
            assertTrue(tooMany.body().contains("at most 32 keys"), tooMany.body());
            var tooLong = call("POST", "/api/campaigns", OPERATOR, campaign("bad-3", "{\"notes\":\"" + "x".repeat(2000) + "\"}"));
            assertEquals(400, tooLong.statusCode(), tooLong.body());
            assertTrue(tooLong.body().contains("at most 1024"), tooLong.body());
            var badKey = call("POST", "/api/campaigns", OPERATOR, campaign("bad-4", "{\"my sample\":\"W12\"}"));
            assertEquals(400, badKey.statusCode(), badKey.body());
            assertEquals(404, call("GET", "/api/campaigns/bad-1", VIEWER, null).statusCode(), "a refused campaign is not created");

            var c1 = call("POST", "/api/campaigns", OPERATOR,
                    campaign("m1", "{\"sample\":\"W12\",\"operator\":\"ana\",\"die\":7,\"baked\":false,\"vdd\":1.2}"));
            assertEquals(201, c1.statusCode(), c1.body());
            assertEquals("W12", JSON.readTree(c1.body()).path("metadata").path("sample").asText(), c1.body());
            completed("m1");
            assertEquals(201, call("POST", "/api/campaigns", OPERATOR,
                    campaign("m2", "{\"sample\":\"W13\",\"operator\":\"ana\"}")).statusCode());
            completed("m2");
            assertEquals(201, call("POST", "/api/campaigns", OPERATOR, campaign("m3", null)).statusCode());
            completed("m3");
            JsonNode status = jsonOk("/api/campaigns/m1");
            assertEquals(7, status.path("metadata").path("die").asInt(), status.toString());
            assertEquals(false, status.path("metadata").path("baked").asBoolean(true));
            assertEquals("W12", status.path("spec").path("metadata").path("sample").asText());
            assertTrue(jsonOk("/api/campaigns/m3").path("metadata").isEmpty(), "no metadata: an empty object");

            // search
            assertEquals(List.of("m1"), ids("/api/campaigns?sample=W12"));
            assertEquals(List.of("m1", "m2"), ids("/api/campaigns?operator=ana"));
            assertEquals(List.of("m2"), ids("/api/campaigns?operator=ana&sample=W13"));
            assertEquals(List.of(), ids("/api/campaigns?operator=bob&sample=W12"));
            assertEquals(List.of("m1"), ids("/api/campaigns?die=7&baked=false"));
            assertEquals(List.of("m1", "m2", "m3"), ids("/api/campaigns"));
            var badSearch = call("GET", "/api/campaigns?" + URLEncoder.encode("a b", StandardCharsets.UTF_8) + "=1", VIEWER, null);
            assertEquals(400, badSearch.statusCode(), badSearch.body());
            assertTrue(badSearch.body().contains("not a metadata key"), badSearch.body());

            // exports: HDF5 root attributes, CSV comment lines before the header
            await("m1 archived", Duration.ofSeconds(30),
                    () -> jsonOk("/api/campaigns/m1/archive").path("frames_archived").asLong() == 3);
            Path h5 = download("/api/campaigns/m1/export?format=hdf5", dir.resolve("m1.h5"));
            try (HdfFile hdf = new HdfFile(h5)) {
                assertEquals("W12", hdf.getAttribute("metadata.sample").getData());
                assertEquals(7L, ((Number) hdf.getAttribute("metadata.die").getData()).longValue());
                assertEquals(1.2, ((Number) hdf.getAttribute("metadata.vdd").getData()).doubleValue(), 1e-12);
                JsonNode all = JSON.readTree((String) hdf.getAttribute("metadata").getData());
                assertEquals("ana", all.path("operator").asText());
                assertEquals(false, all.path("baked").asBoolean(true));
            }
            String csv = call("GET", "/api/campaigns/m1/export?format=csv", VIEWER, null).body();
            List<String> lines = csv.lines().toList();
            assertEquals("# campaign_id: m1", lines.get(0));
            assertTrue(lines.get(1).startsWith("# metadata: {") && lines.get(1).contains("\"sample\":\"W12\""), lines.get(1));
            assertTrue(lines.get(2).startsWith("array_id,sequence,"), lines.get(2));
            assertTrue(call("GET", "/api/campaigns/m3/export?format=csv", VIEWER, null).body().startsWith("array_id,"),
                    "without metadata the header is the first line, as before");

            // an import: the export with its comment lines reads back; its metadata comes back in the reply
            measured = csv.replace("sim-m,", "chip-meta,");
            String query = "?format=csv&metadata=" + URLEncoder.encode("{\"sample\":\"W12\",\"source\":\"probe-2\"}",
                    StandardCharsets.UTF_8);
            var imported = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/arrays/chip-meta/import" + query))
                    .header("Authorization", "Bearer " + OPERATOR).POST(HttpRequest.BodyPublishers.ofString(measured)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, imported.statusCode(), imported.body());
            assertEquals("probe-2", JSON.readTree(imported.body()).path("metadata").path("source").asText(), imported.body());
            assertEquals(3, JSON.readTree(imported.body()).path("frames").asInt());
            var again = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/arrays/chip-meta/import?format=csv"))
                    .header("Authorization", "Bearer " + OPERATOR).POST(HttpRequest.BodyPublishers.ofString(measured)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, again.statusCode(), again.body());
            assertEquals("probe-2", JSON.readTree(again.body()).path("metadata").path("source").asText(),
                    "the same file again answers with the metadata its import recorded: " + again.body());
            var badImport = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/arrays/chip-other/import?format=csv&metadata="
                            + URLEncoder.encode("{\"a\":[1,2]}", StandardCharsets.UTF_8)))
                    .header("Authorization", "Bearer " + OPERATOR).POST(HttpRequest.BodyPublishers.ofString(measured)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, badImport.statusCode(), badImport.body());
            assertTrue(badImport.body().contains("strings, numbers or booleans"), badImport.body());
        }
        // journaled: a new node on the same data directory shows and finds the same metadata
        try (LabNode node = start()) {
            await("m1 recovered", Duration.ofSeconds(60), () -> call("GET", "/api/campaigns/m1", VIEWER, null).statusCode() == 200);
            assertEquals("W12", jsonOk("/api/campaigns/m1").path("metadata").path("sample").asText());
            assertEquals(1.2, jsonOk("/api/campaigns/m1").path("metadata").path("vdd").asDouble(), 1e-12);
            assertEquals(List.of("m1"), ids("/api/campaigns?sample=W12"));
            var again = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/arrays/chip-meta/import?format=csv"))
                    .header("Authorization", "Bearer " + OPERATOR).POST(HttpRequest.BodyPublishers.ofString(measured)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, again.statusCode(), again.body());
            assertEquals("W12", JSON.readTree(again.body()).path("metadata").path("sample").asText(),
                    "an import's metadata is kept in the import ledger across restarts: " + again.body());
        }
    }
}
