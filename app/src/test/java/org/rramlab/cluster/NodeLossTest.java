package org.rramlab.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.app.cluster.LocalCluster;
import org.rramlab.app.cluster.NodeClient;
import org.rramlab.app.cluster.NodeLossRounds;
import org.rramlab.app.cluster.ThreeNodeCluster;

/**
 * Three lab node processes (the cluster's own settings: split-brain resolver, failure detector,
 * sharding), one broker, PostgreSQL: five times, the node that runs the most arrays gets
 * {@code kill -9} while a campaign runs; each time every array, the campaign and every statistics
 * partition must run again on the survivors within {@link #BOUND}, and the campaign must read on
 * within {@link #CAMPAIGN_BOUND} (a read it asked of an array on the killed node is asked again, not
 * waited for until the campaign's ask timeout); then the node is started again and joins. The lab's goal is 15 s ({@code rramlab bench failover} measures it on quiet cores,
 * docs/benchmarks.md); the bound here leaves room for a CI machine whose two cores are shared with
 * the whole build (docs/decisions/0067-failover-timings.md), and is still under the 26.6-30.6 s the
 * settings before that decision took.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class NodeLossTest {
    static final Duration BOUND = Duration.ofSeconds(Integer.getInteger("rramlab.test.node-loss-bound", 20));
    /**
     * After each kill the campaign must complete a read it began after the kill within this: the failover
     * (BOUND) plus an array's retried ask (rramlab.campaign.attempt-timeout, 5 s) plus the 2 s cadence.
     */
    static final Duration CAMPAIGN_BOUND = Duration.ofSeconds(30);
    private static final int ARRAYS = 6;

    @TempDir
    Path dir;

    @Test
    void fiveKillsEachRecoveredOnTheSurvivorsWithinTheBound() throws Exception {
        assertTrue(Files.isDirectory(Path.of("/usr/lib/postgresql")), "PostgreSQL is not installed: apt-get install -y"
                + " postgresql (as root; ./rramlab test, i.e. deploy/run-tests.sh, installs it when run as root)");
        // one broker: the test is about nodes; brokers are killed in ClusterTest
        try (LocalCluster cluster = ThreeNodeCluster.start(dir, 1, Map.of(), ARRAYS, "loss", "through-kills",
                System.out::println)) {
            // each round also fails when the campaign has not read on CAMPAIGN_BOUND after the kill
            List<NodeLossRounds.Round> rounds = new NodeLossRounds(cluster, System.out::println)
                    .watching("through-kills", CAMPAIGN_BOUND).run(5, Duration.ofSeconds(90), Duration.ofMinutes(3));

            System.out.println("round victim arrays entities downed recovered campaign-resumed rejoined (s after the kill)");
            rounds.forEach(r -> System.out.printf("%d %s %d %d %s %.1f %.1f %.1f%n", r.round(), r.victim(), r.arraysOnVictim(),
                    r.entitiesOnVictim(), r.downedSeconds(), r.recoverySeconds(), r.campaignResumedSeconds(),
                    r.rejoinSeconds()));
            System.out.println("load: " + Files.readString(Path.of("/proc/loadavg")).trim());
            assertEquals(5, rounds.size());
            for (NodeLossRounds.Round r : rounds) {
                assertTrue(r.arraysOnVictim() >= 1, "each kill hits a node that runs arrays: " + r);
                assertTrue(r.recoverySeconds() < BOUND.toSeconds(), "round " + r.round() + ": " + r.victim()
                        + "'s entities ran again on the others " + r.recoverySeconds() + " s after the kill, bound "
                        + BOUND.toSeconds() + " s: " + rounds);
                assertTrue(r.campaignResumedSeconds() < CAMPAIGN_BOUND.toSeconds(), r.toString());
            }
            JsonNode after = new NodeClient(cluster.url(cluster.nodes().get(0)), cluster.viewerToken())
                    .get("/api/campaigns/through-kills");
            assertEquals("running", after.get("state").asText(), after.toString());
        }
    }
}
