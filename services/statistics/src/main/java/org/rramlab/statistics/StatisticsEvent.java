package org.rramlab.statistics;

/** Something the statistics noticed while applying records; the caller collects them with {@link LiveStatistics#drainEvents()}. */
public sealed interface StatisticsEvent permits DriftDetected, CusumAlarm {
    String arrayId();

    /** Array time of the frame that raised the event, seconds. */
    double arrayTimeSeconds();
}
