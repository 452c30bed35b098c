package org.rramlab.api;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;
import org.rramlab.http.ApiErrors;
import org.rramlab.http.Json;

/**
 * Turns actors' answers into HTTP replies: a value as JSON, a {@link Refusal} as a JSON error
 * whose status its kind chooses (404 unknown id, 409 not in this state, 400 bad input, 503 not
 * now: unavailable, link down, not published), 503 when no answer came in time. The status never depends on the words of a message.
 */
public final class Replies {
    private Replies() {}

    /** The status each kind of refusal is answered with. */
    public static StatusCode status(Refusal.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> StatusCodes.NOT_FOUND;
            case CONFLICT -> StatusCodes.CONFLICT;
            case BAD_INPUT -> StatusCodes.BAD_REQUEST;
            case UNAVAILABLE, LINK_DOWN, NOT_PUBLISHED -> StatusCodes.SERVICE_UNAVAILABLE;
            case TOO_LARGE -> StatusCodes.PAYLOAD_TOO_LARGE;
        };
    }

    /** The value with status {@code ok}, or the failure as {@link #failure(Throwable, Duration)} says. */
    public static <T> Route reply(CompletionStage<T> answer, StatusCode ok, Duration timeout) {
        return onSuccess(answer.handle((value, error) -> error == null
                ? complete(ok, value, Json.<T>marshaller()) : failure(error, timeout)), route -> route);
    }

    /**
     * A refusal by its kind; a plain {@code StatusReply.error} message (from no actor of this
     * node, but kept so a stray one is not a 500) as bad input; a timeout as 503; anything else as 500.
     */
    public static Route failure(Throwable error, Duration timeout) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof Refusal r) {
            return ApiErrors.error(status(r.kind()), r.getMessage());
        }
        if (t instanceof TimeoutException) {
            return ApiErrors.error(StatusCodes.SERVICE_UNAVAILABLE, "the node did not answer within "
                    + timeout.toSeconds() + " s; it may be busy or still starting: try again");
        }
        if (t instanceof StatusReply.ErrorMessage) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, String.valueOf(t.getMessage()));
        }
        return ApiErrors.error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error: " + t.getMessage());
    }

    /** Every id's answer, asked one by one; an id that does not answer is left out. */
    public static <T> CompletionStage<List<T>> each(CompletionStage<List<String>> ids,
                                                    java.util.function.Function<String, CompletionStage<T>> ask) {
        return ids.thenCompose(all -> {
            List<CompletableFuture<T>> each = new ArrayList<>();
            for (String id : all) {
                each.add(ask.apply(id).toCompletableFuture().exceptionally(e -> null));
            }
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> each.stream()
                    .map(CompletableFuture::join).filter(Objects::nonNull).toList());
        });
    }

    /** The body, or a parse error that says it is missing. */
    public static String nonEmpty(String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            throw new JsonParseException(null, "the request has no body");
        }
        return body;
    }

    public static Route badJson(JsonProcessingException e, String example) {
        String what = e instanceof UnrecognizedPropertyException u
                ? "unknown field \"" + u.getPropertyName() + "\" (known: " + u.getKnownPropertyIds() + ")"
                : e.getOriginalMessage();
        return ApiErrors.error(StatusCodes.BAD_REQUEST, "bad JSON: " + what + "; send an object like " + example);
    }
}
