package org.rramlab.app.bench;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.rramlab.archive.ArchiveExport;
import org.rramlab.archive.ArchiveIndex;
import org.rramlab.archive.ArchiveLayout;
import org.rramlab.archive.ArchiveSettings;
import org.rramlab.archive.Archiver;
import org.rramlab.archive.Selection;
import org.rramlab.device.Block;
import org.rramlab.device.Frame;
import org.rramlab.streaming.ConductanceCodec;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.EmbeddedKafka;
import org.rramlab.streaming.ReadRecord;
import org.rramlab.streaming.Topics;

/**
 * The archive under load: producers publish read frames to an embedded broker as fast as Kafka
 * takes them (the measurement path's idempotent, acks=all settings) while the archive consumes and
 * writes; then the archive drains, and the archived data is exported to CSV and HDF5. Reports what
 * was produced and archived per second, the bytes on disk per million reads, and export times
 * extrapolated to 10^9 reads.
 */
public final class ArchiveBench {
    public record Options(int arrays, int rows, int cols, int seconds, Path dir) {}

    public record Result(double producedCellsPerSecond, double archivedCellsPerSecond, long lagAtEndRecords,
                         double drainSeconds, long cellReads, long bytesOnDisk, double bytesPerMillionReads,
                         double csvSeconds, long csvCells, double hdf5Seconds, long hdf5Cells,
                         double csvSecondsPer1e9, double hdf5SecondsPer1e9) {}

    private ArchiveBench() {}

    public static Result run(Options o) throws Exception {
        Path data = o.dir().resolve("data");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(o.dir().resolve("kafka"), 0, 0, 4)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                Topics.ensure(admin, ConductanceRecord.TOPIC, 4, Map.of("retention.ms", "600000"), 60);
            }
            ArchiveIndex index = ArchiveIndex.open(ArchiveLayout.under(data));
            ArchiveSettings settings = new ArchiveSettings(kafka.bootstrapServers(), "rramlab-archive", 32L << 20,
                    Duration.ofSeconds(5), Duration.ofDays(7), 0.5, 512L << 20);
            Archiver archiver = new Archiver(settings, index, a -> Map.of("preset", "dac2020-65nm", "driver", "bench"));
            Thread consumer = new Thread(archiver, "archive");
            consumer.start();
            Block block = new Block(0, 0, o.rows(), o.cols());
            AtomicLong produced = new AtomicLong();
            // warm-up: the archive's group has joined and written once before the clock starts
            warmUp(kafka.bootstrapServers(), block, index);
            long warm = index.totals(null).cellReads();
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(o.seconds()).toNanos();
            List<Thread> producers = new ArrayList<>();
            for (int a = 0; a < o.arrays(); a++) {
                String id = "bench-" + a;
                Thread t = new Thread(() -> produce(kafka.bootstrapServers(), id, block, end, produced), "producer-" + a);
                t.start();
                producers.add(t);
            }
            for (Thread t : producers) {
                t.join();
            }
            double producedSeconds = (System.nanoTime() - start) / 1e9;
            long cellsProduced = produced.get() * block.cells() + warm;
            long archivedAtEnd = index.totals(null).cellReads() - warm;
            long lag = archiver.status().lagRecords();
            long drainStart = System.nanoTime();
            while (index.totals(null).cellReads() < cellsProduced) {
                Thread.sleep(100);
            }
            double drain = (System.nanoTime() - drainStart) / 1e9;
            archiver.close();
            consumer.join(30_000);
            ArchiveIndex.Totals totals = index.totals(null);
            List<Selection> all = index.arrays().stream().filter(a -> !a.equals("warm-up")).map(Selection::all).toList();
            // exports of one array, extrapolated: their time is linear in the cells exported
            List<Selection> one = List.of(all.get(0));
            long t0 = System.nanoTime();
            long csvCells;
            try (OutputStream out = Files.newOutputStream(o.dir().resolve("export.csv"))) {
                csvCells = new ArchiveExport(index).csv(one, out);
            }
            double csv = (System.nanoTime() - t0) / 1e9;
            Files.delete(o.dir().resolve("export.csv"));
            t0 = System.nanoTime();
            long frames = new ArchiveExport(index).hdf5(one, o.dir().resolve("export.h5"), Map.of(), Map.of(), 1L << 30);
            double hdf5 = (System.nanoTime() - t0) / 1e9;
            Files.delete(o.dir().resolve("export.h5"));
            long hdf5Cells = frames * block.cells();
            return new Result((cellsProduced - warm) / producedSeconds, archivedAtEnd / producedSeconds, lag, drain,
                    totals.cellReads(), totals.bytes(), totals.bytes() / (totals.cellReads() / 1e6), csv, csvCells, hdf5,
                    hdf5Cells, csv / csvCells * 1e9, hdf5 / hdf5Cells * 1e9);
        }
    }

    private static void warmUp(String servers, Block block, ArchiveIndex index) throws InterruptedException {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of("bootstrap.servers", servers, "acks", "all",
                "enable.metrics.push", "false"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(ConductanceRecord.TOPIC, "warm-up", ConductanceCodec.encode(new ReadRecord(
                    new Frame("warm-up", 1, 0, block, new float[block.cells()], false)))));
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (index.totals(null).frames() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static void produce(String servers, String arrayId, Block block, long endNanos, AtomicLong produced) {
        SplittableRandom random = new SplittableRandom(arrayId.hashCode());
        float[] g = new float[block.cells()];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (1e-6 + random.nextDouble() * 1e-4);
        }
        try (var producer = new KafkaProducer<String, byte[]>(Map.of("bootstrap.servers", servers, "acks", "all",
                "enable.idempotence", "true", "linger.ms", "5", "batch.size", Integer.toString(1 << 20),
                "max.request.size", Integer.toString(8 << 20), "enable.metrics.push", "false"),
                new StringSerializer(), new ByteArraySerializer())) {
            // as the measurement path: a bounded number of records waiting for Kafka's acknowledgement
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(64);
            long seq = 0;
            while (System.nanoTime() < endNanos) {
                seq++;
                g[(int) (seq % g.length)] *= 0.999f;
                byte[] bytes = ConductanceCodec.encode(new ReadRecord(new Frame(arrayId, seq, seq * 60.0, block, g, false)));
                inFlight.acquireUninterruptibly();
                producer.send(new ProducerRecord<>(ConductanceRecord.TOPIC, arrayId, bytes), (meta, e) -> {
                    inFlight.release();
                    if (e == null) {
                        produced.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
    }
}
