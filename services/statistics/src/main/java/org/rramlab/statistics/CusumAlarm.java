package org.rramlab.statistics;

/**
 * The CUSUM of an array's per-frame mean ln-deviation (from each cell's first read after
 * programming) passed its decision interval.
 *
 * @param meanLogDeviation the mean ln-deviation of the frame that tripped it, nepers
 * @param statistic        the CUSUM statistic at that frame, nepers
 */
public record CusumAlarm(String arrayId, double meanLogDeviation, double statistic, double arrayTimeSeconds)
        implements StatisticsEvent {}
