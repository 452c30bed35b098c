package org.rramlab.http;

import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.server.Route;

/** The OpenAPI 3 description of the node's HTTP API, a hand-written resource. Open to everyone. */
public final class OpenApi {
    public static final String RESOURCE = "org/rramlab/http/openapi.json";

    private OpenApi() {}

    /** {@code openapi.json}; the caller mounts it under /api. */
    public static Route route() {
        return path("openapi.json", () -> get(() -> getFromResource(RESOURCE, ContentTypes.APPLICATION_JSON)));
    }
}
