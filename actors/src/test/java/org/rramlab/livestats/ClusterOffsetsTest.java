package org.rramlab.livestats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Offsets restored from a checkpoint apply to the cluster they came from only. */
class ClusterOffsetsTest {
    @Test
    void offsetsOfAnotherClusterAreDroppedOwnAndOlderOnesKept() {
        Map<String, Long> checkpoint = Map.of(
                "AAA/rram.conductance-0", 500L,
                "AAA/rram.conductance-1", 700L,
                "BBB/rram.conductance-0", 9L);
        assertEquals(Map.of("AAA/rram.conductance-0", 500L, "AAA/rram.conductance-1", 700L),
                ClusterOffsets.forCluster(checkpoint, "AAA"));
        assertEquals(Map.of("BBB/rram.conductance-0", 9L), ClusterOffsets.forCluster(checkpoint, "BBB"),
                "a new cluster starts from its own offsets, or from 0 where it has none");
        assertEquals(Map.of(), ClusterOffsets.forCluster(checkpoint, "CCC"));
        // a checkpoint from before offsets named their cluster: taken as this cluster's
        assertEquals(Map.of("AAA/rram.conductance-2", 40L),
                ClusterOffsets.forCluster(Map.of("rram.conductance-2", 40L), "AAA"));
        assertEquals("AAA/rram.conductance-3", ClusterOffsets.key("AAA", "rram.conductance", 3));
        assertEquals("rram.conductance-3", ClusterOffsets.key(null, "rram.conductance", 3));
    }
}
