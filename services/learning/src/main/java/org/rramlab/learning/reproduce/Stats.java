package org.rramlab.learning.reproduce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mean and spread over chips. */
public record Stats(double mean, double std, double min, double max, List<Double> values) {
    public static Stats of(List<Double> v) {
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        double std = v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0;
        return new Stats(mean, std, v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), List.copyOf(v));
    }

    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("std", std);
        m.put("min", min);
        m.put("max", max);
        m.put("per_chip", values);
        return m;
    }

    public String pct() {
        return String.format(java.util.Locale.ROOT, "%6.2f ± %4.2f", 100 * mean, 100 * std);
    }
}
