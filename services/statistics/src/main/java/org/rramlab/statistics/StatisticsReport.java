package org.rramlab.statistics;

import java.util.List;

/**
 * The live variation model of one array, or of all arrays together ({@link #scope} = {@value #OVERALL}).
 *
 * @param arrays            arrays that contributed
 * @param logSigma          variation sigma pooled over levels (cell-weighted mean of the level sigmas)
 * @param readNoiseRelative relative read noise from pairs of reads of a cell close in time (NaN without pairs)
 * @param readNoisePairs    pairs behind it
 * @param driftT0Seconds    t0 of the drift law (the preset's)
 * @param drift             fitted drift law per level
 * @param framesApplied     read frames applied (suspect ones included)
 * @param programmedApplied programmed records applied
 * @param duplicatesSkipped records skipped because their sequence was already applied
 * @param framesSuspect     applied frames flagged suspect: counted, their values left out
 * @param cellsRead         cell reads that entered the statistics
 * @param cellsUnlabelled   cell reads left out: no known level (outside what was programmed, or no level)
 * @param cellsUnusable     cell reads left out: not a positive finite conductance
 * @param histogramLowLn    ln G (siemens) at the lower edge of the first bin of every level's histogram
 * @param histogramBinNepers width of a histogram bin in ln G
 */
public record StatisticsReport(String scope, int arrays, List<LevelReport> levels, double logSigma,
                               double stuckHighFraction, double stuckLowFraction, double readNoiseRelative,
                               long readNoisePairs, double driftT0Seconds, List<LevelDrift> drift,
                               long framesApplied, long programmedApplied, long duplicatesSkipped,
                               long framesSuspect, long cellsRead, long cellsUnlabelled, long cellsUnusable,
                               double histogramLowLn, double histogramBinNepers) {
    public static final String OVERALL = "*";

    public StatisticsReport {
        levels = List.copyOf(levels);
        drift = List.copyOf(drift);
    }

    /** Without histograms. */
    public StatisticsReport(String scope, int arrays, List<LevelReport> levels, double logSigma,
                            double stuckHighFraction, double stuckLowFraction, double readNoiseRelative,
                            long readNoisePairs, double driftT0Seconds, List<LevelDrift> drift,
                            long framesApplied, long programmedApplied, long duplicatesSkipped,
                            long framesSuspect, long cellsRead, long cellsUnlabelled, long cellsUnusable) {
        this(scope, arrays, levels, logSigma, stuckHighFraction, stuckLowFraction, readNoiseRelative, readNoisePairs,
                driftT0Seconds, drift, framesApplied, programmedApplied, duplicatesSkipped, framesSuspect, cellsRead,
                cellsUnlabelled, cellsUnusable, Double.NaN, Double.NaN);
    }

    /** The same report with another duplicate count: compares two reports on everything else. */
    public StatisticsReport withDuplicatesSkipped(long duplicates) {
        return new StatisticsReport(scope, arrays, levels, logSigma, stuckHighFraction, stuckLowFraction,
                readNoiseRelative, readNoisePairs, driftT0Seconds, drift, framesApplied, programmedApplied,
                duplicates, framesSuspect, cellsRead, cellsUnlabelled, cellsUnusable, histogramLowLn, histogramBinNepers);
    }
}
