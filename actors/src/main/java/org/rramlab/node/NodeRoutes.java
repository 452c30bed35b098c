package org.rramlab.node;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOKWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.rramlab.http.ApiErrors;
import org.rramlab.http.Json;

/** The node's own endpoints: liveness, readiness and its start history. */
final class NodeRoutes {
    private final LabNode node;
    private final Instant startedAt = Instant.now();

    NodeRoutes(LabNode node) {
        this.node = node;
    }

    Route routes() {
        return ApiErrors.handled(() -> get(() -> concat(
                path("health", () -> complete(StatusCodes.OK, Map.of(
                        "status", "alive",
                        "version", Version.current(),
                        "uptime_seconds", Duration.between(startedAt, Instant.now()).toSeconds()), Json.marshaller())),
                path("ready", () -> onSuccess(node.readiness(), readiness -> complete(
                        readiness.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
                        readiness, Json.marshaller()))),
                path(org.apache.pekko.http.javadsl.server.PathMatchers.segment("api")
                                .slash("node"),
                        () -> completeOKWithFuture(node.history(), Json.marshaller())))));
    }
}
