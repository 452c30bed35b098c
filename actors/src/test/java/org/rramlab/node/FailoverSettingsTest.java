package org.rramlab.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The failover timings (docs/decisions/0067-failover-timings.md, 0069) reach Pekko, and impossible ones are refused. */
class FailoverSettingsTest {
    @Test
    void theDefaultsReachPekkoWithAnExplicitRemovalMargin() {
        Config c = LabConfig.load(Map.of(), Map.of());
        assertEquals(Duration.ofSeconds(3), c.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause"));
        assertEquals(Duration.ofMillis(500), c.getDuration("pekko.cluster.failure-detector.heartbeat-interval"));
        assertEquals(Duration.ofSeconds(3), c.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
        // without it Pekko waits stable-after a second time before a downed node's shards move
        assertEquals(Duration.ofSeconds(2), c.getDuration("pekko.cluster.down-removal-margin"));
        assertEquals(Duration.ofSeconds(15), c.getDuration("pekko.cluster.split-brain-resolver.down-all-when-unstable"));
        assertEquals(Duration.ofSeconds(5), c.getDuration("pekko.cluster.sharding.handoff-timeout"));
        assertEquals(Duration.ofSeconds(1), c.getDuration("pekko.cluster.sharding.retry-interval"));
        assertEquals(Duration.ofMillis(500), c.getDuration("pekko.cluster.gossip-interval"));
        assertEquals(Duration.ofMillis(500), c.getDuration("pekko.cluster.leader-actions-interval"));
        assertEquals(Duration.ofSeconds(15), c.getDuration("pekko.cluster.seed-node-timeout"));
    }

    @Test
    void anOperatorChangesThemByEnvironmentAndZeroTurnsDownAllOff() {
        Config c = LabConfig.load(Map.of(), Map.of("RRAMLAB_CLUSTER_DOWN__REMOVAL__MARGIN", "5s",
                "RRAMLAB_CLUSTER_DOWN__ALL__WHEN__UNSTABLE", "0s"));
        assertEquals(Duration.ofSeconds(5), c.getDuration("pekko.cluster.down-removal-margin"));
        assertEquals("off", c.getString("pekko.cluster.split-brain-resolver.down-all-when-unstable"));
    }

    @Test
    void aPauseNoLongerThanOneHeartbeatAndAZeroMarginAreRefused() {
        IllegalArgumentException pause = assertThrows(IllegalArgumentException.class, () -> LabConfig.load(
                Map.of("cluster.heartbeat-pause", "1s", "cluster.heartbeat-interval", "1s"), Map.of()));
        assertTrue(pause.getMessage().contains("rramlab.cluster.heartbeat-pause"), pause.getMessage());
        IllegalArgumentException margin = assertThrows(IllegalArgumentException.class, () -> LabConfig.load(
                Map.of("cluster.down-removal-margin", "0s"), Map.of()));
        assertTrue(margin.getMessage().contains("down-removal-margin"), margin.getMessage());
    }
}
