package org.rramlab.api;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.rramlab.array.ArrayActor;
import org.rramlab.campaign.CampaignActor;
import org.rramlab.campaign.CampaignRoutes;
import org.rramlab.deploy.DeploymentRoutes;
import org.rramlab.training.TrainerRoutes;
import org.rramlab.http.Tokens;
import org.rramlab.livestats.StatisticsRoutes;
import org.rramlab.node.LabConfig;
import org.rramlab.app.node.LabApi;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LivePipeline;

/**
 * A real node with the whole API on a free port, wired as the node wires it: /health open,
 * statistics, arrays and campaigns behind tokens, streams, OpenAPI and the dashboard.
 */
final class ApiNode implements AutoCloseable {
    static final String OPERATOR = "op-test-token-0123456789";
    static final String VIEWER = "vw-test-token-0123456789";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** The base URL of the node started last, for helpers without a reference to it. */
    static final java.util.concurrent.atomic.AtomicReference<String> HTTP_BASE = new java.util.concurrent.atomic.AtomicReference<>();

    final LabNode node;
    final LabApi api;
    final ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays;
    final ServerBinding binding;
    final String base;

    private ApiNode(LabNode node, LabApi api, ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays,
                    ServerBinding binding) {
        this.node = node;
        this.api = api;
        this.arrays = arrays;
        this.binding = binding;
        this.base = "http://127.0.0.1:" + binding.localAddress().getPort();
        HTTP_BASE.set(base);
    }

    static ApiNode start(Path dataDir, Map<String, String> extra) throws Exception {
        Map<String, String> overrides = new HashMap<>(Map.of(
                "rramlab.data-dir", ConfigUtil.quoteString(dataDir.toString()),
                "rramlab.http.port", "0"));
        Config config = ConfigFactory.parseMap(extra).withFallback(LabConfig.load(overrides, Map.of())).resolve();
        LabNode node = LabNode.start(config);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!node.readiness().toCompletableFuture().join().ready()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the test node did not get ready in 90 s");
                }
                Thread.sleep(100);
            }
            LivePipeline pipeline = node.pipeline().get(60, TimeUnit.SECONDS);
            var arrays = ArrayActor.init(node.system(), pipeline.measurement());
            var campaigns = CampaignActor.init(node.system(), arrays);
            LabApi api = LabApi.start(node.system(), config, Tokens.of(List.of(OPERATOR), List.of(VIEWER)),
                    node.pipeline().thenApply(LivePipeline::statistics));
            var statistics = new StatisticsRoutes(node.system(), node.pipeline().thenApply(LivePipeline::forStatisticsRoutes), node.settings().dataDir());
            var route = api.routes(
                    path("health", () -> get(() -> complete(StatusCodes.OK, "{\"status\":\"alive\"}"))),
                    concat(pathPrefix("api", statistics::routes),
                            new org.rramlab.http.BenchmarkRoutes(node.settings().dataDir().resolve("benchmarks")
                                    .resolve("drift.json")).routes(),
                            new org.rramlab.app.node.WaferRoutes(node.settings().dataDir().resolve("wafers")).routes(),
                            new TrainerRoutes(node.system(), node.settings().dataDir(),
                                    node.pipeline().thenApply(LivePipeline::trainer)).routes(),
                            // arrays' list, imports and exports, as the node wires them (before the campaign routes)
                            new org.rramlab.livearchive.ArchiveRoutes(node.system(), node.archive(),
                                    pipeline.forArchiveRoutes(), node.settings().dataDir(),
                                    org.rramlab.device.DevicePreset.load(config.getString("rramlab.statistics.preset"))
                                            .levels(), Duration.ofSeconds(30)).routes(),
                            new DeploymentRoutes(node.system(), pipeline.deployments(), Duration.ofSeconds(30)).routes(),
                            new CampaignRoutes(node.system(), arrays, campaigns).routes()));
            ServerBinding binding = Http.get(node.system()).newServerAt("127.0.0.1", 0).bind(route)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            return new ApiNode(node, api, arrays, binding);
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
    }

    HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        return call(method, path, token, body, "application/json");
    }

    HttpResponse<String> call(String method, String path, String token, String body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the node's stop takes the server down anyway
        }
        node.close();
    }
}
