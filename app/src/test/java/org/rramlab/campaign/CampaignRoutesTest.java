package org.rramlab.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.array.LabFixture;
import org.rramlab.array.TestKafka;
import org.rramlab.app.cli.CampaignCommand;
import picocli.CommandLine;

/** The HTTP API and the CLI against a real node: bad input gives 400s that say why; pause, resume, abort. */
class CampaignRoutesTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    @TempDir
    Path kafkaDir;

    String base;

    record Reply(int status, JsonNode body) {}

    Reply call(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60)).build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    void assertBad(String path, String body, String mentions) throws Exception {
        Reply r = call("POST", path, body);
        assertEquals(400, r.status(), body + " -> " + r.body());
        String error = r.body().path("error").asText();
        assertTrue(error.contains(mentions), "the message names the problem (" + mentions + "): " + error);
    }

    record Run(int exit, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new CampaignCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        // as the rramlab entry point does: a message, not a stack trace
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("rramlab campaign: " + e.getMessage());
            return 1;
        });
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void badInputIsA400PauseResumeAbortWorkAndTheCliTalksToTheNode() throws Exception {
        try (TestKafka kafka = new TestKafka(kafkaDir);
             LabFixture lab = LabFixture.start(dataDir, kafka.bootstrapServers(), Map.of(), Duration.ofSeconds(30))) {
            CampaignActor.Campaigns campaigns = CampaignActor.init(lab.node.system(), lab.arrays);
            ServerBinding binding = Http.get(lab.node.system()).newServerAt("127.0.0.1", 0)
                    .bind(new CampaignRoutes(lab.node.system(), lab.arrays, campaigns).routes())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            base = "http://127.0.0.1:" + binding.localAddress().getPort();

            Reply registered = call("POST", "/api/arrays", "{\"id\":\"sim-h\",\"kind\":\"simulated\",\"rows\":4,\"cols\":6,\"seed\":2}");
            assertEquals(201, registered.status(), registered.body().toString());
            assertEquals(6, registered.body().path("cols").asInt());
            assertEquals("connected", call("GET", "/api/arrays/sim-h", null).body().path("link").asText());
            assertEquals(404, call("GET", "/api/arrays/nope", null).status());
            assertBad("/api/arrays", "{\"id\":\"bad id!\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,\"seed\":1}", "id");
            assertBad("/api/arrays", "{\"id\":\"x\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4}", "seed");
            assertBad("/api/arrays", "{\"id\":\"x\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,\"seed\":1,\"size\":3}", "size");
            // the registration's JSON becomes a typed spec here, at the edge: what no spec can be is refused
            // before any array actor hears of it
            assertBad("/api/arrays", "{\"id\":\"x\",\"kind\":\"quantum\",\"rows\":4,\"cols\":4,\"seed\":1}",
                    "cannot register array 'x': kind must be \"simulated\" or \"physical\", got \"quantum\"");
            assertBad("/api/arrays", "{\"id\":\"x\",\"rows\":4,\"cols\":4,\"seed\":1}", "kind must be \"simulated\" or \"physical\", got nothing");
            assertBad("/api/arrays", "{\"id\":\"x\",\"kind\":\"simulated\",\"rows\":0,\"cols\":4,\"seed\":1}", "rows and cols must be positive");
            assertBad("/api/arrays", "{\"id\":\"x\",\"kind\":\"simulated\",\"rows\":4,\"cols\":4,\"seed\":1,"
                    + "\"analyzer\":\"TCPIP0::a::5025::SOCKET\"}", "a simulated array takes no instrument addresses");
            assertBad("/api/arrays", "{\"id\":\"x\",\"kind\":\"physical\",\"rows\":4,\"cols\":4,\"address\":\"127.0.0.1:5025\"}",
                    "one address per instrument");
            assertBad("/api/arrays", "{\"id\":\"x\",\"kind\":\"physical\",\"rows\":4,\"cols\":4,\"seed\":1,"
                    + "\"analyzer\":\"TCPIP0::a::5025::SOCKET\",\"matrix\":\"TCPIP0::m::5025::SOCKET\","
                    + "\"prober\":\"TCPIP0::p::1412::SOCKET\"}", "a physical array takes no seed");
            assertBad("/api/arrays", "{\"id\":\"x\",\"kind\":\"physical\",\"rows\":4,\"cols\":4,"
                    + "\"analyzer\":\"localhost\",\"matrix\":\"TCPIP0::m::5025::SOCKET\",\"prober\":\"TCPIP0::p::1412::SOCKET\"}",
                    "analyzer: instrument address 'localhost'");
            assertEquals(404, call("GET", "/api/arrays/x", null).status(), "no refused registration reached an array");

            assertBad("/api/campaigns", "", "no body");
            assertBad("/api/campaigns", "{not json", "bad JSON");
            assertBad("/api/campaigns", "[1,2]", "JSON object");
            assertBad("/api/campaigns", "{\"arrays\":[\"sim-h\"],\"interval_seconds\":-1,\"reads\":3}", "interval_seconds");
            assertBad("/api/campaigns", "{\"arrays\":[\"sim-h\"],\"interval_seconds\":10}", "reads");
            assertBad("/api/campaigns", "{\"arrays\":[],\"interval_seconds\":10,\"reads\":3}", "arrays");
            assertBad("/api/campaigns", "{\"arrays\":[\"sim-h\"],\"interval_seconds\":10,\"reads\":3,\"colour\":\"red\"}", "colour");
            assertBad("/api/campaigns", "{\"arrays\":[\"ghost\"],\"interval_seconds\":10,\"reads\":3}", "ghost");
            assertBad("/api/campaigns", "{\"arrays\":[\"sim-h\"],\"interval_seconds\":10,\"reads\":3,"
                    + "\"block\":{\"row0\":0,\"col0\":0,\"rows\":0,\"cols\":1}}", "positive shape");
            assertBad("/api/campaigns", "{\"arrays\":[\"sim-h\"],\"interval_seconds\":10,\"reads\":3,"
                    + "\"block\":{\"row0\":2,\"col0\":2,\"rows\":4,\"cols\":4}}", "does not fit");
            assertBad("/api/campaigns", "{\"arrays\":[\"sim-h\"],\"interval_seconds\":10,\"reads\":3,"
                    + "\"program\":{\"pattern\":\"level\",\"level\":12}}", "outside 0..9");
            assertBad("/api/campaigns", "{\"arrays\":[\"sim-h\"],\"interval_seconds\":10,\"reads\":3,"
                    + "\"bakes\":[{\"after_read\":5,\"temperature_kelvin\":400,\"duration_seconds\":60}]}", "after_read");
            assertEquals(0, call("GET", "/api/campaigns", null).body().size(), "bad specs created nothing");

            // an hour of wall time between reads: the campaign sits after its first read
            Reply started = call("POST", "/api/campaigns", "{\"id\":\"drift-h\",\"arrays\":[\"sim-h\"],"
                    + "\"program\":{\"pattern\":\"level\",\"level\":4},\"interval_seconds\":3600,\"reads\":5,"
                    + "\"bakes\":[{\"after_read\":1,\"temperature_kelvin\":358.15,\"duration_seconds\":600}]}");
            assertEquals(201, started.status(), started.body().toString());
            assertEquals("running", started.body().path("state").asText());
            assertEquals(409, call("POST", "/api/campaigns", "{\"id\":\"drift-h\",\"arrays\":[\"sim-h\"],"
                    + "\"interval_seconds\":10,\"reads\":3}").status(), "an id is taken once");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (call("GET", "/api/campaigns/drift-h", null).body().path("step").asInt() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            JsonNode one = call("GET", "/api/campaigns/drift-h", null).body();
            assertEquals(1, one.path("step").asInt(), one.toString());
            assertTrue(one.hasNonNull("next_read_at"), one.toString());

            Reply paused = call("POST", "/api/campaigns/drift-h/pause", null);
            assertEquals(200, paused.status());
            assertEquals("paused", paused.body().path("state").asText());
            assertEquals(409, call("POST", "/api/campaigns/drift-h/pause", null).status());
            Reply resumed = call("POST", "/api/campaigns/drift-h/resume", null);
            assertEquals("running", resumed.body().path("state").asText());
            Reply aborted = call("POST", "/api/campaigns/drift-h/abort?reason=done%20testing", null);
            assertEquals("aborted", aborted.body().path("state").asText());
            assertEquals("done testing", aborted.body().path("end_reason").asText());
            Reply again = call("POST", "/api/campaigns/drift-h/resume", null);
            assertEquals(409, again.status());
            assertTrue(again.body().path("error").asText().contains("aborted"), again.body().toString());
            assertEquals(404, call("GET", "/api/campaigns/nope", null).status());
            assertEquals(404, call("POST", "/api/campaigns/nope/pause", null).status());
            assertEquals(1, call("GET", "/api/arrays/sim-h", null).body().path("reads").asInt(), "one read before the pause");

            Run status = cli("status", "--node", base, "drift-h");
            assertEquals(0, status.exit(), status.err());
            assertTrue(status.out().contains("campaign drift-h: aborted, 1 of 5 reads taken"), status.out());
            Run start = cli("start", "--node", base, "--id", "cli-1", "--arrays", "sim-h", "--interval", "3600",
                    "--reads", "2", "--bake", "0:358.15:60");
            assertEquals(0, start.exit(), start.err());
            assertTrue(start.out().contains("campaign cli-1: running"), start.out());
            Run list = cli("status", "--node", base);
            assertTrue(list.out().contains("drift-h") && list.out().contains("cli-1"), list.out());
            Run bad = cli("start", "--node", base, "--arrays", "ghost", "--interval", "10", "--reads", "2");
            assertEquals(1, bad.exit());
            assertTrue(bad.err().contains("ghost"), bad.err());
            Run badBake = cli("start", "--node", base, "--arrays", "sim-h", "--interval", "10", "--reads", "2", "--bake", "1:2");
            assertEquals(2, badBake.exit());
            assertTrue(badBake.err().contains("AFTER:KELVIN:SECONDS"), badBake.err());
            assertEquals(0, cli("abort", "--node", base, "cli-1").exit());
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Run unreachable = cli("status", "--node", base);
            assertEquals(1, unreachable.exit());
            assertTrue(unreachable.err().contains("cannot reach the node at " + base), unreachable.err());
        }
    }
}
