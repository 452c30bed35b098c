package org.rramlab.learning.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.drift.DriftBench;
import org.rramlab.learning.drift.DriftBenchOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Months of drift, three policies on the same simulated chips: see docs/drift.md. */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Hold accuracy through months of drift: policies none, osa and full on the same simulated",
            "chips and drift, checks at a fixed cadence of array days; decisions on validation images."})
public class DriftBenchCommand implements Callable<Integer> {
    @Option(names = "--days", defaultValue = "90", description = "array days to simulate (default: ${DEFAULT-VALUE})")
    double days;

    @Option(names = "--quick", description = "a small MLP, fewer images, a check every 3 days (under 10 min on 2 cores)")
    boolean quick;

    @Option(names = "--json", description = "write the results as JSON to this file")
    Path json;

    @Option(names = "--png", defaultValue = "docs/drift.png",
            description = "the chart of accuracy against array time (default: ${DEFAULT-VALUE})")
    Path png;

    @Option(names = "--data-dir", description = "folder holding datasets/ (default: $RRAMLAB_DATA_DIR or ~/.local/share/rramlab)")
    Path dataDir;

    @Option(names = "--policies", split = ",", defaultValue = "none,osa,full",
            description = "policies to run: none, osa, full, and comp (gains only) or replace (gains and re-placement)"
                    + " to tell the levers apart (default: ${DEFAULT-VALUE})")
    java.util.List<String> policies;

    @Option(names = "--threads", defaultValue = "2", description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (days <= 0) {
            System.err.println("--days must be positive, got " + days);
            return 2;
        }
        for (String p : policies) {
            if (!DriftBench.ALL_POLICIES.contains(p)) {
                System.err.println("unknown policy '" + p + "'; choose from " + String.join(", ", DriftBench.ALL_POLICIES));
                return 2;
            }
        }
        System.setProperty("rramlab.threads", Integer.toString(threads));
        Path dir = dataDir != null ? dataDir : DatasetRepository.defaultDataDir();
        Map<String, Object> result = new DriftBench(DriftBenchOptions.of(dir, days, quick, png).withPolicies(policies),
                System.out).run();
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);
            System.out.println("results written to " + json);
        }
        return 0;
    }
}
