package org.rramlab.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.node.LabConfig;
import org.rramlab.serialization.CborSerializable;

/**
 * Station placement in a real cluster of actor systems in one JVM, on loopback: an entity whose
 * id names a station runs on the node with the station's role, from whichever node it is asked;
 * others spread over every node; a station no node has waits until one joins.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StationPlacementTest {
    static final EntityTypeKey<Where> KEY = EntityTypeKey.create(Where.class, "StationPlacementTest");
    final List<ActorSystem<Void>> systems = new ArrayList<>();

    /** Asks an entity for the roles of the node it runs on. */
    public record Where(ActorRef<String> replyTo) implements CborSerializable {}

    static Behavior<Where> entity() {
        return Behaviors.setup(ctx -> Behaviors.receiveMessage(w -> {
            Set<String> roles = new java.util.TreeSet<>(Cluster.get(ctx.getSystem()).selfMember().getRoles());
            roles.removeIf(r -> r.startsWith("dc-"));
            w.replyTo().tell(String.join(",", roles) + "@" + Cluster.get(ctx.getSystem()).selfMember().address().port().get());
            return Behaviors.same();
        }));
    }

    ActorSystem<Void> node(String role) {
        Config c = ConfigFactory.parseMap(Map.of(
                        "pekko.actor.provider", "cluster",
                        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
                        "pekko.remote.artery.canonical.port", "0",
                        "pekko.cluster.roles", List.of(role),
                        "pekko.cluster.sharding.remember-entities", "off",
                        "pekko.cluster.sharding.state-store-mode", "ddata",
                        "pekko.cluster.sharding.retry-interval", "300ms",
                        "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
                .withFallback(LabConfig.load(Map.of(), Map.of())).resolve();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "rramlab", c);
        systems.add(system);
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(systems.size() == 1 ? cluster.selfMember().address()
                : Cluster.get(systems.get(0)).selfMember().address()));
        ClusterSharding.get(system).init(Entity.of(KEY, ctx -> entity())
                .withMessageExtractor(new StationShards<Where>(1000))
                .withAllocationStrategy(new StationAllocation(system)));
        return system;
    }

    static void awaitUp(ActorSystem<Void> system, int members) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            long up = 0;
            for (var m : Cluster.get(system).state().getMembers()) {
                if (m.status() == MemberStatus.up()) {
                    up++;
                }
            }
            if (up == members) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the cluster did not have " + members + " members up in 60 s: "
                        + Cluster.get(system).state().getMembers());
            }
            Thread.sleep(100);
        }
    }

    static String where(ActorSystem<Void> from, String entityId, Duration timeout) {
        ActorRef<ShardingEnvelope<Where>> region = ClusterSharding.get(from).init(Entity.of(KEY, ctx -> entity())
                .withMessageExtractor(new StationShards<Where>(1000)).withAllocationStrategy(new StationAllocation(from)));
        return AskPattern.<ShardingEnvelope<Where>, String>ask(region, r -> new ShardingEnvelope<>(entityId, new Where(r)),
                timeout, from.scheduler()).toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        for (ActorSystem<Void> s : systems) {
            s.terminate();
        }
        for (ActorSystem<Void> s : systems) {
            s.getWhenTerminated().toCompletableFuture().join();
        }
    }

    @Test
    void theIdsSayWhichStationAndTheShardsGoWhereTheStationIs() {
        StationShards<Where> shards = new StationShards<>(1000);
        assertEquals("station-a", StationShards.stationOfEntity("station-a.wafer3-die7"));
        assertNull(StationShards.stationOfEntity("sim-1"));
        assertNull(StationShards.stationOfEntity("station-.x"), "no station name before the dot");
        assertNull(StationShards.stationOfEntity("stationary.x"));
        assertEquals("station-a:" + Math.abs("station-a.d1".hashCode() % 1000), shards.shardId("station-a.d1"));
        assertEquals(Integer.toString(Math.abs("sim-1".hashCode() % 1000)), shards.shardId("sim-1"),
                "other ids keep Pekko's own hash shards");
        assertEquals("station-a", StationShards.stationOfShard(shards.shardId("station-a.d1")));
        assertNull(StationShards.stationOfShard(shards.shardId("sim-1")));
        assertThrows(IllegalArgumentException.class, () -> new StationShards<Where>(0));
    }

    @Test
    void aStationsEntitiesRunOnItsNodeAndOthersAnywhere() throws Exception {
        ActorSystem<Void> a = node("station-a");
        ActorSystem<Void> b = node("station-b");
        awaitUp(a, 2);
        awaitUp(b, 2);
        Duration t = Duration.ofSeconds(20);
        for (ActorSystem<Void> from : List.of(a, b)) {
            for (int i = 0; i < 3; i++) {
                assertTrue(where(from, "station-a.die" + i, t).startsWith("station-a@"), "station-a's array on its node");
                assertTrue(where(from, "station-b.die" + i, t).startsWith("station-b@"), "station-b's array on its node");
            }
        }
        Set<String> simulated = new HashSet<>();
        for (int i = 1; i <= 8; i++) {
            simulated.add(where(a, "sim-" + i, t));
        }
        assertEquals(2, simulated.size(), "arrays of no station spread over both nodes: " + simulated);

        // a station no node has: its commands wait, then run on the node that joins with its role
        var waiting = assertThrows(CompletionException.class, () -> where(a, "station-c.die0", Duration.ofSeconds(3)));
        assertTrue(waiting.getCause() instanceof java.util.concurrent.TimeoutException, waiting.toString());
        ActorSystem<Void> c = node("station-c");
        awaitUp(a, 3);
        awaitUp(c, 3);
        assertTrue(where(a, "station-c.die0", t).startsWith("station-c@"));
        assertTrue(where(b, "station-c.die1", t).startsWith("station-c@"));
    }
}
