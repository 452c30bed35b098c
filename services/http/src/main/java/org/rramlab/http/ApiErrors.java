package org.rramlab.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the API returns is JSON, {"error": "...", "status": N}, with a message that says
 * what was wrong. Bad input is a 4xx; only a fault of ours is a 5xx, and it is logged.
 */
public final class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {}

    public static Route handled(Supplier<Route> inner) {
        return handleExceptions(exceptions(), () -> handleRejections(rejections(), inner));
    }

    public static Route error(StatusCode status, String message) {
        return complete(status, HttpEntities.create(ContentTypes.APPLICATION_JSON, body(status, message)));
    }

    static String body(StatusCode status, String message) {
        try {
            return Json.mapper().writeValueAsString(Map.of("error", message, "status", status.intValue()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ExceptionHandler exceptions() {
        return ExceptionHandler.newBuilder()
                .match(IllegalArgumentException.class, e -> error(StatusCodes.BAD_REQUEST, e.getMessage()))
                .match(EntityStreamSizeException.class, e -> error(StatusCodes.PAYLOAD_TOO_LARGE,
                        "the request body is larger than the node accepts (" + e.limit() + " bytes); send less"))
                .match(IllegalRequestException.class, e -> error(e.status(), e.info().formatPretty()))
                .matchAny(e -> {
                    log.error("request failed: {}", e.toString());
                    return error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage());
                })
                .build();
    }

    private static RejectionHandler rejections() {
        return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
            if (response.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict strict
                    && !strict.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
                String text = strict.getData().utf8String();
                return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                        body(response.status(), text)));
            }
            return response;
        });
    }
}
