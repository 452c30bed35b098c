package org.rramlab.http;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeader;

import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The web dashboard: static files from the classpath ({@code dashboard/}) and the chart library
 * from its WebJar. Open to everyone; the data behind it needs a token.
 */
public final class Dashboard {
    /** Where uPlot's files are, under /webjars/. */
    public static final String UPLOT = "uplot/1.6.30/dist/";

    private Dashboard() {}

    public static Route routes() {
        // revalidate on every load: a node upgrade must not leave a monitor on old scripts
        return concat(
                pathSingleSlash(() -> get(() -> fresh(() -> getFromResource("dashboard/index.html")))),
                pathPrefix("dashboard", () -> get(() -> fresh(() -> getFromResourceDirectory("dashboard")))),
                pathPrefix("webjars", () -> get(() -> fresh(() -> getFromResourceDirectory("META-INF/resources/webjars")))));
    }

    private static Route fresh(java.util.function.Supplier<Route> inner) {
        return respondWithHeader(RawHeader.create("Cache-Control", "no-cache"), inner);
    }
}
