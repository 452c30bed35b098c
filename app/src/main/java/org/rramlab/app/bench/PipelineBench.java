package org.rramlab.app.bench;

import com.typesafe.config.ConfigUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.sim.Fault;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.measurement.MeasurementActor;
import org.rramlab.measurement.MeasurementMetrics;
import org.rramlab.archive.ArchiveStatus;
import org.rramlab.node.LabConfig;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LivePipeline;
import org.rramlab.statistics.StatisticsReport;
import org.rramlab.streaming.ConductanceCodec;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.ReadEncoding;
import org.rramlab.streaming.ReadRecord;

/**
 * The whole measurement path in one process: simulated arrays -> MeasurementActor -> embedded
 * Kafka -> StatisticsActor, on a lab node of its own in a temporary data directory. Every array
 * is programmed with every level, then read whole as fast as the path takes it for a while;
 * then the path is drained and the statistics compared with the simulators' truth. Kafka's own
 * producer performance tool runs afterwards on the same broker with the same record size.
 */
public final class PipelineBench {
    /**
     * @param profile  where to write a JFR recording of the reading window, or null for none
     * @param encoding how read frames travel, or null for the configured one
     */
    /**
     * @param warmupSeconds reading before the measured window (every figure but "lost" and "archived"
     *                      is of the window): the JIT compiles the path's code meanwhile, as it has long
     *                      done in a node that has been reading for a while
     */
    public record Options(int arrays, int rows, int cols, int seconds, long seed, int chainsPerArray, Path profile,
                          ReadEncoding encoding, int warmupSeconds) {
        public Options(int arrays, int rows, int cols, int seconds, long seed, int chainsPerArray) {
            this(arrays, rows, cols, seconds, seed, chainsPerArray, null, null, 0);
        }
    }

    private final Options options;
    private final Consumer<String> progress;
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong cellsSent = new AtomicLong();
    private final AtomicLong publishRetries = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final LatencyRecorder latencies = new LatencyRecorder();
    /** System.nanoTime() at the start of the measured window: latencies count from frames read after it. */
    private volatile long windowStart = Long.MAX_VALUE;
    private static final int WINDOW_PER_ARRAY = 4;
    /** Readers waiting for a place in the window. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();

    public PipelineBench(Options options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    public PipelineResult run() throws Exception {
        Path dir = Files.createTempDirectory("rramlab-bench-");
        Map<String, String> overrides = new java.util.HashMap<>(Map.of(
                "rramlab.data-dir", ConfigUtil.quoteString(dir.toString()), "rramlab.http.port", "0",
                "rramlab.statistics.topic-partitions", Integer.toString(Math.max(4, options.arrays())),
                // frames stream at tens of MB/s: keep a minute of them, not a week
                "rramlab.statistics.topic-retention", "60s"));
        if (options.encoding() != null) {
            overrides.put("rramlab.measurement.encoding", options.encoding().name().toLowerCase(java.util.Locale.ROOT));
        }
        var config = LabConfig.load(overrides, Map.of());
        encoding = ReadEncoding.parse(config.getString("rramlab.measurement.encoding"));
        try (LabNode node = LabNode.start(config)) {
            return measure(node);
        } finally {
            deleteTree(dir);
        }
    }

    private ReadEncoding encoding = ReadEncoding.LOG16;

    private PipelineResult measure(LabNode node) throws Exception {
        String bootstrap = node.brokerStarted().toCompletableFuture().get(2, TimeUnit.MINUTES);
        // the node's own measurement path, exactly as `rramlab run` has it
        LivePipeline pipeline = node.pipeline().get(2, TimeUnit.MINUTES);
        DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);
        var system = node.system();
        ActorRef<MeasurementActor.Command> measurement = pipeline.measurement();
        ActorRef<StatisticsActor.Command> statistics = pipeline.statistics();
        ActorRef<StatisticsActor.Applied> watcher = LabNode.spawn(system, Behaviors.<StatisticsActor.Applied>receiveMessage(a -> {
            Long t = sentAt.remove(a.arrayId() + "#" + a.sequence());
            if (t != null && !a.duplicate() && t >= windowStart) {
                latencies.add(System.nanoTime() - t);
            }
            if (t != null) {
                wakeOne();
            }
            return Behaviors.same();
        }), "bench-watcher").get();
        statistics.tell(new StatisticsActor.WatchApplied(watcher));

        List<SimulatedArray> arrays = new ArrayList<>();
        for (int a = 0; a < options.arrays(); a++) {
            arrays.add(new SimulatedArray("bench-" + a, preset, options.rows(), options.cols(), options.seed() + a));
        }
        Block whole = new Block(0, 0, options.rows(), options.cols());
        int[] levels = new int[whole.cells()];
        byte[] levelBytes = new byte[whole.cells()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = i % preset.levels();
            levelBytes[i] = (byte) levels[i];
        }
        progress.accept("programming " + options.arrays() + " arrays of " + options.rows() + "x" + options.cols() + " ...");
        for (SimulatedArray array : arrays) {
            array.program(ProgramRequest.ofLevels(whole, levels, false)).toCompletableFuture().get(5, TimeUnit.MINUTES);
            publish(system, measurement, new ProgrammedRecord(array.id(), 1, 0.0, whole, levelBytes))
                    .toCompletableFuture().get(2, TimeUnit.MINUTES);
        }
        double rssStart = ProcessMemory.rssMb();
        long archivedBefore = node.archive().status().cellReadsArchived();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (SimulatedArray array : arrays) {
            for (int c = 0; c < options.chainsPerArray(); c++) {
                loops.add(readLoop(system, measurement, array, whole));
            }
        }
        if (options.warmupSeconds() > 0) {
            progress.accept(String.format("warming up: reading for %d s, not measured (rss %.0f MB) ...",
                    options.warmupSeconds(), rssStart));
            Thread.sleep(TimeUnit.SECONDS.toMillis(options.warmupSeconds()));
        }
        // the measured window: counts from here; latencies of frames read from here
        long framesBefore = framesSent.get();
        long cellsBefore = cellsSent.get();
        long ackedBefore = metrics(system, measurement).bytesAcked();
        long archivedAtWindow = node.archive().status().cellReadsArchived();
        progress.accept(String.format("reading for %d s (rss %.0f MB) ...", options.seconds(), ProcessMemory.rssMb()));
        PipelineProfile profile = options.profile() == null ? null : PipelineProfile.start(options.profile());
        long cpuAtWindow = processCpuNanos();
        var threadsAtWindow = ThreadCpu.now();
        long t0 = System.nanoTime();
        windowStart = t0;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(options.seconds());
        List<Double> rssTimeline = new ArrayList<>();
        long nextRssSample = t0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(Math.min(5000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            double secs = (System.nanoTime() - t0) / 1e9;
            double rss = ProcessMemory.rssMb();
            if (System.nanoTime() >= nextRssSample) {
                rssTimeline.add(Math.rint(rss));
                nextRssSample += TimeUnit.SECONDS.toNanos(60);
            }
            progress.accept(String.format("  %5.1f s: %,d frames, %.1f M cell reads/s, rss %.0f MB", secs,
                    framesSent.get() - framesBefore, (cellsSent.get() - cellsBefore) / secs / 1e6, rss));
        }
        // the window ends here: what was sent and acknowledged by now, and the CPU used by now
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cellsInWindow = cellsSent.get() - cellsBefore;
        long cpuInWindow = processCpuNanos() - cpuAtWindow;
        double jitInWindow = jitCpuSeconds(ThreadCpu.between(threadsAtWindow, ThreadCpu.now()));
        // the node's archive is a consumer group of its own beside the statistics: what it wrote meanwhile
        ArchiveStatus archiveAtEnd = node.archive().status();
        long archivedWhileReading = archiveAtEnd.cellReadsArchived() - archivedAtWindow;
        long ackedInWindow = metrics(system, measurement).bytesAcked() - ackedBefore;
        PipelineProfile.Summary profiled = profile == null ? null : profile.stop();
        running.set(false);
        for (Runnable r; (r = waiting.poll()) != null; ) {
            r.run();
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);

        progress.accept("draining: waiting for the statistics to apply every frame ...");
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!sentAt.isEmpty() && System.nanoTime() < drainDeadline) {
            Thread.sleep(100);
        }
        StatisticsReport report = AskPattern.<StatisticsActor.Command, java.util.Optional<StatisticsReport>>ask(statistics,
                r -> new StatisticsActor.GetReport(null, r), Duration.ofSeconds(30), system.scheduler())
                .toCompletableFuture().get().orElseThrow();
        double rssEnd = ProcessMemory.rssMb();
        double rssPeak = ProcessMemory.peakRssMb();
        progress.accept("draining: waiting for the archive to write every read ...");
        long archiveDrainStart = System.nanoTime();
        long archiveDeadline = archiveDrainStart + TimeUnit.SECONDS.toNanos(120);
        // every read the statistics applied reached Kafka, so the archive must have them all
        while (node.archive().status().cellReadsArchived() - archivedBefore < report.cellsRead()
                && System.nanoTime() < archiveDeadline) {
            Thread.sleep(100);
        }
        double archiveDrain = (System.nanoTime() - archiveDrainStart) / 1e9;
        long archivedAll = node.archive().status().cellReadsArchived() - archivedBefore;

        long high = 0;
        long low = 0;
        long cells = 0;
        for (SimulatedArray array : arrays) {
            for (int r = 0; r < options.rows(); r++) {
                for (int c = 0; c < options.cols(); c++) {
                    Fault f = array.model().fault(r, c);
                    high += f == Fault.STUCK_HIGH ? 1 : 0;
                    low += f == Fault.STUCK_LOW ? 1 : 0;
                    cells++;
                }
            }
            array.close();
        }

        // the size our read records have on the topic, in the node's configured encoding
        int recordSize = ConductanceCodec.encode(new ReadRecord(arrays.get(0).model().read(whole)), encoding).length;
        long perfRecords = Math.max(200, Math.min(framesSent.get(), 3000));
        progress.accept("Kafka ProducerPerformance: " + perfRecords + " records of " + recordSize + " bytes ...");
        KafkaProducerPerformance.Result kafka = KafkaProducerPerformance.run(bootstrap, "rram.bench-perf", recordSize, perfRecords);
        progress.accept("Kafka ProducerPerformance + ConsumerPerformance (one group) on a topic of their own ...");
        KafkaProducerPerformance.WithConsumer kafkaPair = KafkaProducerPerformance.runWithConsumer(bootstrap,
                "rram.bench-perf-pair", recordSize, perfRecords);
        double ourBytesPerSecond = ackedInWindow / seconds;

        long sent = framesSent.get();
        long lost = sentAt.size();
        return new PipelineResult(options.arrays(), options.rows(), options.cols(), options.warmupSeconds(), seconds,
                cellsInWindow / seconds, cellsInWindow == 0 ? 0 : (double) cpuInWindow / cellsInWindow,
                cpuInWindow / 1e9 / (seconds * Runtime.getRuntime().availableProcessors()), jitInWindow, sent, sent - lost, lost, publishRetries.get(),
                latencies.percentileMillis(50), latencies.percentileMillis(99),
                report.logSigma(), preset.variationSigma(),
                report.stuckHighFraction(), report.stuckLowFraction(),
                (double) high / cells, (double) low / cells,
                report.cellsRead(), rssStart, rssEnd, rssPeak, List.copyOf(rssTimeline), recordSize, ourBytesPerSecond, kafka.bytesPerSecond(),
                ourBytesPerSecond / kafka.bytesPerSecond(), archivedWhileReading / seconds, archiveAtEnd.lagRecords(),
                archiveDrain, archivedAll, kafkaPair.producer().bytesPerSecond(), kafkaPair.consumerBytesPerSecond(),
                ourBytesPerSecond / kafkaPair.consumerBytesPerSecond(), profiled);
    }

    private void wakeOne() {
        Runnable r = waiting.poll();
        if (r != null) {
            r.run();
        }
    }

    /** CPU the whole process used so far, every thread (the JVM's own included). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU seconds of the JIT compiler threads (from /proc; 0 where it is not there). */
    private static double jitCpuSeconds(Map<Long, ThreadCpu.Sample> used) {
        double s = 0;
        for (ThreadCpu.Sample t : used.values()) {
            if (PipelineProfile.byName(t.name()) == PipelineProfile.Stage.JIT) {
                s += t.seconds();
            }
        }
        return s;
    }

    private static MeasurementMetrics metrics(org.apache.pekko.actor.typed.ActorSystem<?> system,
                                              ActorRef<MeasurementActor.Command> measurement) throws Exception {
        return AskPattern.<MeasurementActor.Command, MeasurementMetrics>ask(measurement,
                MeasurementActor.GetMetrics::new, Duration.ofSeconds(10), system.scheduler()).toCompletableFuture().get();
    }

    /** Read, publish, repeat until stopped; a refused publish is retried after a pause, never skipped. */
    private CompletableFuture<Void> readLoop(org.apache.pekko.actor.typed.ActorSystem<?> system,
                                             ActorRef<MeasurementActor.Command> measurement,
                                             SimulatedArray array, Block whole) {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        readStep(system, measurement, array, whole, finished);
        return finished;
    }

    // each step starts the next when it is done: no chain of futures grows with the run
    private void readStep(org.apache.pekko.actor.typed.ActorSystem<?> system, ActorRef<MeasurementActor.Command> measurement,
                          SimulatedArray array, Block whole, CompletableFuture<Void> finished) {
        if (!running.get()) {
            finished.complete(null);
            return;
        }
        // end-to-end flow control: at most a few frames per array sent but not yet applied by the
        // statistics, so the figure is what the whole path sustains, not what the readers can push
        if (sentAt.size() >= WINDOW_PER_ARRAY * options.arrays()) {
            // wait for a frame to be applied (the watcher wakes one waiting reader), not by polling
            waiting.add(() -> readStep(system, measurement, array, whole, finished));
            if (sentAt.size() < WINDOW_PER_ARRAY * options.arrays() || !running.get()) {
                wakeOne(); // the frame that freed a place was applied before this reader queued
            }
            return;
        }
        array.read(whole).thenCompose(frame -> {
            sentAt.put(frame.arrayId() + "#" + frame.sequence(), System.nanoTime());
            return publishUntilAcked(system, measurement, new ReadRecord(frame)).thenApply(done -> {
                framesSent.incrementAndGet();
                cellsSent.addAndGet(frame.conductances().length);
                return done;
            });
        }).whenComplete((done, failure) -> {
            if (failure != null) {
                finished.completeExceptionally(failure);
            } else {
                readStep(system, measurement, array, whole, finished);
            }
        });
    }

    private CompletionStage<Done> publishUntilAcked(org.apache.pekko.actor.typed.ActorSystem<?> system,
                                                    ActorRef<MeasurementActor.Command> measurement, ConductanceRecord record) {
        return publish(system, measurement, record).handle((done, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(done);
            }
            publishRetries.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS))
                    .thenCompose(x -> publishUntilAcked(system, measurement, record));
        }).thenCompose(stage -> stage);
    }

    private static CompletionStage<Done> publish(org.apache.pekko.actor.typed.ActorSystem<?> system,
                                                 ActorRef<MeasurementActor.Command> measurement, ConductanceRecord record) {
        return AskPattern.<MeasurementActor.Command, StatusReply<Done>>ask(measurement,
                replyTo -> new MeasurementActor.Publish(record, replyTo), Duration.ofSeconds(60), system.scheduler())
                .thenApply(StatusReply::getValue);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Latencies in a bounded sample (the last million). */
    private static final class LatencyRecorder {
        private final long[] sample = new long[1 << 20];
        private int count;

        synchronized void add(long nanos) {
            sample[count++ % sample.length] = nanos;
        }

        synchronized double percentileMillis(double p) {
            int n = Math.min(count, sample.length);
            if (n == 0) {
                return 0;
            }
            long[] copy = Arrays.copyOf(sample, n);
            Arrays.sort(copy);
            return copy[(int) Math.min(n - 1, Math.max(0, Math.ceil(p / 100 * n) - 1))] / 1e6;
        }
    }
}
