package org.rramlab.bench;

/** What `rramlab bench pipeline` reports (JSON in snake_case); RSS is sampled once a minute while reading. */
public record PipelineResult(
        int arrays, int rows, int cols, double seconds,
        double cellReadsPerSecond, long framesSent, long framesApplied, long framesLost, long publishRetries,
        double latencyP50Ms, double latencyP99Ms,
        double logSigmaEstimate, double logSigmaTruth,
        double stuckHighEstimate, double stuckLowEstimate, double stuckHighTruth, double stuckLowTruth,
        long cellsApplied, double rssStartMb, double rssEndMb, java.util.List<Double> rssEveryMinuteMb,
        int recordBytes, double ourBytesPerSecond, double kafkaBytesPerSecond, double kafkaRatio) {}
