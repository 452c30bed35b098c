package org.rramlab.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rramlab.app.bench.PipelineBench;
import org.rramlab.app.bench.PipelineProfile;
import org.rramlab.app.bench.PipelineResult;
import org.rramlab.http.Json;
import org.rramlab.streaming.ReadEncoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** rramlab bench pipeline: arrays -> measurement -> Kafka -> statistics, in one process. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, description = {
    "Measure the measurement path end to end: simulated arrays, MeasurementActor, embedded Kafka,",
    "StatisticsActor and the archive; then Kafka's own producer performance tool on the same broker,",
    "alone and with its consumer performance tool (one group) reading meanwhile.",
    "Runs on a node of its own in a temporary data directory."})
public final class PipelineBenchCommand implements Callable<Integer> {
    @Option(names = "--arrays", defaultValue = "8", description = "Simulated arrays (default ${DEFAULT-VALUE}).")
    int arrays;

    @Option(names = "--rows", defaultValue = "256", description = "Rows per array (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--cols", defaultValue = "256", description = "Columns per array (default ${DEFAULT-VALUE}).")
    int cols;

    @Option(names = "--seconds", defaultValue = "30", description = "How long to measure (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "30", description = {
        "Read this long before the measured window, unmeasured, so that the figures are of compiled",
        "code as in a node that has been reading for a while (default ${DEFAULT-VALUE}; 0: none).",
        "On cores others load, give it longer: the JIT compiles the broker's code for about a minute",
        "at half the two cores (jit_seconds_in_window says how much was left)."})
    int warmup;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the first array (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--profile", paramLabel = "FILE", description = {
        "Record the reading window with JDK Flight Recorder into FILE (.jfr) and report the CPU share",
        "of each stage (simulation, encoding, producing, broker, statistics, archive, GC)."})
    Path profile;

    @Option(names = "--encoding", paramLabel = "float32|log16",
            description = "How read frames travel (default: rramlab.measurement.encoding, log16).")
    String encoding;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (arrays < 1 || rows < 1 || cols < 1 || seconds < 1) {
            throw new IllegalArgumentException("--arrays, --rows, --cols and --seconds must be positive");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be 0 or more seconds, got " + warmup);
        }
        PipelineResult r = new PipelineBench(new PipelineBench.Options(arrays, rows, cols, seconds, seed, 2, profile,
                encoding == null ? null : ReadEncoding.parse(encoding), warmup),
                line -> System.err.println(line)).run();
        if (json) {
            System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
        } else {
            System.out.printf("measured window     %.1f s after %d s of warm-up%n", r.seconds(), r.warmupSeconds());
            System.out.printf("cell reads/s        %,.0f%n", r.cellReadsPerSecond());
            System.out.printf("CPU per cell read   %.0f ns (the process used %.0f %% of the cores; JIT %.1f s of it)%n",
                    r.cpuNsPerCellRead(), 100 * r.processCoreShare(), r.jitSecondsInWindow());
            System.out.printf("frames sent/applied %,d / %,d (lost %d, publish retries %d)%n",
                    r.framesSent(), r.framesApplied(), r.framesLost(), r.publishRetries());
            System.out.printf("latency p50/p99     %.1f / %.1f ms (read -> statistics applied)%n",
                    r.latencyP50Ms(), r.latencyP99Ms());
            System.out.printf("log sigma           %.4f (truth %.4f)%n", r.logSigmaEstimate(), r.logSigmaTruth());
            System.out.printf("stuck high / low    %.4f / %.4f (truth %.4f / %.4f)%n", r.stuckHighEstimate(),
                    r.stuckLowEstimate(), r.stuckHighTruth(), r.stuckLowTruth());
            System.out.printf("rss start / end     %.0f / %.0f MB (peak %.0f MB)%n", r.rssStartMb(), r.rssEndMb(), r.rssPeakMb());
            System.out.printf("Kafka bytes/s       ours %,.0f, ProducerPerformance %,.0f: ratio %.2f (record %d bytes)%n",
                    r.ourBytesPerSecond(), r.kafkaBytesPerSecond(), r.kafkaRatio(), r.recordBytes());
            System.out.printf("Kafka with a consumer ProducerPerformance %,.0f + ConsumerPerformance %,.0f bytes/s: ratio %.2f%n",
                    r.kafkaPairProducerBytesPerSecond(), r.kafkaPairConsumerBytesPerSecond(), r.kafkaPairRatio());
            if (r.profile() != null) {
                System.out.println("CPU while reading (recording " + r.profile().file() + "):");
                System.out.print(PipelineProfile.table(r.profile()));
            }
        }
        return r.framesLost() == 0 ? 0 : 1;
    }
}
