package org.rramlab.app.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Rounds of node loss on a {@link LocalCluster}: each round kills (SIGKILL) the node that runs the
 * most arrays, times how long until every entity it ran (arrays, campaigns, deployments, statistics
 * partitions) runs again on the survivors, then starts the node again (as systemd's
 * {@code Restart=on-failure} would) and waits until it is a member again. Used by the node-loss test
 * and by {@code rramlab bench failover}.
 *
 * <p>With {@link #watching} a campaign is watched too: after each kill it must complete a read it began
 * after the kill (its step two past the one seen just before the kill) within a limit, or the round
 * fails; that time is the round's {@code campaign_resumed_seconds}.
 *
 * <p>Timing: a survivor's {@code GET /api/cluster} is sent every {@link #POLL} without waiting for
 * the answers before (one that asks a dead node's region waits the sharding query's 5 s timeout),
 * so a round's recovery is known to within a poll interval and one fast answer.
 */
public final class NodeLossRounds {
    static final Duration POLL = Duration.ofMillis(250);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TYPES = List.of("Array", "Campaign", "OsaSupervisor", "StatisticsPartition");

    /** One round; times in seconds after the kill (null: not seen). */
    public record Round(int round, String victim, @JsonProperty("arrays_on_victim") int arraysOnVictim,
                        @JsonProperty("victim_was_oldest") boolean victimWasOldest,
                        @JsonProperty("entities_on_victim") int entitiesOnVictim,
                        @JsonProperty("unreachable_seconds") Double unreachableSeconds,
                        @JsonProperty("removed_seconds") Double removedSeconds,
                        @JsonProperty("downed_seconds") Double downedSeconds,
                        @JsonProperty("recovery_seconds") double recoverySeconds,
                        @JsonProperty("rejoin_seconds") double rejoinSeconds,
                        @JsonProperty("campaign_resumed_seconds") Double campaignResumedSeconds) {}

    private final LocalCluster cluster;
    private final Consumer<String> say;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private String campaign;
    private Duration campaignLimit;

    public NodeLossRounds(LocalCluster cluster, Consumer<String> say) {
        this.cluster = cluster;
        this.say = say;
    }

    /** After each kill, {@code campaignId} must read on within {@code limit} of the kill, or the round fails. */
    public NodeLossRounds watching(String campaignId, Duration limit) {
        this.campaign = campaignId;
        this.campaignLimit = limit;
        return this;
    }

    /** Runs {@code rounds} rounds; every entity must be running (and every node a member) at the start. */
    public List<Round> run(int rounds, Duration recoveryLimit, Duration rejoinLimit) throws Exception {
        Map<String, Integer> expected = totals(view(0));
        say.accept("entities before the first kill: " + expected);
        List<Round> out = new ArrayList<>();
        String previous = null;
        for (int r = 1; r <= rounds; r++) {
            Round round = round(r, expected, previous, recoveryLimit, rejoinLimit);
            previous = round.victim();
            out.add(round);
        }
        return out;
    }

    private Round round(int number, Map<String, Integer> expected, String previous, Duration recoveryLimit,
                        Duration rejoinLimit) throws Exception {
        List<LocalCluster.Part> nodes = cluster.nodes();
        JsonNode before = view(0);
        int victim = -1;
        int most = -1;
        for (int i = 0; i < nodes.size(); i++) {
            int arrays = hostedAt(before, "Array", address(i));
            // the node with most arrays; on a tie not the one killed last, so that the kills move around
            if (arrays > most || (arrays == most && nodes.get(victim).name().equals(previous))) {
                most = arrays;
                victim = i;
            }
        }
        int entities = 0;
        for (String type : TYPES) {
            entities += hostedAt(before, type, address(victim));
        }
        LocalCluster.Part node = nodes.get(victim);
        // the oldest hosts the shard coordinators: its loss moves them too
        boolean oldest = address(victim).equals(before.path("oldest").asText());
        int survivor = (victim + 1) % nodes.size();
        String dead = address(victim);
        say.accept(String.format("round %d: kill -9 %s (pid %d), which runs %d arrays and %d entities in all%s",
                number, node.name(), node.pid(), most, entities, oldest ? " and is the oldest (the shard coordinators)" : ""));
        // the step just before the kill: the one after it may have been asked before the kill, the one after that not
        int stepBefore = campaign == null ? 0 : campaignStatus(survivor).get("step").asInt();
        long killed = System.nanoTime();
        java.time.LocalTime killedAt = java.time.LocalTime.now();
        cluster.kill(node);
        Double unreachable = null;
        Double removed = null;
        Double recovered = null;
        AtomicReference<Throwable> lastError = new AtomicReference<>();
        List<CompletableFuture<Sample>> polls = new ArrayList<>();
        long deadline = killed + recoveryLimit.toNanos();
        int seen = 0;
        while (recovered == null && System.nanoTime() < deadline) {
            polls.add(poll(survivor, "api/cluster", killed, lastError));
            Thread.sleep(POLL.toMillis());
            // the answers so far, in the order they were asked
            for (; seen < polls.size() && polls.get(seen).isDone(); seen++) {
                Sample s = polls.get(seen).join();
                if (s == null) {
                    continue;
                }
                JsonNode member = member(s.view(), dead);
                if (unreachable == null && (member == null || !member.path("reachable").asBoolean(true))) {
                    unreachable = s.sentSeconds();
                }
                if (removed == null && member == null) {
                    removed = s.sentSeconds();
                }
            }
            // recovery: the first answer (by when it came) with every entity on a live node
            for (CompletableFuture<Sample> p : polls) {
                Sample s = p.isDone() ? p.join() : null;
                if (s != null && complete(s.view(), expected, dead) && (recovered == null || s.answeredSeconds() < recovered)) {
                    recovered = s.answeredSeconds();
                }
            }
        }
        if (recovered == null) {
            throw new IllegalStateException(String.format("round %d: %s killed, its entities not all running on the others"
                    + " %d s later (unreachable after %s s, removed after %s s); last error: %s", number, node.name(),
                    recoveryLimit.toSeconds(), unreachable, removed, lastError.get()));
        }
        Double downed = downedAt(killedAt, node.ports().get("cluster"));
        say.accept(String.format("round %d: unreachable after %s s, downed by the split-brain resolver after %s s,"
                + " removed after %s s, every entity running again after %.1f s", number, fmt(unreachable), fmt(downed),
                fmt(removed), recovered));
        Double resumed = campaign == null ? null : awaitStep(number, node.name(), survivor, killed, stepBefore + 2);
        long restarted = System.nanoTime();
        cluster.restart(node);
        cluster.awaitReady(node, rejoinLimit);
        awaitView(0, v -> v.get("members").size() == nodes.size() && allUpAndReachable(v) && complete(v, expected, null),
                Duration.ofNanos(Math.max(Duration.ofSeconds(10).toNanos(), rejoinLimit.toNanos() - (System.nanoTime() - restarted))));
        double rejoin = (System.nanoTime() - restarted) / 1e9;
        say.accept(String.format("round %d: %s started again and a member after %.1f s", number, node.name(), rejoin));
        return new Round(number, node.name(), most, oldest, entities, unreachable, removed, downed, recovered, rejoin, resumed);
    }

    /** Seconds after the kill of the first answer showing the campaign at {@code step} or past it (asked every POLL). */
    private double awaitStep(int number, String victim, int survivor, long killed, int step) throws Exception {
        AtomicReference<Throwable> lastError = new AtomicReference<>();
        List<CompletableFuture<Sample>> polls = new ArrayList<>();
        long deadline = killed + campaignLimit.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            polls.add(poll(survivor, "api/campaigns/" + campaign, killed, lastError));
            Thread.sleep(POLL.toMillis());
            Double first = null;
            for (CompletableFuture<Sample> p : polls) {
                Sample s = p.isDone() ? p.join() : null;
                if (s == null) {
                    continue;
                }
                last = s.view();
                if (s.view().path("step").asInt() >= step && (first == null || s.answeredSeconds() < first)) {
                    first = s.answeredSeconds();
                }
            }
            if (first != null) {
                say.accept(String.format("round %d: campaign '%s' at step %d (a read begun after the kill done) %.1f s"
                        + " after the kill", number, campaign, step, first));
                return first;
            }
        }
        throw new IllegalStateException(String.format("round %d: campaign '%s' did not reach step %d (two past the step"
                + " before %s was killed) within %d s of the kill; last status: %s; last error: %s", number, campaign,
                step, victim, campaignLimit.toSeconds(), last, lastError.get()));
    }

    private JsonNode campaignStatus(int node) throws Exception {
        return new NodeClient(cluster.url(cluster.nodes().get(node)), cluster.viewerToken()).get("/api/campaigns/" + campaign);
    }

    /**
     * When the split-brain resolver (on the leader) decided to down the node on {@code port}, from the
     * survivors' logs (Pekko logs the decision as a warning, stamped with the wall clock); null when none says.
     */
    private Double downedAt(java.time.LocalTime killedAt, int port) {
        Double first = null;
        for (LocalCluster.Part p : cluster.nodes()) {
            if (!p.alive() || !java.nio.file.Files.exists(p.log())) {
                continue;
            }
            try (var lines = java.nio.file.Files.lines(p.log(), java.nio.charset.StandardCharsets.ISO_8859_1)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.length() < 12 || !line.contains("SBR took decision") || !line.contains(":" + port)) {
                        continue;
                    }
                    java.time.LocalTime at;
                    try {
                        at = java.time.LocalTime.parse(line.substring(0, 12));
                    } catch (java.time.format.DateTimeParseException e) {
                        continue;
                    }
                    double seconds = Duration.between(killedAt, at).toMillis() / 1000.0;
                    if (seconds >= 0 && seconds < 600 && (first == null || seconds < first)) {
                        first = seconds;
                    }
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                // a log being written: the figure is only a breakdown
            }
        }
        return first;
    }

    private static String fmt(Double seconds) {
        return seconds == null ? "?" : String.format("%.1f", seconds);
    }

    private record Sample(double sentSeconds, double answeredSeconds, JsonNode view) {}

    private CompletableFuture<Sample> poll(int node, String path, long killed, AtomicReference<Throwable> lastError) {
        double sent = (System.nanoTime() - killed) / 1e9;
        HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.url(cluster.nodes().get(node)) + path))
                .header("authorization", "Bearer " + cluster.viewerToken()).timeout(Duration.ofSeconds(15)).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((r, error) -> {
            try {
                if (error != null || r.statusCode() != 200) {
                    lastError.set(error != null ? error : new IllegalStateException(r.statusCode() + " " + r.body()));
                    return null;
                }
                return new Sample(sent, (System.nanoTime() - killed) / 1e9, JSON.readTree(r.body()));
            } catch (Exception e) {
                lastError.set(e);
                return null;
            }
        });
    }

    private JsonNode view(int node) throws Exception {
        return new NodeClient(cluster.url(cluster.nodes().get(node)), cluster.viewerToken()).get("/api/cluster");
    }

    private void awaitView(int node, java.util.function.Predicate<JsonNode> done, Duration within) throws Exception {
        // any live node answers for the cluster
        int live = cluster.nodes().get(node).alive() ? node : (node + 1) % cluster.nodes().size();
        new NodeClient(cluster.url(cluster.nodes().get(live)), cluster.viewerToken()).await("/api/cluster", done, within);
    }

    private String address(int node) {
        return "pekko://rramlab@127.0.0.1:" + cluster.nodes().get(node).ports().get("cluster");
    }

    private static JsonNode member(JsonNode view, String address) {
        for (JsonNode m : view.get("members")) {
            if (address.equals(m.get("address").asText())) {
                return m;
            }
        }
        return null;
    }

    private static boolean allUpAndReachable(JsonNode view) {
        for (JsonNode m : view.get("members")) {
            if (!"Up".equals(m.get("status").asText()) || !m.get("reachable").asBoolean()) {
                return false;
            }
        }
        return true;
    }

    /** Every type's entities, counted over the regions that answered, as many as {@code expected}; none at {@code dead}. */
    private static boolean complete(JsonNode view, Map<String, Integer> expected, String dead) {
        for (var e : expected.entrySet()) {
            JsonNode perNode = view.path("entities").path(e.getKey());
            int n = 0;
            var it = perNode.fields();
            while (it.hasNext()) {
                var at = it.next();
                if (!at.getKey().equals(dead)) {
                    n += at.getValue().path("entities").asInt();
                }
            }
            if (n < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Integer> totals(JsonNode view) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (String type : TYPES) {
            int n = 0;
            for (JsonNode at : view.path("entities").path(type)) {
                n += at.path("entities").asInt();
            }
            out.put(type, n);
        }
        return out;
    }

    private static int hostedAt(JsonNode view, String type, String address) {
        return view.path("entities").path(type).path(address).path("entities").asInt();
    }
}
