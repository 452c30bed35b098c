package org.rramlab.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.handleWebSocketMessages;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeader;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The live streams over the {@link EventLog}: Server-Sent Events at {@code events} and the same
 * events as JSON text messages over a WebSocket at {@code ws} (the caller mounts both under
 * {@code /api/streams}).
 *
 * <p>Each monitor pulls from the log with its own cursor, so nothing is buffered per monitor
 * beyond one batch: a slow monitor just reads later. One that falls so far behind that the log
 * dropped events it has not read yet is disconnected; it reconnects with its Last-Event-ID and
 * first gets a {@value EventLog#GAP} event naming what it can no longer get.
 */
public final class EventStreams {
    private static final String HEARTBEAT_JSON = "{\"type\":\"heartbeat\"}";
    private static final ByteString HEARTBEAT = ByteString.fromString(": heartbeat\n\n");

    private final EventLog log;
    private final StreamSettings settings;
    private final Executor executor;
    private final AtomicInteger open = new AtomicInteger();

    public EventStreams(EventLog log, StreamSettings settings, Executor executor) {
        this.log = log;
        this.settings = settings;
        this.executor = executor;
    }

    public Route routes() {
        return concat(
                path("events", () -> get(() -> optionalHeaderValueByName("Last-Event-ID", header ->
                        parameterOptional("last_event_id", query -> cursor(header.or(() -> query), "Last-Event-ID",
                                this::sse))))),
                path("ws", () -> get(() -> parameterOptional("since", since -> cursor(since, "since",
                        this::webSocket)))));
    }

    /** Monitors connected now. */
    public int openMonitors() {
        return open.get();
    }

    private Route cursor(Optional<String> raw, String name, Function<OptionalLong, Route> inner) {
        if (raw.isEmpty() || raw.get().isBlank()) {
            return inner.apply(OptionalLong.empty());
        }
        try {
            return inner.apply(OptionalLong.of(Long.parseLong(raw.get().strip())));
        } catch (NumberFormatException e) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, name + " must be the integer id of the last event"
                    + " received, not '" + abbreviate(raw.get()) + "'; leave it out to start from the current state");
        }
    }

    private Route sse(OptionalLong lastId) {
        return admitted(() -> {
            String retry = "retry: " + settings.retry().toMillis() + "\n";
            // rendered here rather than through ServerSentEvent so heartbeats are comment lines,
            // which an EventSource ignores, and the first event tells it how soon to reconnect
            Source<ByteString, NotUsed> stream = events(lastId).zipWithIndex()
                    .map(p -> ByteString.fromString(render(p.first(), p.second() == 0 ? retry : "")))
                    .keepAlive(settings.heartbeat(), () -> HEARTBEAT)
                    .watchTermination(this::counted);
            // proxies must neither buffer nor cache a stream
            return respondWithHeader(RawHeader.create("X-Accel-Buffering", "no"), () ->
                    respondWithHeader(RawHeader.create("Cache-Control", "no-cache"), () ->
                            complete(HttpResponse.create().withEntity(
                                    HttpEntities.create(MediaTypes.TEXT_EVENT_STREAM.toContentType(), stream)))));
        });
    }

    /** One event in the text/event-stream format; the JSON is on one line. A gap notice has no id. */
    static String render(LabEvent e, String prefix) {
        StringBuilder b = new StringBuilder(e.json().length() + 64).append(prefix);
        if (e.id() >= 0) {
            b.append("id: ").append(e.id()).append('\n');
        }
        return b.append("event: ").append(e.type()).append('\n').append("data: ").append(e.json()).append("\n\n")
                .toString();
    }

    private Route webSocket(OptionalLong since) {
        return admitted(() -> {
            Source<Message, NotUsed> out = events(since)
                    .<Message>map(e -> TextMessage.create(e.json()))
                    .keepAlive(settings.heartbeat(), () -> TextMessage.create(HEARTBEAT_JSON))
                    .watchTermination(this::counted);
            // what the monitor sends is ignored; either side closing ends both
            return handleWebSocketMessages(Flow.fromSinkAndSourceCoupled(Sink.<Message>ignore(), out));
        });
    }

    private Route admitted(java.util.function.Supplier<Route> inner) {
        // a soft limit: monitors are counted while their stream runs
        if (open.get() >= settings.maxMonitors()) {
            return ApiErrors.error(StatusCodes.SERVICE_UNAVAILABLE, "the node already serves "
                    + settings.maxMonitors() + " monitors (rramlab.http.streams.max-monitors); try again later");
        }
        return inner.get();
    }

    private NotUsed counted(NotUsed mat, java.util.concurrent.CompletionStage<org.apache.pekko.Done> done) {
        open.incrementAndGet();
        done.whenComplete((d, e) -> open.decrementAndGet());
        return mat;
    }

    /**
     * The events a monitor gets: with a cursor, everything after it (a gap event first when some
     * are gone); without, the current state (see {@link EventLog#snapshot()}); then live.
     */
    public Source<LabEvent, NotUsed> events(OptionalLong lastId) {
        return Source.lazySource(() -> {
            EventLog.Batch first = lastId.isPresent() ? log.after(lastId.getAsLong(), settings.batch()) : log.snapshot();
            List<LabEvent> head = new ArrayList<>(first.events().size() + 1);
            if (first.gap()) {
                head.add(EventLog.gap(first.missedFrom(), first.missedTo(),
                        first.events().isEmpty() ? log.oldestId() : first.events().get(0).id()));
            }
            head.addAll(first.events());
            return Source.from(head).concat(live(first.cursor()));
        }).mapMaterializedValue(f -> NotUsed.getInstance());
    }

    private Source<LabEvent, NotUsed> live(long cursor) {
        long wait = settings.heartbeat().toMillis();
        return Source.<Long, List<LabEvent>>unfoldAsync(cursor, at -> log.awaitAfter(at, wait).thenApplyAsync(v -> {
            EventLog.Batch b = log.after(at, settings.batch());
            if (b.gap()) {
                // this monitor fell behind what the log holds: end it, it resumes with its Last-Event-ID
                return Optional.<Pair<Long, List<LabEvent>>>empty();
            }
            return Optional.of(Pair.create(b.cursor(), b.events()));
        }, executor)).mapConcat(list -> list);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
