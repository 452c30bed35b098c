package org.rramlab.http;

import static org.apache.pekko.http.javadsl.server.Directives.extractMethod;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeader;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Bearer-token directives. Reads (GET, HEAD) need a viewer or operator token, everything else an
 * operator token. A missing or unknown token is a 401, a token of too small a role a 403, both
 * JSON. Browsers cannot put headers on an EventSource or WebSocket, so the stream endpoints also
 * take the token as {@code ?access_token=}.
 */
public final class Auth {
    private static final String SCHEME = "Bearer ";

    private final Tokens tokens;

    public Auth(Tokens tokens) {
        this.tokens = tokens;
    }

    /** The role the request's method needs: viewer for GET and HEAD, operator otherwise. */
    public Route byMethod(Supplier<Route> inner) {
        return extractMethod(method -> require(neededFor(method), false, inner));
    }

    /** Passes to {@code inner} when the request carries a token of at least {@code needed}. */
    public Route require(Role needed, boolean tokenInQuery, Supplier<Route> inner) {
        return withRole(needed, tokenInQuery, role -> inner.get());
    }

    /** The same, telling {@code inner} the role of the token. */
    public Route withRole(Role needed, boolean tokenInQuery, Function<Role, Route> inner) {
        return optionalHeaderValueByName("Authorization", header -> tokenInQuery
                ? parameterOptional("access_token", query -> check(needed, header, query, inner))
                : check(needed, header, Optional.empty(), inner));
    }

    private Route check(Role needed, Optional<String> header, Optional<String> query, Function<Role, Route> inner) {
        String token;
        if (header.isPresent()) {
            String h = header.get().strip();
            if (!h.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
                return unauthorized("the Authorization header must be 'Bearer <token>'");
            }
            token = h.substring(SCHEME.length()).strip();
        } else if (query.isPresent()) {
            token = query.get().strip();
        } else {
            return unauthorized("this needs a bearer token: send 'Authorization: Bearer <token>' ("
                    + needed.label() + " role or higher); `rramlab run` prints the tokens at the first start");
        }
        Optional<Role> role = tokens.roleOf(token);
        if (role.isEmpty()) {
            return unauthorized("the token is not valid; use a token printed at the node's first start or one"
                    + " listed under rramlab.http.tokens");
        }
        if (!role.get().allows(needed)) {
            return ApiErrors.error(StatusCodes.FORBIDDEN, "this needs an operator token; the token sent is a "
                    + role.get().label() + " token, which may only read");
        }
        return inner.apply(role.get());
    }

    private static Route unauthorized(String message) {
        return respondWithHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"rramlab\""),
                () -> ApiErrors.error(StatusCodes.UNAUTHORIZED, message));
    }

    static Role neededFor(HttpMethod method) {
        return method.equals(HttpMethods.GET) || method.equals(HttpMethods.HEAD) ? Role.VIEWER : Role.OPERATOR;
    }
}
