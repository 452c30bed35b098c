package org.rramlab.statistics;

/**
 * What one report needs, copied from a {@link LiveStatistics} by the thread that owns it: the
 * merged histograms and drift bins (unless the owner's fit is current) and the counters. The
 * copy never changes, so {@link #report()} — the EM over the level histograms and the drift-law
 * fits, the slow part — may run on any thread while the owner keeps applying records. Hand the
 * snapshot back to the owner's thread (through a message) and call {@link LiveStatistics#keep}
 * so that the next report of an unchanged model costs nothing.
 */
public final class ReportSnapshot {
    private final String scope;
    private final int arrayCount;
    private final long version;
    private final StatisticsConfig config;
    private final long[] counters;
    /** Null when {@link #cached} is current: nothing to fit. */
    private final LevelHistogram histogram;
    private final NoiseHistogram noise;
    private final DriftBins drift;
    private final ModelFit cached;
    private volatile ModelFit fitted;

    ReportSnapshot(String scope, int arrayCount, long version, StatisticsConfig config, long[] counters,
                   LevelHistogram histogram, NoiseHistogram noise, DriftBins drift, ModelFit cached) {
        this.scope = scope;
        this.arrayCount = arrayCount;
        this.version = version;
        this.config = config;
        this.counters = counters;
        this.histogram = histogram;
        this.noise = noise;
        this.drift = drift;
        this.cached = cached;
        this.fitted = cached;
    }

    /** True when {@link #report()} has to fit (the owner's cached fit is older than the model). */
    public boolean needsFit() {
        return fitted == null;
    }

    public String scope() {
        return scope;
    }

    /** The report; fits first when {@link #needsFit()} (call it off the owner's thread then). */
    public StatisticsReport report() {
        ModelFit fit = fitted;
        if (fit == null) {
            fit = ModelFit.of(version, config.preset(), histogram, noise, drift);
            fitted = fit;
        }
        long[] c = counters;
        return new StatisticsReport(scope, arrayCount, fit.levels(), fit.logSigma(), fit.stuckHigh(), fit.stuckLow(),
                fit.readNoise(), fit.readNoisePairs(), config.preset().drift().t0Seconds(), fit.drift(),
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], fit.histogramLowLn(), fit.histogramBinNepers());
    }

    /** The fit made by {@link #report()}, if it made one (for the owner's cache). */
    ModelFit newFit() {
        ModelFit fit = fitted;
        return fit == cached ? null : fit;
    }

    long version() {
        return version;
    }
}
