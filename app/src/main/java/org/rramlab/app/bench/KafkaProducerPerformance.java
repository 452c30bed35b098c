package org.rramlab.app.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Kafka's own producer performance tool (org.apache.kafka.tools.ProducerPerformance) in a
 * child JVM against a broker, with a given record size, and reads its summary line; alone, or
 * with Kafka's consumer performance tool reading the same topic meanwhile.
 */
public final class KafkaProducerPerformance {
    private static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\), ([0-9.]+) ms avg latency");

    public record Result(long records, double recordsPerSecond, double bytesPerSecond, double avgLatencyMs) {}

    /** Kafka's producer tool and its consumer tool (one consumer group) on one topic at once. */
    public record WithConsumer(Result producer, double consumerRecordsPerSecond, double consumerBytesPerSecond) {}

    private KafkaProducerPerformance() {}

    public static Result run(String bootstrap, String topic, int recordSize, long records) throws IOException, InterruptedException {
        return parse(producer(bootstrap, topic, recordSize, records), recordSize);
    }

    /**
     * ConsumerPerformance (org.apache.kafka.tools, group {@code topic + "-perf"}) reads the topic
     * while ProducerPerformance writes it, each in a child JVM; the consumer's rate is records read
     * over its own run, from its first poll to its last record.
     */
    public static WithConsumer runWithConsumer(String bootstrap, String topic, int recordSize, long records)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process consumer = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap, "--topic", topic,
                "--num-records", Long.toString(records), "--group", topic + "-perf", "--timeout", "120000",
                "--command-property", "max.partition.fetch.bytes=" + (4 << 20),
                "--command-property", "enable.metrics.push=false").redirectErrorStream(true).start();
        Process producer = producer(bootstrap, topic, recordSize, records);
        Result produced = parse(producer, recordSize);
        String out = new String(consumer.getInputStream().readAllBytes());
        if (!consumer.waitFor(3, TimeUnit.MINUTES) || consumer.exitValue() != 0) {
            throw new IOException("Kafka's ConsumerPerformance failed: " + out.lines().reduce((a, b) -> b).orElse(""));
        }
        // header "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ..." then one line
        String[] last = out.lines().filter(l -> l.matches("^\\d{4}-\\d{2}-\\d{2}.*")).reduce((a, b) -> b).orElse("")
                .split(",\\s*");
        if (last.length < 6) {
            throw new IOException("no summary line from ConsumerPerformance: " + out);
        }
        double rps = Double.parseDouble(last[5]);
        return new WithConsumer(produced, rps, rps * recordSize);
    }

    private static Process producer(String bootstrap, String topic, int recordSize, long records) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
                "--num-records", Long.toString(records), "--record-size", Integer.toString(recordSize),
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all",
                "enable.idempotence=true", "linger.ms=2", "batch.size=" + (1 << 20), "max.request.size=" + (8 << 20),
                "buffer.memory=" + (64L << 20), "enable.metrics.push=false"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static Result parse(Process p, int recordSize) throws IOException, InterruptedException {
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("Kafka's ProducerPerformance failed: " + out.lines().reduce((a, b) -> b).orElse(""));
        }
        Matcher last = null;
        for (String line : out.split("\n")) {
            Matcher m = SUMMARY.matcher(line);
            if (m.find()) {
                last = m;
            }
        }
        if (last == null) {
            throw new IOException("no summary line from ProducerPerformance: " + out);
        }
        double rps = Double.parseDouble(last.group(2));
        return new Result(Long.parseLong(last.group(1)), rps, rps * recordSize, Double.parseDouble(last.group(4)));
    }
}
