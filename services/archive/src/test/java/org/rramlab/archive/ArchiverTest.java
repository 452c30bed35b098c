package org.rramlab.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.Block;
import org.rramlab.streaming.ConductanceCodec;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.EmbeddedKafka;
import org.rramlab.streaming.ReadRecord;
import org.rramlab.streaming.Topics;

/** The archive's consumer against a real broker: every read once, through re-deliveries and SIGKILL. */
@Timeout(value = 9, unit = TimeUnit.MINUTES)
class ArchiverTest {
    @TempDir
    Path dir;

    private EmbeddedKafka kafka;
    private KafkaProducer<String, byte[]> producer;
    private final Block block = new Block(0, 0, 16, 16);
    private static final List<String> ARRAYS = List.of("sim-1", "sim-2", "sim-3");

    @BeforeEach
    void broker() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 0, 2);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Topics.ensure(admin, ConductanceRecord.TOPIC, 2, 60);
        }
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all",
                "enable.idempotence", "true", "linger.ms", "2"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        producer.close();
        kafka.close();
    }

    /** Sequences from..to of every array; each record is sent twice, as a producer retrying would. */
    private void publish(long from, long to) throws Exception {
        for (long s = from; s <= to; s++) {
            for (String a : ARRAYS) {
                byte[] bytes = ConductanceCodec.encode(new ReadRecord(Records.frame(a, s, block)));
                producer.send(new ProducerRecord<>(ConductanceRecord.TOPIC, a, bytes));
                if (s % 3 == 0) {
                    producer.send(new ProducerRecord<>(ConductanceRecord.TOPIC, a, bytes));
                }
            }
        }
        producer.flush();
    }

    private ArchiveSettings settings() {
        return new ArchiveSettings(kafka.bootstrapServers(), "rramlab-archive", 64 * 1024, Duration.ofMillis(100),
                Duration.ofDays(7), 0.5, 1 << 30);
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private long archived(Path data) {
        return ArchiveIndex.open(ArchiveLayout.under(data)).totals(null).frames();
    }

    @Test
    void everyReadIsArchivedOnceAndReDeliveriesAreSkipped() throws Exception {
        Path data = dir.resolve("data");
        publish(1, 40);
        ArchiveIndex index = ArchiveIndex.open(ArchiveLayout.under(data));
        try (Archiver archiver = new Archiver(settings(), index, a -> Map.of("preset", "dac2020-65nm"))) {
            Thread t = new Thread(archiver, "archive");
            t.start();
            await("120 frames archived", Duration.ofSeconds(60), () -> index.totals(null).frames() == 120);
            await("lag 0", Duration.ofSeconds(30), () -> archiver.status().lagRecords() == 0);
            // the same records again, and new ones
            publish(30, 50);
            await("150 frames archived", Duration.ofSeconds(60), () -> index.totals(null).frames() == 150);
            await("duplicates counted", Duration.ofSeconds(30), () -> archiver.status().duplicatesSkipped() >= 3 * 13 + 3 * 4);
            // the status is a snapshot taken after each pass of the archive's loop
            await("status counts", Duration.ofSeconds(30), () -> archiver.status().cellReadsArchived() == 150L * block.cells());
            archiver.close();
            t.join(30_000);
        }
        JsonNode out = Python.check(dir, "segments", ArchiveLayout.under(data).root());
        for (String a : ARRAYS) {
            assertEquals(50, out.get(a).get("frames").asInt(), a);
            assertEquals(0, out.get(a).get("doubled").asInt(), a);
        }
    }

    @Test
    void afterKillMinus9WhileWritingEveryReadIsArchivedExactlyOnce() throws Exception {
        Path data = dir.resolve("data");
        publish(1, 200);
        Process child = startChild(data);
        try {
            // kill as soon as the archive has written part of the backlog, in the middle of its work
            await("first segments", Duration.ofSeconds(90), () -> archived(data) >= 30);
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertTrue(archived(data) < 600, "killed before the end, archived " + archived(data));
            publish(150, 300);
            child = startChild(data);
            // the new consumer joins once the killed one's session expired (45 s by default), longer on a busy machine
            await("900 frames", Duration.ofSeconds(300), () -> archived(data) >= 900);
            Thread.sleep(1000);
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(900, archived(data));
        JsonNode out = Python.check(dir, "segments", ArchiveLayout.under(data).root());
        for (String a : ARRAYS) {
            assertEquals(300, out.get(a).get("frames").asInt(), a);
            assertEquals(0, out.get(a).get("doubled").asInt(), a + " has reads archived twice");
            assertEquals(1, out.get(a).get("sequences").get(0).asInt());
            assertEquals(300, out.get(a).get("sequences").get(299).asInt());
        }
    }

    @Test
    void anArchiveThatCannotWriteSaysItIsBehindAndCatchesUpWhenItCan() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path blocker = data.resolve("archive");
        Files.writeString(blocker, "not a directory");   // the archive's directory cannot be made
        publish(1, 2);
        ArchiveIndex index = ArchiveIndex.open(ArchiveLayout.under(data));
        // retention 2 s, alarm at half of it
        ArchiveSettings settings = new ArchiveSettings(kafka.bootstrapServers(), "rramlab-archive", 64 * 1024,
                Duration.ofMillis(100), Duration.ofSeconds(2), 0.5, 1 << 30);
        try (Archiver archiver = new Archiver(settings, index, a -> Map.of())) {
            Thread t = new Thread(archiver, "archive");
            t.start();
            await("behind, saying why", Duration.ofSeconds(60),
                    () -> archiver.status().behind() && archiver.status().lastError() != null);
            assertEquals(0, index.totals(null).frames());
            assertEquals(org.rramlab.archive.ArchiveStatus.State.FAILING, archiver.status().state());
            Files.delete(blocker);
            await("caught up", Duration.ofSeconds(60), () -> index.totals(null).frames() == 6);
            await("not behind", Duration.ofSeconds(30), () -> !archiver.status().behind());
            archiver.close();
            t.join(30_000);
        }
    }

    private Process startChild(Path data) throws Exception {
        Files.createDirectories(data);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ArchiverChild.class.getName(), kafka.bootstrapServers(), data.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }
}
