package org.rramlab.device.characterize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-wafer statistics from the per-die characterizations of a wafer run (one JSON object per die:
 * {@code die}, {@code column}, {@code row} and the fields of {@link CharacterizeReport#toJson}):
 * across dies, per level the median and range of the log sigma and of the median conductance, the
 * stuck fractions' mean and worst die; and the wafer map with each die's pooled sigma.
 */
public final class WaferReport {
    private WaferReport() {}

    public record Die(int die, int column, int row, JsonNode report) {
        double stuckHigh() {
            return report.path("stuck_high_fraction").asDouble(Double.NaN);
        }

        double stuckLow() {
            return report.path("stuck_low_fraction").asDouble(Double.NaN);
        }

        /** Cell-weighted mean of the levels' log sigmas is not in the JSON; the plain mean of the levels'. */
        double meanLogSigma() {
            double s = 0;
            int n = 0;
            for (JsonNode l : report.path("levels")) {
                if (l.path("log_sigma").isNumber()) {
                    s += l.path("log_sigma").asDouble();
                    n++;
                }
            }
            return n == 0 ? Double.NaN : s / n;
        }
    }

    public static Die die(JsonNode line) {
        return new Die(line.path("die").asInt(), line.path("column").asInt(), line.path("row").asInt(), line.path("report"));
    }

    private static double median(double[] v) {
        double[] s = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The table of per-wafer statistics and the wafer map. */
    public static String table(List<Die> dies) {
        StringBuilder b = new StringBuilder();
        if (dies.isEmpty()) {
            return "no die characterized yet\n";
        }
        int levels = dies.get(0).report().path("levels").size();
        b.append(String.format(Locale.ROOT, "wafer: %d die(s) characterized%n%n", dies.size()));
        b.append(String.format(Locale.ROOT, "%5s  %12s  %12s  %12s  %12s  %12s%n", "level", "median uS", "min uS", "max uS",
                "log sigma", "sigma range"));
        for (int k = 0; k < levels; k++) {
            double[] med = new double[dies.size()];
            double[] sig = new double[dies.size()];
            for (int i = 0; i < dies.size(); i++) {
                JsonNode l = dies.get(i).report().path("levels").path(k);
                med[i] = l.path("median_siemens").asDouble(Double.NaN);
                sig[i] = l.path("log_sigma").asDouble(Double.NaN);
            }
            double[] fm = Arrays.stream(med).filter(Double::isFinite).toArray();
            double[] fs = Arrays.stream(sig).filter(Double::isFinite).toArray();
            b.append(String.format(Locale.ROOT, "%5d  %12.4f  %12.4f  %12.4f  %12.4f  %5.4f-%5.4f%n", k, median(med) * 1e6,
                    fm.length == 0 ? Double.NaN : Arrays.stream(fm).min().getAsDouble() * 1e6,
                    fm.length == 0 ? Double.NaN : Arrays.stream(fm).max().getAsDouble() * 1e6, median(sig),
                    fs.length == 0 ? Double.NaN : Arrays.stream(fs).min().getAsDouble(),
                    fs.length == 0 ? Double.NaN : Arrays.stream(fs).max().getAsDouble()));
        }
        double[] hi = dies.stream().mapToDouble(Die::stuckHigh).toArray();
        double[] lo = dies.stream().mapToDouble(Die::stuckLow).toArray();
        Die worst = dies.stream().max((x, y) -> Double.compare(x.stuckHigh() + x.stuckLow(), y.stuckHigh() + y.stuckLow())).get();
        b.append(String.format(Locale.ROOT, "%nstuck at Gmax  mean %.4f %%, max %.4f %%%nstuck at Gmin  mean %.4f %%, max %.4f %%%n",
                Arrays.stream(hi).average().orElse(Double.NaN) * 100, Arrays.stream(hi).max().orElse(Double.NaN) * 100,
                Arrays.stream(lo).average().orElse(Double.NaN) * 100, Arrays.stream(lo).max().orElse(Double.NaN) * 100));
        b.append(String.format(Locale.ROOT, "most stuck cells: die %d (column %d, row %d)%n%n", worst.die(), worst.column(), worst.row()));
        b.append(map(dies));
        return b.toString();
    }

    /** The wafer map: one cell per map position, the die number and its mean log sigma; blank where no die was characterized. */
    public static String map(List<Die> dies) {
        int maxCol = 0;
        int maxRow = 0;
        Map<String, Die> at = new TreeMap<>();
        for (Die d : dies) {
            maxCol = Math.max(maxCol, d.column());
            maxRow = Math.max(maxRow, d.row());
            at.put(d.column() + "," + d.row(), d);
        }
        StringBuilder b = new StringBuilder("wafer map (die number / mean log sigma; column across, row down)\n      ");
        for (int c = 0; c <= maxCol; c++) b.append(String.format(Locale.ROOT, "%12d", c));
        b.append('\n');
        List<String> lines = new ArrayList<>();
        for (int r = 0; r <= maxRow; r++) {
            StringBuilder l = new StringBuilder(String.format(Locale.ROOT, "%6d", r));
            for (int c = 0; c <= maxCol; c++) {
                Die d = at.get(c + "," + r);
                l.append(d == null ? String.format(Locale.ROOT, "%12s", ".")
                        : String.format(Locale.ROOT, "%5d/%.4f", d.die(), d.meanLogSigma()));
            }
            lines.add(l.toString());
        }
        return b.append(String.join("\n", lines)).append('\n').toString();
    }
}
