package org.rramlab.app.cli.learning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rramlab.learning.drift.DriftBench;
import org.rramlab.learning.drift.DriftBenchOptions;
import org.rramlab.learning.drift.DriftPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Months of drift, three policies on the same simulated chips: see docs/drift.md. */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Hold accuracy through months of drift: policies on the same simulated chips, drift and write",
            "budgets; a check every few array days, decisions on validation images, every score on a fresh read",
            "through the column ADCs, against the teacher in software."})
public class DriftBenchCommand implements Callable<Integer> {
    @Option(names = "--days", defaultValue = "90", description = "array days to simulate (default: ${DEFAULT-VALUE})")
    double days;

    @Option(names = "--quick", description = "a small MLP, fewer images, a check every 3 days (under 10 min on 2 cores)")
    boolean quick;

    @Mixin
    LearningRunOptions.JsonFile json = new LearningRunOptions.JsonFile();

    @Option(names = "--png", defaultValue = "docs/drift.png",
            description = "the chart of accuracy against array time (default: ${DEFAULT-VALUE})")
    Path png;

    @Mixin
    LearningRunOptions.Datasets datasets = new LearningRunOptions.Datasets();

    @Option(names = "--policies", split = ",", defaultValue = "none,global-comp,column-comp,refresh-all,osa,full",
            description = "policies to run: none, global-comp, column-comp, refresh-all, osa, full"
                    + " (default: ${DEFAULT-VALUE})")
    java.util.List<String> policies;

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

    @Option(names = "--adc-bits", defaultValue = "8", description = "column ADC bits every score is read through,"
            + " as in reproduce; 0: exact MAC (default: ${DEFAULT-VALUE})")
    int adcBits;

    @Option(names = "--student-seed", defaultValue = "1", description = "seed of the student's distillation; another"
            + " seed trains (and caches) another student from the same teacher (default: ${DEFAULT-VALUE})")
    long studentSeed;

    @Option(names = "--preset", description = "device preset of the chips (default: the bench's; see docs/drift.md)")
    String preset;

    @Option(names = "--temperature", description = "the chips' temperature in degrees C while they drift (default: the"
            + " preset's reference temperature); drift time runs faster by the preset's Arrhenius activation energy")
    Double temperatureC;

    // one: on a shared 2-core machine two intra-op threads contend with the other jobs (2026-12-02, load 10-14:
    // decisions took 6.7 s median with 2 threads, 0.3 s with 1; docs/drift.md)
    @Mixin
    LearningRunOptions.Threads threads = new LearningRunOptions.Threads(1);

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
        if (adcBits != 0 && (adcBits < 2 || adcBits > 16)) {
            System.err.println("--adc-bits must be 0 (exact) or 2..16, got " + adcBits);
            return 2;
        }
        if (temperatureC != null && (temperatureC < -50 || temperatureC > 300)) {
            System.err.println("--temperature is in degrees C and must lie in [-50, 300], got " + temperatureC);
            return 2;
        }
        threads.apply();
        Path dir = datasets.dir();
        DriftBenchOptions o = DriftBenchOptions.of(dir, days, quick, png).withPolicies(policies);
        DriftBenchOptions.Levers l = o.levers();
        o = o.withLevers(new DriftBenchOptions.Levers(deployEpochs != null ? deployEpochs : l.deployEpochs(),
                deployRepair != null ? deployRepair : l.deployRepair(), offsets != null ? offsets : l.offsets()));
        o = o.withDevice(adcBits, studentSeed, preset != null ? preset : o.preset(),
                temperatureC != null ? temperatureC + 273.15 : 0);
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
        if (json.json != null) {
            mapper.writeValue(json.json.toFile(), result);
            System.out.println("results written to " + json.json);
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
