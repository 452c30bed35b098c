package org.rramlab.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.Block;
import org.rramlab.streaming.ConductanceCodec;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.EmbeddedKafka;
import org.rramlab.streaming.ReadEncoding;
import org.rramlab.streaming.ReadRecord;
import org.rramlab.streaming.RecordView;
import org.rramlab.streaming.Topics;

/**
 * The archive falls behind (its disk stops: every segment write waits) while readers publish as
 * fast as a statistics consumer applies, with a window of a few records between them, as the
 * measurement path has it. The readers never wait for the archive: they finish at the statistics'
 * pace while the archive has written nothing and reports itself behind; once the disk answers
 * again the archive writes every read, none lost.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ArchiveBehindTest {
    private static final int FRAMES = 120;
    private static final int WINDOW = 4;

    @TempDir
    Path dir;

    @Test
    void readersKeepTheStatisticsPaceWhileTheArchiveIsBehindAndNoReadIsLost() throws Exception {
        Block block = new Block(0, 0, 64, 64);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 0, 2)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                Topics.ensure(admin, ConductanceRecord.TOPIC, 2, 60);
            }
            CountDownLatch diskBack = new CountDownLatch(1);
            ArchiveIndex index = ArchiveIndex.open(ArchiveLayout.under(dir.resolve("data")));
            SegmentWriter stalled = new SegmentWriter(index.layout()) {
                @Override
                public Segment writeReadViews(List<RecordView> frames, Map<String, ?> attributes) throws IOException {
                    try {
                        diskBack.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                    return super.writeReadViews(frames, attributes);
                }
            };
            ArchiveSettings settings = new ArchiveSettings(kafka.bootstrapServers(), "rramlab-archive", 64 * 1024,
                    Duration.ofMillis(100), Duration.ofSeconds(4), 0.25, 1 << 30);
            AtomicLong applied = new AtomicLong();
            AtomicReference<Throwable> statisticsFailure = new AtomicReference<>();
            Thread statistics = new Thread(() -> consume(kafka.bootstrapServers(), applied, statisticsFailure), "statistics");
            statistics.setDaemon(true);
            try (Archiver archiver = new Archiver(settings, index, a -> Map.of(), stalled);
                 KafkaProducer<String, byte[]> readers = new KafkaProducer<>(Map.of(
                         "bootstrap.servers", kafka.bootstrapServers(), "acks", "all", "enable.idempotence", "true",
                         "linger.ms", "2"), new StringSerializer(), new ByteArraySerializer())) {
                Thread archive = new Thread(archiver, "rramlab-archive");
                archive.start();
                statistics.start();
                long start = System.nanoTime();
                for (int s = 1; s <= FRAMES; s++) {
                    // flow control from the statistics only, as the measurement path has it
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (s - 1 - applied.get() >= WINDOW) {
                        assertTrue(System.nanoTime() < deadline, "the statistics stopped applying at " + applied.get());
                        Thread.sleep(1);
                    }
                    String array = "behind-" + (s % 2);
                    byte[] value = ConductanceCodec.encode(new ReadRecord(Records.frame(array, s, block)), ReadEncoding.LOG16);
                    readers.send(new ProducerRecord<>(ConductanceRecord.TOPIC, array, value)).get(30, TimeUnit.SECONDS);
                }
                await("the statistics applied every read", () -> applied.get() == FRAMES);
                double seconds = (System.nanoTime() - start) / 1e9;
                assertEquals(null, statisticsFailure.get());
                // the readers were done while the archive had not written a single read
                assertEquals(0, index.totals(null).frames(), "the archive wrote nothing while its disk was stalled");
                await("the archive says it is behind", () -> archiver.status().behind());
                System.out.printf("%d frames read and applied in %.2f s with the archive stalled%n", FRAMES, seconds);

                diskBack.countDown();
                await("the archive caught up", () -> index.totals(null).frames() == FRAMES);
                await("and says so", () -> !archiver.status().behind());
                assertEquals(0, archiver.status().lostRecords(), "no read deleted before the archive had it");
                // the count follows the index write it reports on: awaited, as the frames were
                await("every cell read counted as archived",
                        () -> archiver.status().cellReadsArchived() == (long) FRAMES * block.cells());
                archiver.close();
                archive.join(30_000);
            }
        }
    }

    /** The statistics' stand-in: its own consumer group, each record read in place and counted. */
    private static void consume(String servers, AtomicLong applied, AtomicReference<Throwable> failure) {
        try (KafkaConsumer<String, ByteBuffer> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", servers,
                "group.id", "statistics", "auto.offset.reset", "earliest", "enable.auto.commit", "false"),
                new StringDeserializer(), new ByteBufferDeserializer())) {
            consumer.subscribe(List.of(ConductanceRecord.TOPIC));
            while (applied.get() < FRAMES) {
                for (ConsumerRecord<String, ByteBuffer> r : consumer.poll(Duration.ofMillis(50))) {
                    RecordView.of(r.value());
                    applied.incrementAndGet();
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(20);
        }
    }
}
