package org.rramlab.node;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOKWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.rramlab.http.ApiErrors;
import org.rramlab.livestats.StatisticsRoutes;
import org.rramlab.http.Json;

/** The node's own endpoints: liveness, readiness and its start history. */
final class NodeRoutes {
    private final LabNode node;
    private final Instant startedAt = Instant.now();

    private final StatisticsRoutes statistics;

    NodeRoutes(LabNode node) {
        this.node = node;
        this.statistics = new StatisticsRoutes(node.system(), node.pipeline(), node.settings().dataDir());
    }

    Route routes() {
        return ApiErrors.handled(() -> concat(
                path("health", () -> get(() -> complete(StatusCodes.OK, Map.of(
                        "status", "alive",
                        "version", Version.current(),
                        "uptime_seconds", Duration.between(startedAt, Instant.now()).toSeconds()), Json.marshaller()))),
                path("ready", () -> get(() -> onSuccess(node.readiness(), readiness -> complete(
                        readiness.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
                        readiness, Json.marshaller())))),
                pathPrefix("api", () -> concat(
                        path("node", () -> get(() -> completeOKWithFuture(node.history(), Json.marshaller()))),
                        statistics.routes()))));
    }
}
