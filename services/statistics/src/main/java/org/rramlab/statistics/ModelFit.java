package org.rramlab.statistics;

import java.util.ArrayList;
import java.util.List;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.characterize.Characterization;
import org.rramlab.device.characterize.LevelStatistics;
import org.rramlab.device.noise.DeviceNoise;

/** The fitted part of a report, computed from merged summaries and cached until they change. */
record ModelFit(long version, List<LevelReport> levels, double logSigma, double stuckHigh, double stuckLow,
                double readNoise, long readNoisePairs, List<LevelDrift> drift, double histogramLowLn,
                double histogramBinNepers) {

    static ModelFit of(long version, DevicePreset preset, LevelHistogram histogram, NoiseHistogram noise,
                       DriftBins drift) {
        boolean any = histogram.total() > 0;
        Characterization c = any ? histogram.fit(preset) : null;
        List<LevelReport> levels = new ArrayList<>(histogram.levels);
        DeviceNoise levelTargets = DeviceNoise.of(preset);
        for (int k = 0; k < histogram.levels; k++) {
            LevelStatistics s = c == null ? null : c.levels().get(k);
            levels.add(new LevelReport(k, levelTargets.level(k), histogram.n[k],
                    s == null ? Double.NaN : s.meanSiemens(), s == null ? Double.NaN : s.medianSiemens(),
                    s == null ? Double.NaN : s.logSigma(), histogram.rawMean(k), histogram.rawSigma(k),
                    histogram.plotBins(k)));
        }
        return new ModelFit(version, List.copyOf(levels),
                c == null ? Double.NaN : c.pooledLogSigma(),
                c == null ? Double.NaN : c.stuckHighFraction(),
                c == null ? Double.NaN : c.stuckLowFraction(),
                noise.relativeNoise(), noise.pairs(), drift.fit(preset.drift().t0Seconds()), histogram.low,
                LevelHistogram.BIN_NEPERS * LevelHistogram.PLOT_MERGE);
    }
}
