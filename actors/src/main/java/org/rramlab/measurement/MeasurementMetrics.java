package org.rramlab.measurement;

/**
 * What the measurement path has done: records Kafka acknowledged, cell reads per second over the
 * last seconds, records waiting and in flight, publishes refused for a full buffer, producer
 * restarts, and the lag from publish to Kafka's acknowledgement.
 */
public record MeasurementMetrics(long recordsAcked, long bytesAcked, double cellReadsPerSecond, int waiting,
                                 int inFlight, long refused, long producerRestarts, double lagP50Millis,
                                 double lagP99Millis, String lastError) {}
