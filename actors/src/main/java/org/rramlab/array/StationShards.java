package org.rramlab.array;

import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;

/**
 * Shard ids that carry a probe station: an entity whose id starts with a station's name and a dot
 * ({@code station-a.wafer3-die7}: the station is the cluster role {@code station-a}) goes to a
 * shard {@code station-a:N}, which {@link StationAllocation} places only on nodes with that role;
 * every other id gets the usual hash shard {@code N}, exactly as Pekko's default extractor gives it
 * (so that existing shards and remembered entities keep their ids).
 */
public final class StationShards<M> extends ShardingMessageExtractor<ShardingEnvelope<M>, M> {
    /** What a station's role starts with; an id's first part names a station only when it does. */
    public static final String PREFIX = "station-";
    private final int shards;

    public StationShards(int shards) {
        if (shards <= 0) {
            throw new IllegalArgumentException("the number of shards must be positive, got " + shards);
        }
        this.shards = shards;
    }

    /** The station role an entity id names, or null. */
    public static String stationOfEntity(String entityId) {
        int dot = entityId.indexOf('.');
        return dot > PREFIX.length() && entityId.startsWith(PREFIX) ? entityId.substring(0, dot) : null;
    }

    /** The station role a shard id carries, or null for a shard that may run anywhere. */
    public static String stationOfShard(String shardId) {
        int colon = shardId.lastIndexOf(':');
        return colon > 0 ? shardId.substring(0, colon) : null;
    }

    @Override
    public String entityId(ShardingEnvelope<M> envelope) {
        return envelope.entityId();
    }

    @Override
    public String shardId(String entityId) {
        String hash = Integer.toString(Math.abs(entityId.hashCode() % shards));
        String station = stationOfEntity(entityId);
        return station == null ? hash : station + ":" + hash;
    }

    @Override
    public M unwrapMessage(ShardingEnvelope<M> envelope) {
        return envelope.message();
    }
}
