package org.rramlab.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rramlab.app.cluster.LocalCluster;
import org.rramlab.app.cluster.NodeLossRounds;
import org.rramlab.app.cluster.ThreeNodeCluster;
import org.rramlab.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** rramlab bench failover: kill -9 of one of three nodes, N times, each recovery timed against a goal. */
@Command(name = "failover", mixinStandardHelpOptions = true, description = {
    "Start a local cluster of three nodes (as `rramlab cluster local`), run a campaign over simulated",
    "arrays and, --kills times, kill -9 the node running the most arrays: times how long until every",
    "array, campaign and statistics partition runs again on the others and until the campaign has",
    "completed a read begun after the kill, then starts the node again.",
    "Exits 1 when a recovery takes --goal or longer."})
public final class FailoverBenchCommand implements Callable<Integer> {
    @Option(names = "--kills", defaultValue = "5", description = "Rounds of kill and restart (default ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--arrays", defaultValue = "6", description = "Simulated arrays of 16 x 16 (default ${DEFAULT-VALUE}).")
    int arrays;

    @Option(names = "--brokers", defaultValue = "1", description = "Kafka brokers (default ${DEFAULT-VALUE}).")
    int brokers;

    @Option(names = "--goal", defaultValue = "15", description = "Seconds each recovery must stay under (default ${DEFAULT-VALUE}).")
    double goal;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A setting for every node (e.g."
            + " rramlab.cluster.down-unreachable-after=7s), to compare settings; repeatable.")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the rounds as JSON to FILE.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (kills < 1 || arrays < 1 || brokers < 1 || goal <= 0) {
            throw new IllegalArgumentException("--kills, --arrays and --brokers must be at least 1, --goal above 0");
        }
        Path dir = Files.createTempDirectory("rramlab-failover-bench-");
        List<NodeLossRounds.Round> rounds;
        try (LocalCluster cluster = ThreeNodeCluster.start(dir, brokers, config, arrays, "failover", "failover",
                System.err::println)) {
            rounds = new NodeLossRounds(cluster, System.err::println).watching("failover", Duration.ofMinutes(3))
                    .run(kills, Duration.ofMinutes(3), Duration.ofMinutes(4));
        } finally {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        double worst = rounds.stream().mapToDouble(NodeLossRounds.Round::recoverySeconds).max().orElse(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("goal_seconds", goal);
        out.put("worst_recovery_seconds", worst);
        out.put("worst_campaign_resumed_seconds", rounds.stream().mapToDouble(NodeLossRounds.Round::campaignResumedSeconds)
                .max().orElse(0));
        out.put("rounds", rounds);
        out.put("settings", config);
        out.put("load_average_after", Files.readString(Path.of("/proc/loadavg")).trim());
        String text = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out);
        if (json != null) {
            Files.writeString(json, text + "\n");
        }
        System.out.println(text);
        return worst < goal ? 0 : 1;
    }
}
