package org.rramlab.app.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the cores go while the pipeline bench reads: a JDK Flight Recorder recording of the reading
 * window (the {@code profile} settings: a Java stack sample of every running thread each 10 ms),
 * and each thread's CPU time from /proc over the same window. A thread's CPU is split over the stages
 * in proportion to its samples (a shared dispatcher thread runs several); threads never sampled in
 * Java code (GC, the JIT, threads in native I/O) count by their name.
 */
public final class PipelineProfile {
    /** What the bench's CPU is spent on; {@link #label} is what the report prints. */
    public enum Stage {
        SIMULATION("simulation (simulated arrays' reads)"),
        ENCODING("encoding records"),
        PRODUCING("producing (measurement actor, Kafka producer)"),
        BROKER("broker"),
        STATISTICS("statistics consumer (fetch, decode, apply)"),
        ARCHIVE("archive consumer (fetch, decode, write)"),
        GC("GC"),
        JIT("JIT compiler"),
        BENCH("bench harness (readers' loop, latency watcher)"),
        OTHER("other (actor system, JVM, timers)");

        public final String label;

        Stage(String label) {
            this.label = label;
        }
    }

    /** @param coreShare of the machine's cores over the window (1 = every core busy all along) */
    public record StageShare(String stage, double cpuSeconds, double coreShare, double processShare,
                             List<String> topMethods) {}

    /** @param file the recording, for {@code jfr print} or JDK Mission Control */
    public record Summary(String file, double seconds, int cores, double processCpuSeconds, double processCoreShare,
                          List<StageShare> stages, List<String> busiestThreads) {}

    private final Path file;
    private final Recording recording;
    private final Map<Long, ThreadCpu.Sample> cpuAtStart;
    private final long startNanos;

    private PipelineProfile(Path file, Recording recording) {
        this.file = file;
        this.recording = recording;
        this.cpuAtStart = ThreadCpu.now();
        this.startNanos = System.nanoTime();
    }

    /** Starts recording now. */
    public static PipelineProfile start(Path file) throws IOException {
        try {
            Recording r = new Recording(Configuration.getConfiguration("profile"));
            r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
            r.setName("rramlab bench pipeline");
            r.start();
            return new PipelineProfile(file, r);
        } catch (ParseException e) {
            throw new IOException("the JDK's 'profile' recording settings are unreadable: " + e.getMessage(), e);
        }
    }

    /** Stops, writes the recording to its file and sums it up. */
    public Summary stop() throws IOException {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<Long, ThreadCpu.Sample> used = ThreadCpu.between(cpuAtStart, ThreadCpu.now());
        recording.stop();
        recording.dump(file);
        recording.close();
        return summarise(file, used, seconds, Runtime.getRuntime().availableProcessors());
    }

    static Summary summarise(Path file, Map<Long, ThreadCpu.Sample> used, double seconds, int cores) throws IOException {
        Map<Long, Map<Stage, Integer>> samplesByThread = new HashMap<>();
        Map<Stage, Map<String, Integer>> leaves = new EnumMap<>(Stage.class);
        Map<Long, String> javaNames = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedThread t = e.getThread("sampledThread");
            RecordedStackTrace stack = e.getStackTrace();
            if (t == null || stack == null) {
                continue;
            }
            Stage s = classify(t.getJavaName(), stack.getFrames());
            javaNames.put(t.getOSThreadId(), t.getJavaName());
            samplesByThread.computeIfAbsent(t.getOSThreadId(), k -> new EnumMap<>(Stage.class)).merge(s, 1, Integer::sum);
            List<RecordedFrame> frames = stack.getFrames();
            if (!frames.isEmpty()) {
                RecordedFrame leaf = frames.get(0);
                String m = leaf.getMethod().getType().getName() + "." + leaf.getMethod().getName();
                leaves.computeIfAbsent(s, k -> new HashMap<>()).merge(m, 1, Integer::sum);
            }
        }
        Map<Stage, Double> cpu = new EnumMap<>(Stage.class);
        double total = 0;
        for (ThreadCpu.Sample t : used.values()) {
            total += t.seconds();
            Map<Stage, Integer> samples = samplesByThread.get(t.tid());
            if (samples == null || samples.isEmpty()) {
                cpu.merge(byName(t.name()), t.seconds(), Double::sum);
                continue;
            }
            int n = samples.values().stream().mapToInt(Integer::intValue).sum();
            samples.forEach((s, k) -> cpu.merge(s, t.seconds() * k / n, Double::sum));
        }
        List<StageShare> stages = new ArrayList<>();
        for (Stage s : Stage.values()) {
            double c = cpu.getOrDefault(s, 0.0);
            stages.add(new StageShare(s.label, round(c), round(c / (seconds * cores)), round(total > 0 ? c / total : 0),
                    top(leaves.getOrDefault(s, Map.of()), 5)));
        }
        // by name with its digits folded, so that a pool's threads add up
        Map<String, Double> byThread = new HashMap<>();
        for (ThreadCpu.Sample t : used.values()) {
            String name = javaNames.getOrDefault(t.tid(), t.name()).replaceAll("[0-9]+", "N");
            byThread.merge(name, t.seconds(), Double::sum);
        }
        List<String> busiest = byThread.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())).limit(15)
                .map(e -> String.format("%s %.2f s", e.getKey(), e.getValue())).toList();
        return new Summary(file.toString(), round(seconds), cores, round(total), round(total / (seconds * cores)), stages,
                busiest);
    }

    /** The first marker found from the leaf down decides, so a decode inside the statistics counts as statistics. */
    static Stage classify(String thread, List<RecordedFrame> frames) {
        if (thread != null && thread.startsWith("rramlab-archive")) {
            return Stage.ARCHIVE;
        }
        boolean kafkaInternals = false;
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            String method = f.getMethod().getName();
            if (type.startsWith("org.rramlab.device.sim.")) {
                return Stage.SIMULATION;
            }
            if (type.equals("org.rramlab.streaming.ConductanceCodec") && method.startsWith("encode")) {
                return Stage.ENCODING;
            }
            if (type.startsWith("org.rramlab.statistics.") || type.startsWith("org.rramlab.livestats.")
                    || type.startsWith("org.apache.kafka.clients.consumer.")
                    || type.startsWith("org.apache.pekko.kafka.internal.KafkaConsumerActor")) {
                return Stage.STATISTICS;
            }
            if (type.startsWith("org.apache.kafka.clients.producer.") || type.startsWith("org.rramlab.measurement.")
                    || type.startsWith("org.apache.pekko.kafka.internal.DefaultProducerStage")) {
                return Stage.PRODUCING;
            }
            if (type.startsWith("org.rramlab.app.bench.")) {
                return Stage.BENCH;
            }
            kafkaInternals |= type.startsWith("kafka.") || type.startsWith("org.apache.kafka.server.")
                    || type.startsWith("org.apache.kafka.storage.") || type.startsWith("org.apache.kafka.raft.")
                    || type.startsWith("org.apache.kafka.metadata.") || type.startsWith("org.apache.kafka.controller.")
                    || type.startsWith("org.apache.kafka.network.") || type.startsWith("org.apache.kafka.coordinator.")
                    || type.startsWith("org.apache.kafka.common.network.");
        }
        return kafkaInternals || thread != null && thread.startsWith("data-plane-kafka") ? Stage.BROKER : Stage.OTHER;
    }

    /** Threads without a Java sample, by the kernel's name of them. */
    static Stage byName(String name) {
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return Stage.GC;
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return Stage.JIT;
        }
        if (name.startsWith("sim-array")) {
            return Stage.SIMULATION;
        }
        if (name.startsWith("kafka-producer")) {
            return Stage.PRODUCING;
        }
        if (name.startsWith("data-plane") || name.startsWith("kafka-") || name.startsWith("broker-")
                || name.startsWith("controller-") || name.startsWith("quorum")) {
            return Stage.BROKER;
        }
        if (name.startsWith("rramlab-archive")) {
            return Stage.ARCHIVE;
        }
        return Stage.OTHER;
    }

    private static List<String> top(Map<String, Integer> counts, int n) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        List<String> out = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())).limit(n)
                .forEach(e -> out.add(String.format("%s %.0f%%", e.getKey(), 100.0 * e.getValue() / total)));
        return out;
    }

    private static double round(double x) {
        return Math.rint(x * 1000) / 1000;
    }

    /** The summary as a Markdown table (docs/benchmarks.md). */
    public static String table(Summary s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("| stage | CPU s | share of the %d cores | share of the process |%n|---|---|---|---|%n", s.cores()));
        for (StageShare st : s.stages()) {
            b.append(String.format("| %s | %.1f | %.0f %% | %.0f %% |%n", st.stage(), st.cpuSeconds(), 100 * st.coreShare(),
                    100 * st.processShare()));
        }
        b.append(String.format("| **process** | %.1f | %.0f %% | 100 %% |%n", s.processCpuSeconds(), 100 * s.processCoreShare()));
        return b.toString();
    }
}
