package org.rramlab.app.node;

import org.rramlab.node.Version;
import org.rramlab.cluster.ClusterRoutes;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOKWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequestContext;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.rramlab.livearchive.ArchiveRoutes;
import org.apache.pekko.http.javadsl.server.Route;
import java.util.concurrent.CompletableFuture;
import org.rramlab.campaign.CampaignRoutes;
import org.rramlab.campaign.CampaignSettings;
import org.rramlab.deploy.DeploymentRoutes;
import org.rramlab.http.ApiErrors;
import org.rramlab.livestats.StatisticsRoutes;
import org.rramlab.http.Json;
import org.rramlab.training.TrainerRoutes;

/** The node's own endpoints: liveness, readiness and its start history. */
final class NodeRoutes {
    /** The Prometheus text exposition format. */
    private static final org.apache.pekko.http.javadsl.model.ContentType.WithCharset PROMETHEUS = ContentTypes.TEXT_PLAIN_UTF8;
    private final LabNode node;
    private final Instant startedAt = Instant.now();

    private final StatisticsRoutes statistics;
    private final TrainerRoutes training;
    private volatile Route live;

    NodeRoutes(LabNode node) {
        this.node = node;
        this.statistics = new StatisticsRoutes(node.system(), node.pipeline().thenApply(LivePipeline::forStatisticsRoutes), node.settings().dataDir());
        // models are served at once; training jobs answer 503 until the pipeline runs
        this.training = new TrainerRoutes(node.system(), node.settings().dataDir(),
                node.pipeline().thenApply(LivePipeline::trainer));
    }

    /**
     * /health and /ready stay open; everything under /api needs a token (see LabApi). The
     * campaign routes come last: they answer 404 for anything they do not match.
     */
    Route routes() {
        Route open = concat(
                path("health", () -> get(() -> complete(StatusCodes.OK, Map.of(
                        "status", "alive",
                        "version", Version.current(),
                        "uptime_seconds", Duration.between(startedAt, Instant.now()).toSeconds()), Json.marshaller()))),
                path("metrics", () -> get(() -> complete(HttpResponse.create().withEntity(HttpEntities.create(
                        PROMETHEUS, node.metrics().scrape()))))),
                path("ready", () -> get(() -> optionalHeaderValueByName("Authorization", auth ->
                        onSuccess(node.readiness(), readiness -> complete(
                                readiness.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
                                withToken(auth) ? readiness : readiness.withoutDetails(), Json.marshaller()))))));
        Route api = diskGuard(concat(
                pathPrefix("api", () -> concat(
                        path("node", () -> get(() -> completeOKWithFuture(node.history(), Json.marshaller()))),
                        new ClusterRoutes(node.system()).routes(),
                        statistics.routes())),
                new org.rramlab.http.BenchmarkRoutes(node.settings().dataDir().resolve("benchmarks").resolve("drift.json"))
                        .routes(),
                new WaferRoutes(node.settings().dataDir().resolve("wafers")).routes(),
                training.routes(),
                campaignRoutes()));
        return node.api().routes(open, api);
    }

    /**
     * While the data directory is low on space (DiskSpace), a request that would start new work
     * (POST, PUT, PATCH) is refused with 507 and the reason; reads, deletions and the requests that
     * lessen work (pause, stop, abort, cancel) still pass. The OpenAPI document lists 507 for the rest.
     */
    private Route diskGuard(Route inner) {
        org.rramlab.node.DiskSpace disk = org.rramlab.node.DiskSpace.get(node.system());
        return extractRequestContext(ctx -> {
            String method = ctx.getRequest().method().value();
            String path = ctx.getRequest().getUri().path();
            boolean adds = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
            boolean lessens = path.endsWith("/pause") || path.endsWith("/stop") || path.endsWith("/abort")
                    || path.endsWith("/cancel");
            var refusal = adds && !lessens ? disk.refusal() : java.util.Optional.<String>empty();
            return refusal.isPresent() ? ApiErrors.error(StatusCodes.INSUFFICIENT_STORAGE, refusal.get()) : inner;
        });
    }

    /** True when the request carries a valid token: /ready's details (paths, hosts, errors) are for the lab's people. */
    private boolean withToken(java.util.Optional<String> authorization) {
        return authorization.map(h -> h.strip())
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .flatMap(h -> node.api().tokens().roleOf(h.substring(7).strip()))
                .isPresent();
    }

    /** Arrays, campaigns and deployments exist once the live pipeline has started; until then a 503 says so. */
    private Route campaignRoutes() {
        return extractRequestContext(ctx -> {
            CompletableFuture<LivePipeline> pipeline = node.pipeline();
            if (!pipeline.isDone() || pipeline.isCompletedExceptionally()) {
                return pathPrefix("api", () -> concat(pathPrefix("arrays", () -> notYet()), path("archive", () -> notYet()),
                        pathPrefix("campaigns", () -> notYet()), pathPrefix("deployments", () -> notYet())));
            }
            if (live == null) {
                LivePipeline p = pipeline.join();
                Duration timeout = CampaignSettings.from(node.system().settings().config()).askTimeout();
                int levels = org.rramlab.device.DevicePreset.load(node.system().settings().config()
                        .getString("rramlab.statistics.preset")).levels();
                live = concat(new ArchiveRoutes(node.system(), node.archive(), p.forArchiveRoutes(), node.settings().dataDir(), levels,
                                timeout).routes(),
                        new DeploymentRoutes(node.system(), p.deployments(), timeout).routes(),
                        new CampaignRoutes(node.system(), p.arrays(), p.campaigns()).routes());
            }
            return live;
        });
    }

    private static Route notYet() {
        return ApiErrors.error(StatusCodes.SERVICE_UNAVAILABLE, "arrays, campaigns and deployments are not running yet: the"
                + " broker or the journal is still starting; see /ready");
    }
}
