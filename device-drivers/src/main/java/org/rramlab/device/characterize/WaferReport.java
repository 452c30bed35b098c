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

    /** @param drift the die's {@link DieDrift#toJson} (a missing node when the run measured no drift) */
    public record Die(int die, int column, int row, JsonNode report, JsonNode drift) {
        public Die(int die, int column, int row, JsonNode report) {
            this(die, column, row, report, com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        }

        /** nu at Gmin and at Gmax of the die's drift law; NaN without one. */
        public double[] nuEnds() {
            return DieDrift.ends(drift);
        }

        public double stuckHigh() {
            return report.path("stuck_high_fraction").asDouble(Double.NaN);
        }

        public double stuckLow() {
            return report.path("stuck_low_fraction").asDouble(Double.NaN);
        }

        /** Cell-weighted mean of the levels' log sigmas is not in the JSON; the plain mean of the levels'. */
        public double meanLogSigma() {
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
        return new Die(line.path("die").asInt(), line.path("column").asInt(), line.path("row").asInt(), line.path("report"),
                line.path("drift"));
    }

    /** One level's median conductance and log sigma, a value per die (NaN where the die has none). */
    private record LevelColumns(double[] medians, double[] logSigmas) {
        static LevelColumns of(List<Die> dies, int level) {
            double[] med = new double[dies.size()];
            double[] sig = new double[dies.size()];
            for (int i = 0; i < dies.size(); i++) {
                JsonNode l = dies.get(i).report().path("levels").path(level);
                med[i] = l.path("median_siemens").asDouble(Double.NaN);
                sig[i] = l.path("log_sigma").asDouble(Double.NaN);
            }
            return new LevelColumns(med, sig);
        }
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
            LevelColumns c = LevelColumns.of(dies, k);
            double[] med = c.medians();
            double[] sig = c.logSigmas();
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
        b.append(driftTable(dies));
        b.append(map(dies));
        return b.toString();
    }

    /** Across dies: median, spread (sample standard deviation) and range of each end of the drift law. */
    public static double[][] driftSpread(List<Die> dies) {
        double[][] out = new double[2][];
        for (int e = 0; e < 2; e++) {
            final int end = e;
            double[] v = dies.stream().mapToDouble(d -> d.nuEnds()[end]).filter(Double::isFinite).toArray();
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double var = v.length < 2 ? Double.NaN : Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
            out[e] = new double[] {median(v), Math.sqrt(var), v.length == 0 ? Double.NaN : Arrays.stream(v).min().getAsDouble(),
                    v.length == 0 ? Double.NaN : Arrays.stream(v).max().getAsDouble(), v.length};
        }
        return out;
    }

    private static String driftTable(List<Die> dies) {
        double[][] s = driftSpread(dies);
        if (s[0][4] == 0) {
            return "drift law: not measured (no die has repeated reads)\n\n";
        }
        return String.format(Locale.ROOT, "drift law G = G0 ((t + t0) / t0)^-nu over %d die(s): nu at Gmin median %.4f (sd %.4f, %.4f..%.4f),"
                        + " nu at Gmax median %.4f (sd %.4f, %.4f..%.4f)%n%n", (int) s[0][4], s[0][0], s[0][1], s[0][2], s[0][3],
                s[1][0], s[1][1], s[1][2], s[1][3]);
    }

    /**
     * The wafer as JSON, for the node's {@code GET /api/wafers/{name}} and the dashboard's map: per
     * die its position, per-level median and log sigma, stuck fractions, mean log sigma and drift
     * law; the grid (columns x rows of the positions seen), the positions in it that no die of the
     * route occupies ({@code not_on_route}: skipped or off the wafer), the dies of the route not yet
     * characterized ({@code pending}, from the lines' {@code last_die}), and the per-wafer statistics.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode toJson(String name, List<JsonNode> lines) {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        var root = f.objectNode();
        root.put("name", name);
        List<Die> dies = new ArrayList<>();
        int lastDie = -1;
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (JsonNode l : lines) {
            dies.add(die(l));
            seen.add(l.path("die").asInt());
            lastDie = Math.max(lastDie, l.path("last_die").asInt(-1));
        }
        int maxCol = -1;
        int maxRow = -1;
        var arr = root.putArray("dies");
        for (Die d : dies) {
            maxCol = Math.max(maxCol, d.column());
            maxRow = Math.max(maxRow, d.row());
            var o = arr.addObject();
            o.put("die", d.die());
            o.put("column", d.column());
            o.put("row", d.row());
            num(o, "mean_log_sigma", d.meanLogSigma());
            num(o, "stuck_high_fraction", d.stuckHigh());
            num(o, "stuck_low_fraction", d.stuckLow());
            var lv = o.putArray("levels");
            for (JsonNode l : d.report().path("levels")) {
                var x = lv.addObject();
                x.put("level", l.path("level").asInt());
                num(x, "median_siemens", l.path("median_siemens").asDouble(Double.NaN));
                num(x, "log_sigma", l.path("log_sigma").asDouble(Double.NaN));
            }
            if (!d.drift().isMissingNode() && !d.drift().isNull()) {
                o.set("drift", d.drift());
            }
        }
        var grid = root.putObject("grid");
        grid.put("columns", maxCol + 1);
        grid.put("rows", maxRow + 1);
        var off = root.putArray("not_on_route");
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (Die d : dies) taken.add(d.column() + "," + d.row());
        for (int r = 0; r <= maxRow; r++) {
            for (int c = 0; c <= maxCol; c++) {
                if (!taken.contains(c + "," + r)) {
                    off.addObject().put("column", c).put("row", r);
                }
            }
        }
        var pending = root.putArray("pending");
        for (int d = 0; d <= lastDie; d++) {
            if (!seen.contains(d)) {
                pending.add(d);
            }
        }
        var wafer = root.putObject("wafer");
        wafer.put("dies", dies.size());
        var levels = wafer.putArray("levels");
        int levelCount = dies.isEmpty() ? 0 : dies.get(0).report().path("levels").size();
        for (int k = 0; k < levelCount; k++) {
            LevelColumns c = LevelColumns.of(dies, k);
            double[] med = c.medians();
            double[] sig = c.logSigmas();
            var x = levels.addObject();
            x.put("level", k);
            num(x, "median_siemens", median(med));
            num(x, "log_sigma_median", median(sig));
            num(x, "log_sigma_min", Arrays.stream(sig).filter(Double::isFinite).min().orElse(Double.NaN));
            num(x, "log_sigma_max", Arrays.stream(sig).filter(Double::isFinite).max().orElse(Double.NaN));
        }
        num(wafer, "stuck_high_mean", dies.stream().mapToDouble(Die::stuckHigh).filter(Double::isFinite).average().orElse(Double.NaN));
        num(wafer, "stuck_high_max", dies.stream().mapToDouble(Die::stuckHigh).filter(Double::isFinite).max().orElse(Double.NaN));
        num(wafer, "stuck_low_mean", dies.stream().mapToDouble(Die::stuckLow).filter(Double::isFinite).average().orElse(Double.NaN));
        num(wafer, "stuck_low_max", dies.stream().mapToDouble(Die::stuckLow).filter(Double::isFinite).max().orElse(Double.NaN));
        double[][] drift = driftSpread(dies);
        var dr = wafer.putObject("drift");
        dr.put("law", "power-law");
        dr.put("dies", (int) drift[0][4]);
        String[] ends = {"nu_at_gmin", "nu_at_gmax"};
        for (int e = 0; e < 2; e++) {
            var x = dr.putObject(ends[e]);
            num(x, "median", drift[e][0]);
            num(x, "sd", drift[e][1]);
            num(x, "min", drift[e][2]);
            num(x, "max", drift[e][3]);
        }
        return root;
    }

    /** One CSV row per die and level (the wafer export): position, level statistics, stuck fractions, drift law. */
    public static String csv(List<JsonNode> lines) {
        StringBuilder b = new StringBuilder("die,column,row,level,median_siemens,log_sigma,stuck_high_fraction,stuck_low_fraction,"
                + "nu_level,nu_spread_level,nu_at_gmin,nu_at_gmax\n");
        for (JsonNode line : lines) {
            Die d = die(line);
            double[] endsOf = d.nuEnds();
            int k = 0;
            for (JsonNode l : d.report().path("levels")) {
                b.append(d.die()).append(',').append(d.column()).append(',').append(d.row()).append(',')
                        .append(l.path("level").asInt()).append(',')
                        .append(cell(l.path("median_siemens").asDouble(Double.NaN))).append(',')
                        .append(cell(l.path("log_sigma").asDouble(Double.NaN))).append(',')
                        .append(cell(d.stuckHigh())).append(',').append(cell(d.stuckLow())).append(',')
                        .append(cell(d.drift().path("nu_per_level").path(k).asDouble(Double.NaN))).append(',')
                        .append(cell(d.drift().path("nu_spread_per_level").path(k).asDouble(Double.NaN))).append(',')
                        .append(cell(endsOf[0])).append(',').append(cell(endsOf[1])).append('\n');
                k++;
            }
        }
        return b.toString();
    }

    private static String cell(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private static void num(com.fasterxml.jackson.databind.node.ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
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
