package org.rramlab.app.cli.learning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.drift.DriftBench;
import org.rramlab.learning.drift.DriftBenchOptions;
import org.rramlab.learning.drift.DriftPolicy;
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
            description = "policies to run: none, osa, full, and comp (gains only), replace (gains and re-placement) or"
                    + " full-layer (full with a gain per layer) to tell the levers apart (default: ${DEFAULT-VALUE})")
    java.util.List<String> policies;

    @Option(names = "--refresh-burst", description = "checks' shares of the monthly refresh budget one refresh may"
            + " spend (default: 1, steady small batches)")
    Double refreshBurst;

    @Option(names = "--refresh-horizon", description = "array days over which a refreshed device is programmed to agree"
            + " with its column's gain, on average; 0: only at the refresh (default: 0)")
    Double refreshHorizon;

    @Option(names = "--gains-skip-refreshed", arity = "1", description = "column gains leave refreshed devices out"
            + " (default: true)")
    Boolean gainsSkipRefreshed;

    @Option(names = "--skip-unverified", arity = "1", description = "never choose again a device that write-verify"
            + " left out of tolerance (default: true)")
    Boolean skipUnverified;

    @Option(names = "--gains", description = "gains of comp, replace and full: column or layer (default: layer;"
            + " full-layer has one per layer whatever this says)")
    String gains;

    @Option(names = "--partner-writes", arity = "1", description = "when a refreshed device stays out of tolerance"
            + " (stuck), write the other device of its pair to make up for it (default: false)")
    Boolean partnerWrites;

    @Option(names = "--offsets", arity = "1", description = "rounds of the policies that compensate also train a"
            + " digital offset per output column, held in the bias registers (default: true)")
    Boolean offsets;

    @Option(names = "--deploy-epochs", description = "epochs of the OSA round at deployment (default: 8)")
    Integer deployEpochs;

    @Option(names = "--deploy-repair", description = "share of the weights written again with write-verify right after"
            + " programming, the costliest first, for the policies that compensate (default: 0.02; 0: none)")
    Double deployRepair;

    @Option(names = "--threshold", description = "validation points under the reference within which full does"
            + " nothing but new gains (default: 0.1)")
    Double threshold;

    @Option(names = "--chip-seed", description = "seed of the simulated chips (default: the bench's own); other chips,"
            + " the same network, to check a setting on chips it was not chosen on")
    Long chipSeed;

    @Option(names = "--cadence", description = "array days between checks (default: 3)")
    Double cadence;

    @Option(names = "--validation-images", description = "decide on the first N of the 5,000 validation images"
            + " (training images 55,000-59,999; default: all)")
    Integer validationImages;

    @Option(names = "--osa-epochs", description = "epochs of an OSA round on the calibration images"
            + " (default: 6 with --quick, else 3)")
    Integer osaEpochs;

    @Option(names = "--calibration-images", description = "calibration images, drawn from the fitting images"
            + " (default: 3,000 with --quick, else 2,000)")
    Integer calibrationImages;

    // one: on a shared 2-core machine two intra-op threads contend with the other jobs (2026-12-02, load 10-14:
    // decisions took 6.7 s median with 2 threads, 0.3 s with 1; docs/drift.md)
    @Option(names = "--threads", defaultValue = "1", description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE})")
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
        if (gains != null && !gains.equals("column") && !gains.equals("layer")) {
            System.err.println("--gains must be column or layer, got '" + gains + "'");
            return 2;
        }
        if ((osaEpochs != null && (osaEpochs < 1 || osaEpochs > 50))
                || (calibrationImages != null && (calibrationImages < 64 || calibrationImages > 20_000))) {
            System.err.println("--osa-epochs must lie in [1, 50] and --calibration-images in [64, 20000]");
            return 2;
        }
        if (cadence != null && (cadence <= 0 || cadence > days)) {
            System.err.println("--cadence must be positive and at most --days, got " + cadence);
            return 2;
        }
        if (validationImages != null && (validationImages < 100 || validationImages > 5_000)) {
            System.err.println("--validation-images must lie in [100, 5000], got " + validationImages);
            return 2;
        }
        if ((deployEpochs != null && (deployEpochs < 1 || deployEpochs > 50))
                || (deployRepair != null && (deployRepair < 0 || deployRepair > 0.2))) {
            System.err.println("--deploy-epochs must lie in [1, 50] and --deploy-repair in [0, 0.2]");
            return 2;
        }
        if (threshold != null && (threshold < 0 || threshold > 10)) {
            System.err.println("--threshold must lie in [0, 10] points, got " + threshold);
            return 2;
        }
        if ((refreshBurst != null && refreshBurst <= 0) || (refreshHorizon != null && refreshHorizon < 0)) {
            System.err.println("--refresh-burst must be positive and --refresh-horizon at least 0");
            return 2;
        }
        System.setProperty("rramlab.threads", Integer.toString(threads));
        Path dir = dataDir != null ? dataDir : DatasetRepository.defaultDataDir();
        DriftBenchOptions o = DriftBenchOptions.of(dir, days, quick, png).withPolicies(policies);
        DriftBenchOptions.Levers l = o.levers();
        o = o.withLevers(new DriftBenchOptions.Levers(refreshBurst != null ? refreshBurst : l.refreshBurst(),
                refreshHorizon != null ? refreshHorizon : l.horizonDays(),
                gainsSkipRefreshed != null ? gainsSkipRefreshed : l.gainsSkipRefreshed(),
                skipUnverified != null ? skipUnverified : l.skipUnverified(),
                gains != null ? gains.equals("column") : l.columnGains(),
                partnerWrites != null ? partnerWrites : l.partnerWrites(),
                deployEpochs != null ? deployEpochs : l.deployEpochs(),
                deployRepair != null ? deployRepair : l.deployRepair(),
                offsets != null ? offsets : l.offsets()));
        o = o.withCadence(cadence != null ? cadence : o.cadenceDays(),
                validationImages != null ? validationImages : o.validationImages());
        o = o.withRounds(osaEpochs != null ? osaEpochs : o.osaEpochs(),
                calibrationImages != null ? calibrationImages : o.calibrationImages());
        if (chipSeed != null) {
            o = o.withChipSeed(chipSeed);
        }
        if (threshold != null) {
            DriftPolicy r = o.rules();
            o = o.withRules(new DriftPolicy(threshold, r.roundCost(), r.replaceCost(), r.refreshCostPerShare(),
                    r.movedOverlap()));
        }
        Map<String, Object> result = new DriftBench(o, System.out).run();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        if (json != null) {
            mapper.writeValue(json.toFile(), result);
            System.out.println("results written to " + json);
        }
        // the latest run, where the node's dashboard reads it (GET /api/benchmarks/drift)
        Path latest = DriftBench.latestResults(dir);
        java.nio.file.Files.createDirectories(latest.getParent());
        Path tmp = latest.resolveSibling(latest.getFileName() + ".tmp");
        mapper.writeValue(tmp.toFile(), result);
        java.nio.file.Files.move(tmp, latest, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("latest results kept in " + latest);
        return 0;
    }
}
