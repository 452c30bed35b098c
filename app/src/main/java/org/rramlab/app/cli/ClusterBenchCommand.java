package org.rramlab.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rramlab.app.bench.ClusterBench;
import org.rramlab.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** rramlab bench cluster: a local cluster, a campaign across it, a node and a broker killed. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = {
    "Start a local cluster (as `rramlab cluster local`), spread simulated arrays over its nodes and run",
    "one campaign across them; with --kill-one, kill -9 the node running the campaign midway and, in a",
    "second campaign, one broker. Reports recovery time, frames applied, lost and applied twice."})
public final class ClusterBenchCommand implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3", description = "Lab nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--arrays", defaultValue = "6", description = "Simulated arrays (default ${DEFAULT-VALUE}).")
    int arrays;

    @Option(names = "--rows", defaultValue = "128", description = "Rows per array (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--cols", defaultValue = "128", description = "Columns per array (default ${DEFAULT-VALUE}).")
    int cols;

    @Option(names = "--reads", defaultValue = "120", description = "Reads of each array per campaign (default ${DEFAULT-VALUE}).")
    int reads;

    @Option(names = "--acceleration", defaultValue = "120", description = "Array time per wall time; 60 s"
            + " between reads, so 120 asks for two reads a second (default ${DEFAULT-VALUE}; 1e9: as fast as it goes).")
    double acceleration;

    @Option(names = "--kill-one", description = "Kill -9 one node, then one broker, during the campaigns.")
    boolean killOne;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON to FILE.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || arrays < 1 || rows < 1 || cols < 1 || reads < 3 || acceleration <= 0) {
            throw new IllegalArgumentException("--nodes, --arrays, --rows, --cols must be positive, --reads at least 3,"
                    + " --acceleration above 0");
        }
        if (killOne && nodes < 2) {
            throw new IllegalArgumentException("--kill-one needs at least 2 nodes (3 for a majority to remain)");
        }
        ClusterBench.Result r = new ClusterBench(new ClusterBench.Options(nodes, arrays, rows, cols, reads,
                acceleration, killOne), System.err::println).run();
        String text = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r);
        if (json != null) {
            Files.writeString(json, text + "\n");
        }
        System.out.println(text);
        return r.framesLost() == 0 && r.framesAppliedTwice() == 0 ? 0 : 1;
    }
}
