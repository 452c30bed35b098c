package org.rramlab.app.bench;

import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.rramlab.http.ApiRoutes;
import org.rramlab.http.Auth;
import org.rramlab.http.EventLog;
import org.rramlab.http.EventStreams;
import org.rramlab.http.StreamSettings;
import org.rramlab.http.Tokens;

/**
 * Throughput of the live stream to many monitors: an HTTP server with the event log and the
 * SSE endpoint, {@code monitors} clients over real TCP on this machine, one producer appending
 * {@code events} events of about {@code bytes} bytes of JSON as fast as it can. Prints events per
 * second per monitor and in total, from the first event appended to the last one received.
 *
 * <pre>java -cp ... org.rramlab.app.bench.StreamBench [monitors=20] [events=200000] [bytes=200]</pre>
 */
public final class StreamBench {
    private static final String TOKEN = "stream-bench-viewer-token";

    private StreamBench() {}

    public static void main(String[] args) throws Exception {
        int monitors = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int bytes = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "stream-bench",
                ConfigFactory.parseString("pekko.loglevel = WARNING").withFallback(ConfigFactory.load()));
        ExecutorService pool = Executors.newFixedThreadPool(monitors + 1);
        try {
            // the ring holds the whole run: this measures delivery, not the drop of lagging monitors
            EventLog log = new EventLog(events + 10, Long.MAX_VALUE);
            EventStreams streams = new EventStreams(log, StreamSettings.defaults(), system.executionContext());
            ApiRoutes routes = new ApiRoutes(new Auth(Tokens.of(List.of(), List.of(TOKEN))), streams);
            ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", 0)
                    .bind(routes.routes(Directives.reject(), Directives.reject()))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            String url = "http://127.0.0.1:" + binding.localAddress().getPort() + "/api/streams/events?last_event_id="
                    + log.newestId();
            HttpClient http = HttpClient.newHttpClient();
            List<Future<long[]>> readers = new ArrayList<>();
            List<InputStream> bodies = new ArrayList<>();
            for (int m = 0; m < monitors; m++) {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("monitor " + m + " got " + r.statusCode());
                }
                bodies.add(r.body());
                readers.add(pool.submit(() -> read(r.body(), events)));
            }
            String pad = "x".repeat(Math.max(0, bytes - 90));
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                log.append("bench.tick", Map.of("n", i, "pad", pad));
            }
            long appended = System.nanoTime();
            long last = 0;
            long received = 0;
            for (Future<long[]> f : readers) {
                long[] r = f.get(10, TimeUnit.MINUTES);
                received += r[0];
                last = Math.max(last, r[1]);
            }
            double seconds = (last - start) / 1e9;
            System.out.printf("stream bench: %d monitors, %d events of ~%d bytes JSON%n", monitors, events,
                    log.after(log.startCursor(), 1).events().get(0).json().length());
            System.out.printf("  appended in %.2f s (%.0f events/s)%n", (appended - start) / 1e9,
                    events / ((appended - start) / 1e9));
            System.out.printf("  every monitor had every event after %.2f s: %.0f events/s per monitor,"
                    + " %.0f events/s in total (%d received)%n", seconds, events / seconds, received / seconds, received);
            for (InputStream b : bodies) {
                b.close();
            }
            binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads until {@code events} events came; returns {count, nanoTime of the last}. */
    private static long[] read(InputStream body, int events) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16);
        long count = 0;
        String line;
        while (count < events && (line = reader.readLine()) != null) {
            if (line.startsWith("id: ")) {
                count++;
            }
        }
        return new long[] {count, System.nanoTime()};
    }
}
