package org.rramlab.array;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.dispatch.Futures;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Places a station's shards ({@link StationShards}) on the nodes that have the station's role,
 * the least loaded first; every other shard on the least loaded node. While no node has the
 * role, the allocation fails and the shard's region asks again (Pekko retries every few
 * seconds): a physical array's commands wait for its station's node rather than run where its
 * instruments are out of reach. Rebalancing moves only shards that may run anywhere, one at a
 * time, from the most to the least loaded node when they differ by two or more.
 */
public final class StationAllocation extends ShardCoordinator.AbstractShardAllocationStrategy {
    private final Cluster cluster;

    public StationAllocation(ActorSystem<?> system) {
        this.cluster = Cluster.get(system);
    }

    @Override
    public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
                                          Map<ActorRef, IndexedSeq<String>> current) {
        String station = StationShards.stationOfShard(shardId);
        ActorRef best = null;
        int fewest = Integer.MAX_VALUE;
        for (var e : current.entrySet()) {
            if (station != null && !rolesOf(e.getKey()).contains(station)) {
                continue;
            }
            int n = e.getValue().size();
            if (n < fewest || (n == fewest && e.getKey().equals(requester))) {
                best = e.getKey();
                fewest = n;
            }
        }
        if (best == null) {
            return Futures.failed(new IllegalStateException("shard " + shardId + " belongs to station '" + station
                    + "' and no node has that role (rramlab.cluster.roles) yet; it is placed when one joins"));
        }
        return Futures.successful(best);
    }

    @Override
    public Future<java.util.Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current, java.util.Set<String> inProgress) {
        if (!inProgress.isEmpty() || current.size() < 2) {
            return Futures.successful(Set.of());
        }
        ActorRef most = null;
        ActorRef least = null;
        for (var e : current.entrySet()) {
            if (most == null || e.getValue().size() > current.get(most).size()) {
                most = e.getKey();
            }
            if (least == null || e.getValue().size() < current.get(least).size()) {
                least = e.getKey();
            }
        }
        if (current.get(most).size() - current.get(least).size() < 2) {
            return Futures.successful(Set.of());
        }
        Set<String> move = new HashSet<>();
        for (String shard : scala.jdk.javaapi.CollectionConverters.asJava(current.get(most))) {
            if (StationShards.stationOfShard(shard) == null) {
                move.add(shard);
                break;
            }
        }
        return Futures.successful(move);
    }

    /** The roles of the node a shard region runs on (its own node's for a local region). */
    private Set<String> rolesOf(ActorRef region) {
        Address at = region.path().address();
        if (!at.hasGlobalScope()) {
            return cluster.selfMember().getRoles();
        }
        for (Member m : cluster.state().getMembers()) {
            if (m.address().equals(at)) {
                return m.getRoles();
            }
        }
        return Set.of();
    }
}
