package org.rramlab.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.http.EventLog;
import org.rramlab.http.EventStreams;
import org.rramlab.http.LabEvent;
import org.rramlab.http.StreamSettings;

/** The live streams on a real node: resume without gap or duplicate, many monitors, WebSocket, tokens, slow monitors. */
class StreamsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static ApiNode api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiNode.start(dataDir, Map.of("rramlab.http.streams.heartbeat", "500ms"));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    String events() {
        return api.base + "/api/streams/events";
    }

    /** Appends {@code count} events of a type of its own, a few at a time, from another thread. */
    static Future<?> publish(String type, int count, ExecutorService pool) {
        return pool.submit(() -> {
            for (int i = 0; i < count; i++) {
                api.api.events().append(type, Map.of("n", i));
                if (i % 20 == 19) {
                    Thread.sleep(2);
                }
            }
            return null;
        });
    }

    @Test
    void aMonitorThatReconnectsWithLastEventIdGetsEveryEventItMissedOnce() throws Exception {
        String type = "test.resume";
        int total = 3000;
        List<Integer> seen = new ArrayList<>();
        long lastId = Long.MIN_VALUE;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        String last = null;
        int reconnects = 0;
        try {
            SseClient sse = SseClient.open(ApiNode.HTTP, events(), ApiNode.VIEWER, null);
            assertEquals(200, sse.status);
            Future<?> producer = publish(type, total, pool);
            while (seen.size() < total) {
                SseClient.Event e = sse.next();
                assertNotNull(e, "the stream ended early");
                if (e.id() != null) {
                    long id = Long.parseLong(e.id());
                    assertTrue(id > lastId, "ids strictly increase: " + id + " after " + lastId);
                    lastId = id;
                    last = e.id();
                }
                if (e.type().equals(type)) {
                    seen.add(JSON.readTree(e.data()).at("/data/n").asInt());
                    // every 400 events: drop the connection, let events pass, come back with Last-Event-ID
                    if (seen.size() % 400 == 0 && seen.size() < total) {
                        sse.close();
                        Thread.sleep(30);
                        sse = SseClient.open(ApiNode.HTTP, events(), ApiNode.VIEWER, last);
                        assertEquals(200, sse.status);
                        reconnects++;
                    }
                }
            }
            sse.close();
            producer.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(7, reconnects);
        for (int i = 0; i < total; i++) {
            assertEquals(i, seen.get(i), "event " + i + ": no gap, no duplicate, in order");
        }
    }

    @Test
    void twentyMonitorsReceiveTheSameEventsAndQueryTokensWork() throws Exception {
        String type = "test.fanout";
        int total = 1000;
        int monitors = 20;
        ExecutorService pool = Executors.newFixedThreadPool(monitors + 1);
        try {
            long cursor = api.api.events().newestId();
            List<SseClient> clients = new ArrayList<>();
            for (int m = 0; m < monitors; m++) {
                // half authenticate as a browser's EventSource must: in the query
                clients.add(m % 2 == 0
                        ? SseClient.open(ApiNode.HTTP, events(), ApiNode.VIEWER, Long.toString(cursor))
                        : SseClient.open(ApiNode.HTTP, events() + "?access_token=" + ApiNode.VIEWER
                                + "&last_event_id=" + cursor, null, null));
            }
            List<Future<List<String>>> received = new ArrayList<>();
            for (SseClient c : clients) {
                assertEquals(200, c.status);
                received.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    while (ids.size() < total) {
                        SseClient.Event e = c.next();
                        if (e == null) {
                            break;
                        }
                        if (e.type().equals(type)) {
                            ids.add(e.id());
                        }
                    }
                    c.close();
                    return ids;
                }));
            }
            publish(type, total, pool).get(30, TimeUnit.SECONDS);
            List<String> first = received.get(0).get(60, TimeUnit.SECONDS);
            assertEquals(total, first.size());
            for (Future<List<String>> r : received) {
                assertEquals(first, r.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theWebSocketCarriesTheSameEventsFromACursor() throws Exception {
        long cursor = api.api.events().newestId();
        for (int i = 0; i < 5; i++) {
            api.api.events().append("test.ws", Map.of("n", i));
        }
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket ws = ApiNode.HTTP.newWebSocketBuilder().buildAsync(URI.create(api.base.replace("http", "ws")
                + "/api/streams/ws?since=" + cursor + "&access_token=" + ApiNode.VIEWER), new WebSocket.Listener() {
            final StringBuilder part = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean lastPart) {
                part.append(data);
                if (lastPart) {
                    messages.add(part.toString());
                    part.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        List<Integer> ns = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        boolean heartbeat = false;
        while ((ns.size() < 5 || !heartbeat) && System.nanoTime() < deadline) {
            String m = messages.poll(1, TimeUnit.SECONDS);
            if (m == null) {
                continue;
            }
            JsonNode j = JSON.readTree(m);
            if (j.path("type").asText().equals("test.ws")) {
                ns.add(j.at("/data/n").asInt());
                assertTrue(j.path("id").asLong() > cursor);
            }
            heartbeat |= j.path("type").asText().equals("heartbeat");
        }
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        assertEquals(List.of(0, 1, 2, 3, 4), ns);
        assertTrue(heartbeat, "heartbeats keep an idle WebSocket open");
    }

    @Test
    void anIdleStreamSendsHeartbeatCommentsAndBadCursorsAre400() throws Exception {
        try (SseClient sse = SseClient.open(ApiNode.HTTP, events(), ApiNode.VIEWER,
                Long.toString(api.api.events().newestId()))) {
            // no event comes: only the heartbeats (every 500 ms here) until one does
            CompletableFuture<SseClient.Event> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return sse.next();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1800);
            api.api.events().append("test.after-idle", Map.of());
            assertEquals("test.after-idle", next.get(10, TimeUnit.SECONDS).type());
            assertTrue(sse.comments >= 2, "heartbeats seen: " + sse.comments);
        }
        HttpResponse<String> bad = api.call("GET", "/api/streams/events?last_event_id=abc", ApiNode.VIEWER, null);
        assertEquals(400, bad.statusCode());
        assertTrue(JSON.readTree(bad.body()).path("error").asText().contains("Last-Event-ID"), bad.body());
        assertEquals(401, api.call("GET", "/api/streams/events", null, null).statusCode());
        assertEquals(401, api.call("GET", "/api/streams/events?access_token=nope", null, null).statusCode());
    }

    @Test
    void aMonitorTooSlowForTheRingIsEndedAndResumesWithAGapNotice() throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "slow-monitor");
        try {
            EventLog log = new EventLog(50, 1 << 20);
            EventStreams streams = new EventStreams(log, StreamSettings.defaults(), system.executionContext());
            long start = log.newestId();
            for (int i = 0; i < 10; i++) {
                log.append("t", i);
            }
            // a monitor that reads 10 events and then stalls while 200 more pass
            var queue = streams.events(OptionalLong.of(start)).runWith(Sink.queue(), system);
            long lastSeen = 0;
            for (int i = 0; i < 10; i++) {
                lastSeen = queue.pull().toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow().id();
            }
            for (int i = 0; i < 200; i++) {
                log.append("t", i);
            }
            int more = 0;
            while (queue.pull().toCompletableFuture().get(5, TimeUnit.SECONDS).isPresent()) {
                more++;
            }
            assertTrue(more <= StreamSettings.defaults().batch(), "ended, not buffered without bound: " + more);
            // it comes back with its Last-Event-ID: a gap notice first, then what the ring holds
            List<LabEvent> resumed = streams.events(OptionalLong.of(lastSeen)).take(3)
                    .runWith(Sink.seq(), system).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(EventLog.GAP, resumed.get(0).type());
            assertEquals(log.oldestId(), resumed.get(1).id());
        } finally {
            system.terminate();
        }
    }
}
