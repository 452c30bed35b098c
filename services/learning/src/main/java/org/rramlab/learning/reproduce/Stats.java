package org.rramlab.learning.reproduce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mean, spread and a 95 % interval (Student's t) over chips. */
public record Stats(double mean, double std, double min, double max, List<Double> values) {
    public static Stats of(List<Double> v) {
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        double std = v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0;
        return new Stats(mean, std, v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), List.copyOf(v));
    }

    /** Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    /**
     * 95 % interval of the mean over chips, mean ± t(n - 1) std / sqrt(n) ([mean, mean] for one chip). It
     * covers chip-to-chip spread only, not the test set's own sampling error.
     */
    public List<Double> ci95() {
        int n = values.size();
        if (n < 2) {
            return List.of(mean, mean);
        }
        double t = n - 1 <= T975.length ? T975[n - 2] : 1.96;
        double h = t * std / Math.sqrt(n);
        return List.of(mean - h, mean + h);
    }

    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("std", std);
        m.put("min", min);
        m.put("max", max);
        m.put("ci95", ci95());
        m.put("per_chip", values);
        return m;
    }

    public String pct() {
        return String.format(java.util.Locale.ROOT, "%6.2f ± %4.2f", 100 * mean, 100 * std);
    }
}
