package org.rramlab.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rramlab.measurement.MeasurementMetrics;

/**
 * The latest figures the sampler collected, read by the gauges at each scrape. Written by one
 * actor, read by HTTP threads: volatile fields and concurrent maps.
 */
final class Samples {
    volatile MeasurementMetrics measurement;
    volatile double statisticsLag = Double.NaN;
    final Map<String, Integer> campaignsByState = new ConcurrentHashMap<>();
    final Map<String, Deployment> deployments = new ConcurrentHashMap<>();

    record Deployment(double hilAccuracy, double rawAccuracy, double softwareAccuracy, int rounds, int checks) {}

    double measurement(java.util.function.ToDoubleFunction<MeasurementMetrics> f) {
        MeasurementMetrics m = measurement;
        return m == null ? Double.NaN : f.applyAsDouble(m);
    }

    double deployment(String id, java.util.function.ToDoubleFunction<Deployment> f) {
        Deployment d = deployments.get(id);
        return d == null ? Double.NaN : f.applyAsDouble(d);
    }
}
