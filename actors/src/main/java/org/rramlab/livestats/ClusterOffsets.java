package org.rramlab.livestats;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka offsets in a statistics checkpoint, tied to the cluster they were read from. An offset is
 * a position in one cluster's log only: restored against another cluster (a new broker, the same
 * journal) it could point past that log's end, and the records before it would never be read.
 * Keys are {@code <cluster id>/<topic>-<partition>}; offsets of another cluster are dropped, so
 * that partition is read from its start (what the model already counted is skipped as duplicate).
 */
final class ClusterOffsets {
    private ClusterOffsets() {}

    static String key(String clusterId, String topic, int partition) {
        return (clusterId == null ? "" : clusterId + "/") + topic + "-" + partition;
    }

    /**
     * The offsets that hold for {@code clusterId}: its own, and those of a checkpoint written
     * before offsets carried a cluster (taken to be this cluster's, as they were used then).
     */
    static Map<String, Long> forCluster(Map<String, Long> restored, String clusterId) {
        Map<String, Long> out = new HashMap<>();
        restored.forEach((key, offset) -> {
            int slash = key.indexOf('/');
            if (slash < 0) {
                out.putIfAbsent(clusterId == null ? key : clusterId + "/" + key, offset);
            } else if (key.substring(0, slash).equals(clusterId)) {
                out.put(key, offset);
            }
        });
        return out;
    }
}
