package org.rramlab.app.bench;

/**
 * What `rramlab bench pipeline` reports (JSON in snake_case); RSS is sampled once a minute while reading.
 * The readers first read for {@code warmupSeconds} unmeasured; rates, latencies, bytes/s and the profile
 * are of the {@code seconds} after it; frames lost and cell reads archived are of the whole run.
 * {@code cpuNsPerCellRead} is the whole process's CPU over the window per cell read in it (every stage,
 * the JVM's GC and JIT included): the figure that does not depend on how busy the machine is;
 * {@code processCoreShare} is that CPU as a share of all the machine's cores; {@code jitSecondsInWindow}
 * the CPU seconds of the JIT compiler threads in the window (/proc): large means the window was not yet warm. {@code rssPeakMb} is the
 * process's largest resident set since it started (VmHWM), taken before Kafka's own tools run.
 * The archive figures are the node's own archive, consuming the same topic beside the statistics:
 * cell reads written per second while the arrays were read, records it had still to write then, the
 * seconds it took afterwards to have every read, and the cell reads it wrote in all. Kafka's own tools
 * run after the reading on the same broker with our record size: the producer alone ({@code kafka*}),
 * then producer and one consumer group at once ({@code kafkaPair*}; the ratio is ours against the
 * consumer's bytes/s, what went end to end through Kafka).
 */
public record PipelineResult(
        int arrays, int rows, int cols, int warmupSeconds, double seconds,
        double cellReadsPerSecond, double cpuNsPerCellRead, double processCoreShare, double jitSecondsInWindow, long framesSent, long framesApplied, long framesLost, long publishRetries,
        double latencyP50Ms, double latencyP99Ms,
        double logSigmaEstimate, double logSigmaTruth,
        double stuckHighEstimate, double stuckLowEstimate, double stuckHighTruth, double stuckLowTruth,
        long cellsApplied, double rssStartMb, double rssEndMb, double rssPeakMb, java.util.List<Double> rssEveryMinuteMb,
        int recordBytes, double ourBytesPerSecond, double kafkaBytesPerSecond, double kafkaRatio,
        double archiveCellReadsPerSecond, long archiveLagAtEndRecords, double archiveDrainSeconds,
        long archiveCellReads, double kafkaPairProducerBytesPerSecond, double kafkaPairConsumerBytesPerSecond,
        double kafkaPairRatio, PipelineProfile.Summary profile) {}
