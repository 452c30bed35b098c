package org.rramlab.livearchive;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.rramlab.deploy.DeploymentEvent;
import org.rramlab.deploy.OsaSupervisor;

/**
 * A deployment's HIL checks and OSA rounds for notebooks: CSV, one table at a time, or one HDF5
 * file with a group per table and a dataset per column (docs/data-format.md).
 */
public final class DeploymentExport {
    public static final String CHECKS_HEADER = "number,at,trigger,array_time_s,raw_accuracy,accuracy,images,read_seconds,eval_seconds";
    public static final String ROUNDS_HEADER = "number,at,trigger,array_time_s,placement,positions,sram_fraction,"
            + "area_cost_cell,area_cost_macro,accuracy_before,raw_accuracy,accuracy_after,applied,seconds";

    private DeploymentExport() {}

    public static String checksCsv(List<DeploymentEvent.Check> checks) {
        StringBuilder b = new StringBuilder(CHECKS_HEADER).append('\n');
        for (DeploymentEvent.Check c : checks) {
            b.append(c.number()).append(',').append(c.at()).append(',').append(c.trigger()).append(',')
                    .append(c.arrayTimeSeconds()).append(',').append(c.rawAccuracy()).append(',').append(c.accuracy())
                    .append(',').append(c.images()).append(',').append(c.readSeconds()).append(',').append(c.evalSeconds())
                    .append('\n');
        }
        return b.toString();
    }

    public static String roundsCsv(List<DeploymentEvent.Round> rounds) {
        StringBuilder b = new StringBuilder(ROUNDS_HEADER).append('\n');
        for (DeploymentEvent.Round r : rounds) {
            b.append(r.number()).append(',').append(r.at()).append(',').append(r.trigger()).append(',')
                    .append(r.arrayTimeSeconds()).append(',').append(r.placement()).append(',').append(r.positions())
                    .append(',').append(r.sramFraction()).append(',').append(r.areaCostCell()).append(',')
                    .append(r.areaCostMacro()).append(',').append(r.accuracyBefore()).append(',').append(r.rawAccuracy())
                    .append(',').append(r.accuracyAfter()).append(',').append(r.applied() ? 1 : 0).append(',')
                    .append(r.seconds()).append('\n');
        }
        return b.toString();
    }

    public static void hdf5(OsaSupervisor.History history, Path out, Map<String, ?> attributes) throws IOException {
        List<DeploymentEvent.Check> checks = history.checks();
        List<DeploymentEvent.Round> rounds = history.rounds();
        try (WritableHdfFile file = HdfFile.write(out)) {
            file.putAttribute("format", "rramlab-deployment-export-1");
            attributes.forEach((k, v) -> {
                if (v != null) {
                    file.putAttribute(k, v instanceof Number || v instanceof String ? v : v.toString());
                }
            });
            WritableGroup c = file.putGroup("checks");
            if (!checks.isEmpty()) { // an empty dataset is not written by jHDF: count 0 says there is none
                c.putDataset("number", checks.stream().mapToInt(DeploymentEvent.Check::number).toArray());
                c.putDataset("at_epoch_s", checks.stream().mapToDouble(x -> x.at().toEpochMilli() / 1000.0).toArray());
                c.putDataset("array_time_s", checks.stream().mapToDouble(DeploymentEvent.Check::arrayTimeSeconds).toArray());
                c.putDataset("raw_accuracy", checks.stream().mapToDouble(DeploymentEvent.Check::rawAccuracy).toArray());
                c.putDataset("accuracy", checks.stream().mapToDouble(DeploymentEvent.Check::accuracy).toArray());
                c.putDataset("images", checks.stream().mapToInt(DeploymentEvent.Check::images).toArray());
            }
            c.putAttribute("count", checks.size());
            WritableGroup r = file.putGroup("rounds");
            if (!rounds.isEmpty()) {
                r.putDataset("number", rounds.stream().mapToInt(DeploymentEvent.Round::number).toArray());
                r.putDataset("at_epoch_s", rounds.stream().mapToDouble(x -> x.at().toEpochMilli() / 1000.0).toArray());
                r.putDataset("array_time_s", rounds.stream().mapToDouble(DeploymentEvent.Round::arrayTimeSeconds).toArray());
                r.putDataset("positions", rounds.stream().mapToLong(DeploymentEvent.Round::positions).toArray());
                r.putDataset("sram_fraction", rounds.stream().mapToDouble(DeploymentEvent.Round::sramFraction).toArray());
                r.putDataset("area_cost_macro", rounds.stream().mapToDouble(DeploymentEvent.Round::areaCostMacro).toArray());
                r.putDataset("accuracy_before", rounds.stream().mapToDouble(DeploymentEvent.Round::accuracyBefore).toArray());
                r.putDataset("accuracy_after", rounds.stream().mapToDouble(DeploymentEvent.Round::accuracyAfter).toArray());
                r.putDataset("applied", rounds.stream().mapToInt(x -> x.applied() ? 1 : 0).toArray());
            }
            r.putAttribute("count", rounds.size());
        } catch (RuntimeException e) {
            throw new IOException("writing the deployment export " + out + " failed: " + e.getMessage(), e);
        }
    }
}
