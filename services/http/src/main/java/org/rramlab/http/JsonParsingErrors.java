package org.rramlab.http;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * JSON errors for requests too malformed to reach the routes (a bad request line, a URI past the
 * length limit, an unknown method or HTTP version), in the API's error form. Such a request is
 * the client's fault, so what the server layer would call 501 or 505 becomes a 400.
 * Enabled by {@value #CONFIG_KEY} = "org.rramlab.http.JsonParsingErrors".
 */
public final class JsonParsingErrors extends ParsingErrorHandler {
    public static final String CONFIG_KEY = "pekko.http.server.parsing.error-handler";

    @Override
    public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
        org.apache.pekko.http.javadsl.model.StatusCode out = status.isFailure() && status.intValue() >= 500
                ? StatusCodes.BAD_REQUEST : status;
        String message = info.formatPretty();
        if (out != status) {
            message = message + " (the node speaks HTTP/1.0 and 1.1 with the standard methods)";
        }
        return HttpResponse.create().withStatus(out)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, ApiErrors.body(out, message)));
    }
}
