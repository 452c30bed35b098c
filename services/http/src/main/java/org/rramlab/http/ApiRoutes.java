package org.rramlab.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefixTest;

import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The node's whole HTTP surface, in the order requests are tried:
 * <ol>
 * <li>the dashboard ({@code /}, {@code /dashboard/**}, {@code /webjars/**}): open;</li>
 * <li>{@code open}: the caller's unguarded routes (/health, /ready);</li>
 * <li>{@code /api/openapi.json}: open;</li>
 * <li>{@code /api/session}: the role of the token sent (viewer or operator), for the dashboard;</li>
 * <li>{@code /api/streams/events} and {@code /api/streams/ws}: viewer token, also as {@code ?access_token=};</li>
 * <li>{@code api}: the caller's routes under /api (they match the "api" prefix themselves):
 *     viewer token for GET and HEAD, operator token otherwise.</li>
 * </ol>
 * Every error is JSON ({@link ApiErrors}).
 */
public final class ApiRoutes {
    private final Auth auth;
    private final EventStreams streams;

    public ApiRoutes(Auth auth, EventStreams streams) {
        this.auth = auth;
        this.streams = streams;
    }

    public Route routes(Route open, Route api) {
        return ApiErrors.handled(() -> concat(
                Dashboard.routes(),
                open,
                pathPrefix("api", () -> concat(
                        OpenApi.route(),
                        path("session", () -> get(() -> auth.withRole(Role.VIEWER, false, role ->
                                complete(StatusCodes.OK, Map.of("role", role.label()), Json.marshaller())))),
                        pathPrefix("streams", () -> auth.require(Role.VIEWER, true, streams::routes)))),
                pathPrefixTest("api", () -> auth.byMethod(() -> api))));
    }
}
