package org.rramlab.cluster;

import static org.apache.pekko.http.javadsl.server.Directives.completeOKWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.typed.Cluster;
import org.rramlab.array.ArrayActor;
import org.rramlab.campaign.CampaignActor;
import org.rramlab.deploy.OsaSupervisor;
import org.rramlab.http.Json;
import org.rramlab.livestats.PartitionStatistics;

/**
 * GET /api/cluster: the members (address, status, roles, reachability) and, per entity type,
 * how many shards and entities each member hosts — the same answer from every node.
 */
public final class ClusterRoutes {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final List<EntityTypeKey<?>> TYPES = List.of(ArrayActor.TYPE_KEY, CampaignActor.TYPE_KEY,
            OsaSupervisor.TYPE_KEY, PartitionStatistics.TYPE_KEY);

    private final ActorSystem<?> system;

    public ClusterRoutes(ActorSystem<?> system) {
        this.system = system;
    }

    public org.apache.pekko.http.javadsl.server.Route routes() {
        return path("cluster", () -> get(() -> completeOKWithFuture(view(), Json.marshaller())));
    }

    CompletableFuture<Map<String, Object>> view() {
        Cluster cluster = Cluster.get(system);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("self", cluster.selfMember().address().toString());
        var state = cluster.state();
        List<Map<String, Object>> members = new ArrayList<>();
        for (Member m : state.getMembers()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("address", m.address().toString());
            one.put("status", m.status().toString());
            one.put("roles", new ArrayList<>(m.getRoles()).stream().filter(r -> !r.startsWith("dc-")).sorted().toList());
            one.put("reachable", StreamSupport.stream(state.getUnreachable().spliterator(), false).noneMatch(m::equals));
            members.add(one);
        }
        out.put("members", members);
        out.put("leader", state.getLeader() == null ? null : state.getLeader().toString());
        // the oldest member hosts the cluster singletons: every shard coordinator and the registries
        Member oldest = null;
        for (Member m : state.getMembers()) {
            if (m.status() == org.apache.pekko.cluster.MemberStatus.up() && (oldest == null || m.isOlderThan(oldest))) {
                oldest = m;
            }
        }
        out.put("oldest", oldest == null ? null : oldest.address().toString());
        Map<String, Object> entities = new LinkedHashMap<>();
        CompletableFuture<?> all = CompletableFuture.completedFuture(null);
        for (EntityTypeKey<?> key : TYPES) {
            CompletableFuture<ShardRegion.ClusterShardingStats> stats = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(
                    ClusterSharding.get(system).shardState(), replyTo -> new GetClusterShardingStats(key, TIMEOUT, replyTo),
                    TIMEOUT.plusSeconds(1), system.scheduler()).toCompletableFuture();
            all = all.thenCombine(stats, (x, s) -> {
                Map<String, Object> perNode = new TreeMap<>();
                s.getRegions().forEach((address, region) -> {
                    Map<String, ?> shards = region.getStats();
                    perNode.put(address.toString(), Map.of("shards", shards.size(),
                            "entities", shards.values().stream().mapToInt(v -> ((Number) v).intValue()).sum()));
                });
                synchronized (entities) {
                    entities.put(key.name(), perNode);
                }
                return null;
            });
        }
        return all.thenApply(x -> {
            out.put("entities", entities);
            return out;
        });
    }
}
