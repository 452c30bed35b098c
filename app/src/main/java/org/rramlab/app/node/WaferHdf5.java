package org.rramlab.app.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.List;
import org.rramlab.device.characterize.WaferReport;

/**
 * A wafer run as HDF5 (docs/data-format.md "Wafer runs"): the root's attributes {@code format}
 * ({@code rramlab-wafer-1}) and {@code name}; group {@code dies} with one entry per die in every
 * dataset ({@code die}, {@code column}, {@code row}, {@code mean_log_sigma}, the stuck fractions,
 * {@code nu_at_gmin}, {@code nu_at_gmax}) and dies x levels datasets ({@code median_siemens},
 * {@code log_sigma}, {@code nu_per_level}); group {@code not_on_route} with the map positions no die
 * of the route occupies. NaN where a value was not measured.
 */
final class WaferHdf5 {
    private WaferHdf5() {}

    static void write(String name, List<JsonNode> lines, Path out) {
        JsonNode w = WaferReport.toJson(name, lines);
        JsonNode dies = w.path("dies");
        int n = dies.size();
        int levels = w.path("wafer").path("levels").size();
        int[] die = new int[n];
        int[] column = new int[n];
        int[] row = new int[n];
        double[] sigma = new double[n];
        double[] stuckHigh = new double[n];
        double[] stuckLow = new double[n];
        double[] nuMin = new double[n];
        double[] nuMax = new double[n];
        double[][] median = new double[n][levels];
        double[][] logSigma = new double[n][levels];
        double[][] nu = new double[n][levels];
        for (int i = 0; i < n; i++) {
            JsonNode d = dies.path(i);
            die[i] = d.path("die").asInt();
            column[i] = d.path("column").asInt();
            row[i] = d.path("row").asInt();
            sigma[i] = num(d.path("mean_log_sigma"));
            stuckHigh[i] = num(d.path("stuck_high_fraction"));
            stuckLow[i] = num(d.path("stuck_low_fraction"));
            nuMin[i] = num(d.path("drift").path("nu_at_gmin"));
            nuMax[i] = num(d.path("drift").path("nu_at_gmax"));
            for (int k = 0; k < levels; k++) {
                median[i][k] = num(d.path("levels").path(k).path("median_siemens"));
                logSigma[i][k] = num(d.path("levels").path(k).path("log_sigma"));
                nu[i][k] = num(d.path("drift").path("nu_per_level").path(k));
            }
        }
        JsonNode off = w.path("not_on_route");
        int[] offColumn = new int[off.size()];
        int[] offRow = new int[off.size()];
        for (int i = 0; i < off.size(); i++) {
            offColumn[i] = off.path(i).path("column").asInt();
            offRow[i] = off.path(i).path("row").asInt();
        }
        try (WritableHdfFile file = HdfFile.write(out)) {
            file.putAttribute("format", "rramlab-wafer-1");
            file.putAttribute("name", name);
            file.putAttribute("drift_law", "power-law");
            WritableGroup g = file.putGroup("dies");
            if (n == 0) {
                return;
            }
            g.putDataset("die", die);
            g.putDataset("column", column);
            g.putDataset("row", row);
            g.putDataset("mean_log_sigma", sigma);
            g.putDataset("stuck_high_fraction", stuckHigh);
            g.putDataset("stuck_low_fraction", stuckLow);
            g.putDataset("nu_at_gmin", nuMin);
            g.putDataset("nu_at_gmax", nuMax);
            if (n > 0 && levels > 0) {
                g.putDataset("median_siemens", median).putAttribute("units", "S");
                g.putDataset("log_sigma", logSigma);
                g.putDataset("nu_per_level", nu);
            }
            WritableGroup o = file.putGroup("not_on_route");
            if (offColumn.length > 0) {
                o.putDataset("column", offColumn);
                o.putDataset("row", offRow);
            }
        }
    }

    private static double num(JsonNode v) {
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
