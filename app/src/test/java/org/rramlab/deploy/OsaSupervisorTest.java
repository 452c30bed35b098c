package org.rramlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.api.LabEvents;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySummary;
import org.rramlab.array.Interruption;
import org.rramlab.array.LabFixture;
import org.rramlab.http.Tokens;
import org.rramlab.learning.TestData;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.drift.DriftAction;
import org.rramlab.learning.kd.TrainConfig;
import org.rramlab.learning.kd.Trainer;
import org.rramlab.learning.model.Architecture;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.ModelMetadata;
import org.rramlab.learning.model.ModelStore;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;

/**
 * A small network deployed on a real node: programmed once, checked, corrected by OSA rounds as
 * the arrays drift, never reprogrammed, carrying on after a node restart; the HTTP resources.
 */
class OsaSupervisorTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @BeforeEach
    void saveATrainedModel() throws Exception {
        // bars 40 grey levels above the noise: drift costs accuracy that gains alone do not win back, a round does
        saveTiny(dataDir, 40);
    }

    /** A small MLP trained on generated MNIST-like data, saved as model "tiny". */
    static void saveTiny(Path dataDir) throws Exception {
        saveTiny(dataDir, 110);
    }

    /** The same on images whose bars stand {@code bar} grey levels above the noise (110: every image is easy). */
    static void saveTiny(Path dataDir, int bar) throws Exception {
        TestData.writeMnistLike(dataDir, 1200, false, 5, bar);
        DataSplit data = new DatasetRepository(dataDir).load(DatasetKind.MNIST);
        try (Network net = Network.create(Architecture.MLP, 1, 28, 10, 3)) {
            Trainer.train("teacher", net, WeightSource.MASTER, data.train(), null, TrainConfig.plain(4, 64, 2e-3, 3),
                    null, null, e -> { });
            double accuracy = Evaluator.accuracy(net, data.test(), WeightSource.MASTER);
            assertTrue(accuracy > 0.9, "the small network learned its data: " + accuracy);
            new ModelStore(dataDir.resolve("models")).save("tiny", net, new ModelMetadata("mlp", 1, 28, 10, "mnist",
                    accuracy, Map.of("epochs", 4), Instant.now().toString()));
        }
    }

    static DeploymentSpec spec() {
        // the power law: years of it cost this network accuracy that a round wins back (the node's default, the
        // filamentary law, costs it little)
        return new DeploymentSpec("tiny", null, null, null, "dac2020-65nm", 11L, 0.02, null, 0.5, 1.0, 600, 400, 2, null);
    }

    @Test
    void programsOnceCorrectsDriftInSramOnlyAndCarriesOnAfterARestart() throws Exception {
        long programmingsBefore;
        int roundsBefore;
        // the first node stops without its coordinated shutdown: no shard hand-off, as after a kill
        try (LabFixture lab = LabFixture.start(dataDir, null, with(SKIP_HAND_OFF, NO_REFRESH), Duration.ofSeconds(30))) {
            OsaSupervisor.Deployments deployments = lab.node.pipeline().join().deployments();
            DeploymentStatus created = ask(lab, deployments, "net", r -> new OsaSupervisor.Start(spec(), r));
            assertEquals(List.of("net-0", "net-1"), created.arrays(), "784x32 + 32x10 in 128-row tiles: two arrays");
            assertEquals(25_408, created.weights());
            assertEquals(List.of("net-0", "net-1"), List.copyOf(created.provenanceAtStart().arrays().keySet()));
            assertEquals("simulated", created.provenanceAtStart().arrays().get("net-0").driver());
            assertEquals(64, created.provenanceAtStart().presetSha256().length(), "the preset's hash is recorded");

            DeploymentStatus first = await(lab, deployments, "net", "a first OSA round", s -> s.rounds() >= 1);
            assertEquals(DeploymentState.Phase.SUPERVISING, first.phase());
            OsaSupervisor.History history = ask(lab, deployments, "net", OsaSupervisor.GetHistory::new);
            DeploymentEvent.Round deployed = history.rounds().get(0);
            assertEquals(Trigger.DEPLOYED, deployed.trigger(), "the first check after programming always corrects");
            var firstDecision = history.decisions().get(0);
            assertEquals(org.rramlab.learning.drift.DriftAction.REPLACE, firstDecision.action(), firstDecision.reason());
            assertEquals(1, firstDecision.check(), "decided at the first check, recorded with it");
            assertTrue(firstDecision.gains() != null && !firstDecision.gains().perColumn()
                    && firstDecision.gains().registers() == 2, "a gain per layer by default (two layers): " + firstDecision);
            assertEquals(508, deployed.positions(), "2 % of 25,408 weights");
            assertTrue(deployed.areaCostMacro() > 0 && deployed.areaCostCell() > deployed.areaCostMacro(),
                    "both area views, the cell-only one the larger: " + deployed);
            programmingsBefore = programmings(lab, "net-0") + programmings(lab, "net-1");
            // every tile programmed once: 7 tiles of fc1 and 1 of fc2, four to a 256x256 array
            assertEquals(4, programmings(lab, "net-0"));
            assertEquals(4, programmings(lab, "net-1"));

            // years of drift at once: the next periodic check sees it and a round corrects it
            for (String array : List.of("net-0", "net-1")) {
                lab.<ArraySummary>ask(array, r -> new ArrayActor.AdvanceClockTo(3e8, r));
            }
            // a check under way while the clocks moved may have read one array before and one after:
            // two checks more, the second begun after both arrays drifted
            int checksThen = ask(lab, deployments, "net", OsaSupervisor.GetStatus::new).checks();
            DeploymentStatus drifted = await(lab, deployments, "net", "a check after the drift",
                    s -> s.checks() >= checksThen + 2 && s.arrayTimeSeconds() != null && s.arrayTimeSeconds() >= 3e8 - 1);
            history = ask(lab, deployments, "net", OsaSupervisor.GetHistory::new);
            DeploymentEvent.Check seen = history.checks().get(history.checks().size() - 1);
            assertTrue(seen.rawAccuracy() < history.checks().get(0).rawAccuracy(), "drift hurt the RRAM network: " + seen);
            DeploymentEvent.Decided decision = history.decisions().get(history.decisions().size() - 1);
            assertEquals(seen.number(), decision.check(), "each check is decided, with a reason: " + decision);
            assertTrue(seen.compensatedAccuracy() != null && seen.compensatedAccuracy() >= seen.accuracy(),
                    "gains from the reads do at least as well as the old ones: " + seen);
            if (decision.action() == DriftAction.NOTHING || decision.action() == DriftAction.RECOMPENSATE) {
                assertTrue(100 * (drifted.reference() - drifted.accuracy()) <= spec().thresholdOrDefault() + 1e-9,
                        "no round only when the gains hold accuracy within the threshold: " + drifted);
            }
            // an operator's round on the drifted arrays: corrected in SRAM, on top of the gains
            DeploymentStatus asked = ask(lab, deployments, "net", r -> new OsaSupervisor.CheckNow(true, r));
            assertEquals(DeploymentState.Phase.SUPERVISING, asked.phase());
            drifted = await(lab, deployments, "net", "an operator's round after the drift",
                    s -> s.rounds() >= 2);
            history = ask(lab, deployments, "net", OsaSupervisor.GetHistory::new);
            DeploymentEvent.Round later = history.rounds().get(history.rounds().size() - 1);
            assertTrue(later.trigger() == Trigger.OPERATOR || later.trigger() == Trigger.ACCURACY, later.toString());
            assertEquals(3e8, later.arrayTimeSeconds(), 1.0);
            assertTrue(later.areaCostMacro() > deployed.areaCostMacro() - 1e-12 && later.areaCostMacro() > 0,
                    "the macro cost counts the gains too: " + later);
            // years of drift leave much to win back: the round must improve accuracy and be applied
            assertTrue(later.applied() && later.accuracyAfter() > later.accuracyBefore(),
                    "the round improves accuracy: " + later);
            assertEquals(programmingsBefore, programmings(lab, "net-0") + programmings(lab, "net-1"),
                    "drift is corrected in SRAM: the RRAM is never programmed again");
            assertTrue(lab.node.api().events().after(0, 100_000).events().stream().anyMatch(e -> e.type().equals(LabEvents.OSA_ROUND)),
                    "rounds reach the live streams");
            assertTrue(history.decisions().stream().allMatch(d -> d.reason() != null && !d.reason().isBlank()),
                    "every decision says why: " + history.decisions());
            assertEquals(history.checks().size(), history.decisions().size(), "one decision per check");
            roundsBefore = drifted.rounds();
        }

        try (LabFixture lab = LabFixture.start(dataDir, null, NO_REFRESH, Duration.ofSeconds(30))) {
            OsaSupervisor.Deployments deployments = lab.node.pipeline().join().deployments();
            DeploymentStatus resumed = await(lab, deployments, "net", "a check after the restart", s -> {
                try {
                    return ask(lab, deployments, "net", OsaSupervisor.GetHistory::new).checks().stream()
                            .anyMatch(c -> c.trigger() == Trigger.RESTART);
                } catch (RuntimeException e) {
                    return false;
                }
            });
            assertEquals(DeploymentState.Phase.SUPERVISING, resumed.phase());
            assertTrue(resumed.rounds() >= roundsBefore, "rounds survive the restart");
            assertEquals(508, resumed.sramWeights(), "the corrections (2 % of the weights) survive the restart");
            assertEquals(programmingsBefore, programmings(lab, "net-0") + programmings(lab, "net-1"),
                    "a restart does not program the arrays again");
            assertEquals(1, resumed.nodeInterruptions().size(), "the unclean stop is in the history: " + resumed);
            Interruption crash = resumed.nodeInterruptions().get(0);
            assertEquals(Interruption.NODE_CRASH, crash.kind());
            assertTrue(crash.from() != null && crash.to() != null && crash.to().isAfter(crash.from()), crash.toString());
            assertTrue(crash.readsDelayed() != null && crash.readsDelayed() >= 0, crash.toString());
        }

        // this time a clean stop: the deployment hands off, and its next start records no crash, but a
        // stop, since checks (one a second) fell due while the node was down
        try (LabFixture lab = LabFixture.start(dataDir, null, NO_REFRESH, Duration.ofSeconds(30))) {
            OsaSupervisor.Deployments deployments = lab.node.pipeline().join().deployments();
            DeploymentStatus again = await(lab, deployments, "net", "the stop recorded",
                    s -> s.nodeInterruptions().size() >= 2);
            assertEquals(2, again.nodeInterruptions().size(), "one crash, one stop: " + again.nodeInterruptions());
            assertEquals(Interruption.NODE_CRASH, again.nodeInterruptions().get(0).kind());
            Interruption stop = again.nodeInterruptions().get(1);
            assertEquals(Interruption.NODE_STOP, stop.kind(), "a clean stop is not a crash: " + stop);
            assertTrue(stop.from() != null && stop.to() != null && stop.to().isAfter(stop.from()), stop.toString());
            assertTrue(stop.readsDelayed() != null && stop.readsDelayed() >= 1, "checks fell due while it was down: " + stop);
            DeploymentStatus stopped = ask(lab, deployments, "net", r -> new OsaSupervisor.Stop("test over", r));
            assertEquals(DeploymentState.Phase.STOPPED, stopped.phase());
        }
    }

    /** This test is about the SRAM path: no refresh, so the RRAM is never written after programming. */
    static final Map<String, String> NO_REFRESH = Map.of("rramlab.deployments.drift.refresh.writes-per-month", "0");

    static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        Map<String, String> both = new java.util.HashMap<>(a);
        both.putAll(b);
        return both;
    }

    /** Without the coordinated shutdown, the node's actors stop without the shards' stop message. */
    static final Map<String, String> SKIP_HAND_OFF = Map.of("pekko.coordinated-shutdown.run-by-actor-system-terminate", "off");

    @Test
    void theHttpResourcesRefuseBadInputWithMessages() throws Exception {
        try (LabFixture lab = LabFixture.start(dataDir, null, Map.of(), Duration.ofSeconds(30))) {
            Tokens.Generated tokens = lab.node.api().generatedTokens().orElseThrow();
            String base = "http://127.0.0.1:" + lab.node.httpPort();
            assertEquals(401, call(base, null, "POST", "/api/deployments", "{\"model\":\"tiny\"}").status());
            assertEquals(403, call(base, tokens.viewer(), "POST", "/api/deployments", "{\"model\":\"tiny\"}").status());
            String op = tokens.operator();
            assertBad(base, op, "{\"model\":\"ghost\"}", "not saved");
            assertBad(base, op, "{not json", "bad JSON");
            assertBad(base, op, "{\"model\":\"tiny\",\"colour\":\"red\"}", "colour");
            assertBad(base, op, "{\"model\":\"tiny\",\"sram_fraction\":2}", "sram_fraction");
            assertBad(base, op, "{\"model\":\"tiny\",\"placement\":\"everywhere\"}", "placement");
            assertBad(base, op, "{\"id\":\"bad id!\",\"model\":\"tiny\"}", "id");
            assertBad(base, op, "{}", "model");
            assertBad(base, op, "{\"model\":\"tiny\",\"preset\":\"no-such-preset\"}", "no-such-preset");
            assertEquals(404, call(base, tokens.viewer(), "GET", "/api/deployments/nope", null).status());
            assertEquals(404, call(base, op, "POST", "/api/deployments/nope/check", null).status());
            assertEquals(0, call(base, tokens.viewer(), "GET", "/api/deployments", null).body().size(),
                    "bad specs created nothing");

            Reply created = call(base, op, "POST", "/api/deployments", "{\"id\":\"web\",\"model\":\"tiny\","
                    + "\"check_interval_seconds\":3600,\"check_images\":200,\"calibration_images\":200,\"osa_epochs\":1}");
            assertEquals(201, created.status(), created.body().toString());
            assertTrue(created.body().path("node_interruptions").isArray(), created.body().toString());
            assertEquals("simulated", created.body().path("provenance_at_start").path("arrays").path("web-0").path("driver")
                    .asText(), "the status shows what it started with: " + created.body());
            assertEquals(409, call(base, op, "POST", "/api/deployments", "{\"id\":\"web\",\"model\":\"tiny\"}").status(),
                    "the same id with another spec is a conflict");
            OsaSupervisor.Deployments deployments = lab.node.pipeline().join().deployments();
            await(lab, deployments, "web", "its first round", s -> s.rounds() >= 1);
            JsonNode rounds = call(base, tokens.viewer(), "GET", "/api/deployments/web/osa-rounds", null).body();
            assertEquals("deployed", rounds.get(0).path("trigger").asText());
            assertFalse(call(base, tokens.viewer(), "GET", "/api/deployments/web/checks", null).body().isEmpty());
            assertEquals(200, call(base, op, "POST", "/api/deployments/web/check?adapt=true", null).status());
            await(lab, deployments, "web", "the operator's round", s -> s.rounds() >= 2);
            assertEquals("operator", call(base, tokens.viewer(), "GET", "/api/deployments/web/osa-rounds", null)
                    .body().get(1).path("trigger").asText());
            assertEquals("stopped", call(base, op, "POST", "/api/deployments/web/stop", null).body().path("phase").asText());
            assertEquals(409, call(base, op, "POST", "/api/deployments/web/check", null).status(),
                    "a stopped deployment is not checked");
        }
    }

    record Reply(int status, JsonNode body) {}

    static Reply call(String base, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    static void assertBad(String base, String token, String body, String mentions) throws Exception {
        Reply r = call(base, token, "POST", "/api/deployments", body);
        assertEquals(400, r.status(), body + " -> " + r.body());
        String error = r.body().path("error").asText();
        assertTrue(error.contains(mentions), "the message names the problem (" + mentions + "): " + error);
    }

    static long programmings(LabFixture lab, String arrayId) {
        return lab.<ArraySummary>ask(arrayId, ArrayActor.GetState::new).programmings();
    }

    static <T> T ask(LabFixture lab, OsaSupervisor.Deployments deployments, String id,
                     Function<ActorRef<StatusReply<T>>, OsaSupervisor.Command> command) {
        return AskPattern.<ShardingEnvelope<OsaSupervisor.Command>, T>askWithStatus(deployments.region(),
                        r -> new ShardingEnvelope<>(id, command.apply(r)), Duration.ofSeconds(120),
                        lab.node.system().scheduler())
                .toCompletableFuture().join();
    }

    static DeploymentStatus await(LabFixture lab, OsaSupervisor.Deployments deployments, String id, String what,
                                  Predicate<DeploymentStatus> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        DeploymentStatus last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = ask(lab, deployments, id, OsaSupervisor.GetStatus::new);
                if (condition.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                // not there yet (a restart in progress)
            }
            Thread.sleep(200);
        }
        throw new AssertionError("deployment " + id + " did not reach '" + what + "' in 180 s; last: " + last);
    }
}
