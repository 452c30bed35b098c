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
 * child JVM against a broker, with a given record size, and reads its summary line.
 */
public final class KafkaProducerPerformance {
    private static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\), ([0-9.]+) ms avg latency");

    public record Result(long records, double recordsPerSecond, double bytesPerSecond, double avgLatencyMs) {}

    private KafkaProducerPerformance() {}

    public static Result run(String bootstrap, String topic, int recordSize, long records) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
                "--num-records", Long.toString(records), "--record-size", Integer.toString(recordSize),
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all",
                "enable.idempotence=true", "linger.ms=2", "batch.size=" + (1 << 20), "max.request.size=" + (8 << 20),
                "buffer.memory=" + (64L << 20), "enable.metrics.push=false"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
