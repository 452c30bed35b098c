package org.rramlab.livearchive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.app.cli.Main;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LiveNodeFixture;
import picocli.CommandLine;

/**
 * The lab's data end to end on a real node: a campaign's reads are archived, exported through the
 * CLI and opened by h5py and pandas; measured reads come in and the statistics fit a preset from
 * them; a bad file is refused whole with its line named; promtool accepts /metrics.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LabDataTest extends LiveNodeFixture {
    private LabNode start() {
        return start(Map.of("rramlab.metrics.sample-interval", "500ms"));
    }

    record Run(int exit, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void aCampaignIsArchivedExportedAndReadByH5pyAndPandasAndMeasuredReadsComeIn() throws Exception {
        try (LabNode node = start()) {
            awaitReady(node);
            assertEquals("up", json("/ready").path("parts").path("archive").path("state").asText());
            assertEquals(201, call("POST", "/api/arrays", OPERATOR,
                    "{\"id\":\"sim-a\",\"kind\":\"simulated\",\"rows\":8,\"cols\":8,\"seed\":3}").statusCode());
            var started = call("POST", "/api/campaigns", OPERATOR, "{\"id\":\"c1\",\"arrays\":[\"sim-a\"],"
                    + "\"program\":{\"pattern\":\"every-level\"},\"interval_seconds\":60,\"reads\":6,\"acceleration\":6000}");
            assertEquals(201, started.statusCode(), started.body());
            await("campaign completed", Duration.ofSeconds(60), () -> json("/api/campaigns/c1").path("state").asText().equals("completed"));
            await("every read archived", Duration.ofSeconds(30), () -> json("/api/campaigns/c1/archive").path("frames_archived").asLong() == 6);
            JsonNode status = json("/api/campaigns/c1");
            assertEquals("completed", status.path("state").asText());
            assertEquals(6, status.path("archive").path("frames_archived").asLong(), status.toString());
            JsonNode recorded = status.path("provenance_at_start");
            assertEquals("simulated", recorded.path("arrays").path("sim-a").path("driver").asText());
            assertEquals(64, recorded.path("arrays").path("sim-a").path("preset_sha256").asText().length());
            assertTrue(recorded.has("git_commit"));
            assertTrue(status.path("provenance_changed").isMissingNode(), "nothing changed since the start: " + status);
            assertTrue(status.path("provenance").isMissingNode(), "one provenance block, the recorded one: " + status);
            // who answered for the array: a simulated one says so, in the *IDN? form
            String idn = recorded.path("arrays").path("sim-a").path("instrument_identity").asText();
            assertTrue(idn.startsWith("rramlab,simulated array (no instrument),"), status.toString());
            assertEquals(404, call("GET", "/api/campaigns/nope", VIEWER, null).statusCode());
            Run none = cli("export", "deployment", "nope", "--out", dir.resolve("d.h5").toString(), "--node", base, "--token", VIEWER);
            assertEquals(1, none.exit());
            assertTrue(none.err().contains("404") && none.err().contains("nope"), none.err());
            assertTrue(!Files.exists(dir.resolve("d.h5")) && !Files.exists(dir.resolve("d.h5.part")), "no file left behind");
            JsonNode archived = json("/api/campaigns/c1/archive");
            assertEquals(6 * 64, archived.path("cell_reads_archived").asLong());
            assertTrue(archived.path("arrays").path("sim-a").path("directory").asText().endsWith("sim-a"));

            // export through the CLI, open with h5py and pandas
            Path h5 = dir.resolve("c1.h5");
            Path csv = dir.resolve("c1.csv");
            Run r = cli("export", "campaign", "c1", "--format", "hdf5", "--out", h5.toString(), "--node", base, "--token", VIEWER);
            assertEquals(0, r.exit(), r.err());
            r = cli("export", "campaign", "c1", "--format", "csv", "--out", csv.toString(), "--node", base, "--token", VIEWER);
            assertEquals(0, r.exit(), r.err());
            JsonNode inH5 = python("export", h5).path("arrays").path("sim-a");
            assertEquals(6, inH5.path("frames").asInt());
            assertEquals(1, inH5.path("programmed").asInt());
            assertEquals("c1", python("export", h5).path("attributes").path("campaign_id").asText());
            JsonNode inCsv = python("csv", csv);
            assertEquals(6 * 64, inCsv.path("rows").asInt());
            assertEquals(6 * 64, inCsv.path("levels").asInt(), "every cell was programmed to a level");
            assertEquals(inH5.path("sum").asDouble(), inCsv.path("sum").asDouble(), 1e-6 * inH5.path("sum").asDouble());
            Run bad = cli("export", "campaign", "c1", "--format", "xls", "--out", dir.resolve("x").toString(), "--node", base, "--token", VIEWER);
            assertEquals(1, bad.exit());
            assertTrue(bad.err().contains("hdf5 or csv"), bad.err());
            assertEquals(idn, python("export", h5).path("arrays").path("sim-a").path("attributes").path("instrument_idn").asText(),
                    "the export carries the array's identity");
            assertEquals(idn, python("segments", dir.resolve("data").resolve("archive")).path("sim-a").path("attributes")
                    .path("instrument_idn").asText(), "so do the archive's own files");

            // a second campaign on the same array: each export holds its own campaign's reads only
            started = call("POST", "/api/campaigns", OPERATOR, "{\"id\":\"c2\",\"arrays\":[\"sim-a\"],"
                    + "\"program\":{\"pattern\":\"level\",\"level\":1},\"interval_seconds\":60,\"reads\":4,\"acceleration\":6000}");
            assertEquals(201, started.statusCode(), started.body());
            await("c2 completed", Duration.ofSeconds(60), () -> json("/api/campaigns/c2").path("state").asText().equals("completed"));
            await("c2 archived", Duration.ofSeconds(30), () -> json("/api/campaigns/c2/archive").path("frames_archived").asLong() == 4);
            assertEquals(6, json("/api/campaigns/c1/archive").path("frames_archived").asLong(), "c1 counts its own reads only");
            Path h5c2 = dir.resolve("c2.h5");
            Path csvc2 = dir.resolve("c2.csv");
            assertEquals(0, cli("export", "campaign", "c2", "--out", h5c2.toString(), "--node", base, "--token", VIEWER).exit());
            assertEquals(0, cli("export", "campaign", "c2", "--format", "csv", "--out", csvc2.toString(), "--node", base,
                    "--token", VIEWER).exit());
            Path h5again = dir.resolve("c1-again.h5");
            Path csvagain = dir.resolve("c1-again.csv");
            assertEquals(0, cli("export", "campaign", "c1", "--out", h5again.toString(), "--node", base, "--token", VIEWER).exit());
            assertEquals(0, cli("export", "campaign", "c1", "--format", "csv", "--out", csvagain.toString(), "--node", base,
                    "--token", VIEWER).exit());
            JsonNode first = python("export", h5again).path("arrays").path("sim-a");
            JsonNode second = python("export", h5c2).path("arrays").path("sim-a");
            assertEquals(inH5.path("sequences"), first.path("sequences"), "c1's export is as before c2 ran: " + first);
            assertEquals(1, first.path("programmed").asInt(), "c2's programming is not c1's: " + first);
            assertEquals(4, second.path("frames").asInt(), second.toString());
            assertEquals(1, second.path("programmed").asInt(), second.toString());
            for (JsonNode seq : second.path("sequences")) {
                assertTrue(seq.asLong() > 6, "c2 holds frames after c1's only: " + second);
            }
            assertEquals(6 * 64, python("csv", csvagain).path("rows").asInt());
            assertEquals(4 * 64, python("csv", csvc2).path("rows").asInt());
            assertEquals(4 * 64, python("csv", csvc2).path("levels").asInt(), "c2's cells at its own level");

            // the same reads as measured data of another array: published, fitted, a preset written
            Path measured = dir.resolve("measured.csv");
            Files.writeString(measured, Files.readString(csv).replace("sim-a,", "chip-m,"));
            r = cli("device", "import", "--format", "csv", measured.toString(), "--array", "chip-m", "--node", base, "--token", OPERATOR);
            assertEquals(0, r.exit(), r.err());
            assertEquals(6, JSON.readTree(r.out()).path("frames").asInt());
            await("statistics of chip-m", Duration.ofSeconds(30), () -> call("GET", "/api/statistics/chip-m", VIEWER, null).statusCode() == 200);
            var preset = call("POST", "/api/statistics/preset?name=from-chip-m", OPERATOR, null);
            assertEquals(201, preset.statusCode(), preset.body());
            await("chip-m archived", Duration.ofSeconds(30), () -> json("/api/archive").path("arrays").path("chip-m").path("frames").asLong() == 6);

            // a bad file is refused whole, its line named; a live array's id is refused
            List<String> lines = Files.readAllLines(measured);
            lines.set(2, lines.get(2).replaceFirst(",[^,]*,([^,]*),([^,]*)$", ",12.5,$1,$2"));
            Path broken = dir.resolve("broken.csv");
            Files.write(broken, lines.stream().map(l -> l.replace("chip-m,", "chip-n,")).toList());
            r = cli("device", "import", broken.toString(), "--array", "chip-n", "--node", base, "--token", OPERATOR);
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("line 3") && r.err().contains("conductance_s"), r.err());
            assertEquals(404, call("GET", "/api/statistics/chip-n", VIEWER, null).statusCode(), "nothing of it was published");
            r = cli("device", "import", csv.toString(), "--array", "sim-a", "--node", base, "--token", OPERATOR);
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("409"), r.err());

            // metrics: promtool accepts them, and they tell what happened
            await("metrics sampled", Duration.ofSeconds(30), () -> metrics().contains("rramlab_campaigns{state=\"completed\"} 2.0"));
            await("archive counted in the metrics", Duration.ofSeconds(30),
                    () -> metrics().contains("rramlab_archive_frames_total 16.0"));
            String text = metrics();
            assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics");
            Path file = dir.resolve("metrics.txt");
            Files.writeString(file, text);
            Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile()).redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "promtool check metrics: " + said);
        }
    }

    private String metrics() throws Exception {
        var r = call("GET", "/metrics", null, null);
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private JsonNode python(String what, Path target) throws IOException, InterruptedException {
        return org.rramlab.archive.Python.check(dir, what, target);
    }
}
