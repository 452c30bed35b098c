package org.rramlab.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Read-only: {@code GET /api/benchmarks/drift}, the latest {@code rramlab bench drift} results as the
 * command left them in the data dir ({@code <data-dir>/benchmarks/drift.json}), for the dashboard's
 * drift-benchmark panel. The file is served as written; 404 says how to make one.
 */
public final class BenchmarkRoutes {
    private final Path drift;

    /** @param drift the file the drift benchmark writes its latest results to */
    public BenchmarkRoutes(Path drift) {
        this.drift = drift;
    }

    /** Routes under /api (they match the prefix themselves). */
    public Route routes() {
        return pathPrefix("api", () -> pathPrefix("benchmarks", () -> path("drift", () -> get(() -> extractRequest(r -> drift())))));
    }

    /** Read at each request: a run made while the node is up shows at the next load. */
    private Route drift() {
        try {
            byte[] body = Files.readAllBytes(drift);
            return complete(HttpResponse.create().withStatus(StatusCodes.OK)
                    .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body)));
        } catch (NoSuchFileException e) {
            return ApiErrors.error(StatusCodes.NOT_FOUND, "no drift benchmark has run with this data dir (" + drift
                    + " is missing): run ./rramlab bench drift --quick --data-dir <this node's data dir>");
        } catch (IOException e) {
            return ApiErrors.error(StatusCodes.INTERNAL_SERVER_ERROR, "the drift benchmark's results " + drift
                    + " cannot be read: " + e.getMessage());
        }
    }
}
