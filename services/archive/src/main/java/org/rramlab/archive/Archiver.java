package org.rramlab.archive;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.rramlab.streaming.CodecException;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.RecordView;

/**
 * The archive's writer: its own consumer group on topic {@value ConductanceRecord#TOPIC}, on a
 * thread of its own (file I/O never runs on an actor's thread). Records are buffered per array,
 * written as segment files when {@code flushBytes} are buffered or {@code flushInterval} passed,
 * fsynced, and only then are the offsets past them committed.
 *
 * <p>Exactly once, across kill -9: a record is skipped when its sequence is at or below the last
 * archived of its array and kind (the index, rebuilt from file names at start). A crash between a
 * segment's rename and the commit makes Kafka deliver its records again: they are skipped. A crash
 * before the rename leaves a temporary file (deleted at start) and uncommitted offsets: the
 * records come again and are written then.
 */
public final class Archiver implements Runnable, AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Archiver.class);
    private static final Duration LAG_EVERY = Duration.ofSeconds(1);

    private final ArchiveSettings settings;
    private final ArchiveIndex index;
    private final SegmentWriter writer;
    private final Function<String, Map<String, ?>> provenance;
    private final KafkaConsumer<String, ByteBuffer> consumer;
    private final Map<String, Buffer> buffers = new LinkedHashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<String, Long> lastReads = new HashMap<>();
    private final Map<String, Long> lastProgrammed = new HashMap<>();
    private volatile boolean running = true;
    private volatile ArchiveStatus status;
    private long bufferedBytes;
    private long firstBufferedNanos = -1;
    /** Volatile: {@link #status()} ages it live, so that an archive stuck in a write still says it is behind. */
    private volatile long oldestBufferedTimestamp = Long.MAX_VALUE;
    private long frames;
    private long cellReads;
    private long programmedCount;
    private long duplicates;
    private long corrupt;
    private long segments;
    private long lag;
    private long lost;
    private String lastError;
    private long lastLagCheck;

    /** @param provenance attributes written into each segment of an array (preset, instrument, ...) */
    public Archiver(ArchiveSettings settings, ArchiveIndex index, Function<String, Map<String, ?>> provenance) {
        this(settings, index, provenance, new SegmentWriter(index.layout()));
    }

    /** With a writer of the caller's (a test's slow disk). */
    Archiver(ArchiveSettings settings, ArchiveIndex index, Function<String, Map<String, ?>> provenance,
             SegmentWriter writer) {
        this.settings = settings;
        this.index = index;
        this.writer = writer;
        this.provenance = provenance;
        Properties p = new Properties();
        p.put("bootstrap.servers", settings.bootstrapServers());
        p.put("group.id", settings.groupId());
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        p.put("max.partition.fetch.bytes", Integer.toString(4 << 20));
        p.put("fetch.max.bytes", Integer.toString(16 << 20));
        p.put("max.poll.records", "64");
        // few large fetches: with the default (1 byte) the broker answers as soon as one frame is there,
        // so a fetch request per frame or two, each a round of work for the broker and this thread; the
        // archive writes segments of seconds anyway, so it waits up to 100 ms for 2 MiB (16 log16 frames)
        p.put("fetch.min.bytes", Integer.toString(2 << 20));
        p.put("fetch.max.wait.ms", "100");
        p.put("enable.metrics.push", "false");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteBufferDeserializer());
        this.status = ArchiveStatus.starting(index.layout().root().toString());
    }

    public ArchiveStatus status() {
        ArchiveStatus s = status;
        long oldest = oldestBufferedTimestamp;
        double age = oldest == Long.MAX_VALUE ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000.0);
        if (age <= s.oldestPendingAgeSeconds()) {
            return s;
        }
        // the archive thread has not published for a while (a write or fsync that hangs): age it here
        return new ArchiveStatus(s.state(), s.framesArchived(), s.cellReadsArchived(), s.programmedArchived(),
                s.duplicatesSkipped(), s.corruptSkipped(), s.segmentsWritten(), s.bytesOnDisk(), s.lagRecords(), age,
                s.behind() || age * 1000 > settings.alarmAge().toMillis(), s.lostRecords(), s.lastError(), s.directory());
    }

    public ArchiveIndex index() {
        return index;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(ConductanceRecord.TOPIC), new Rebalance());
            while (running) {
                ConsumerRecords<String, ByteBuffer> polled = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, ByteBuffer> r : polled) {
                    take(r);
                }
                if (due()) {
                    flushAndCommit();
                }
                if (System.nanoTime() - lastLagCheck > LAG_EVERY.toNanos()) {
                    checkLag();
                }
                publishStatus(ArchiveStatus.State.RUNNING);
            }
            flushAndCommit();
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
            tryFlush();
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            log.error("the archive stopped: {}", e.getMessage(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            publishStatus(ArchiveStatus.State.STOPPED);
        }
    }

    private void take(ConsumerRecord<String, ByteBuffer> r) {
        pending.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        // read in place: a read's cells are copied once, from Kafka's bytes into the segment at flush
        RecordView record;
        try {
            record = RecordView.of(r.value());
        } catch (CodecException e) {
            corrupt++;
            log.warn("archive skips the record at {}-{} offset {}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        boolean read = record.isRead();
        Map<String, Long> last = read ? lastReads : lastProgrammed;
        long mark = last.computeIfAbsent(record.arrayId(),
                id -> index.lastSequence(id, read ? SegmentKind.READS : SegmentKind.PROGRAMMED));
        if (record.sequence() <= mark) {
            duplicates++;
            return;
        }
        last.put(record.arrayId(), record.sequence());
        Buffer b = buffers.computeIfAbsent(record.arrayId(), id -> new Buffer());
        if (read) {
            b.reads.add(record);
            bufferedBytes += (long) record.block().cells() * Float.BYTES;
        } else {
            b.programmed.add((ProgrammedRecord) record.record());
            bufferedBytes += record.block().cells();
        }
        if (firstBufferedNanos < 0) {
            firstBufferedNanos = System.nanoTime();
        }
        oldestBufferedTimestamp = Math.min(oldestBufferedTimestamp, r.timestamp());
    }

    private boolean due() {
        if (pending.isEmpty()) {
            return false;
        }
        if (bufferedBytes >= settings.flushBytes()) {
            return true;
        }
        return firstBufferedNanos < 0 || System.nanoTime() - firstBufferedNanos >= settings.flushInterval().toNanos();
    }

    /** Writes every buffer, then commits; a write that fails keeps the buffers and retries without reading more. */
    private void flushAndCommit() {
        while (running || !pending.isEmpty()) {
            try {
                flush();
                commit();
                lastError = null;
                return;
            } catch (IOException e) {
                lastError = e.getMessage();
                log.error("archive write failed, retrying in 5 s without reading further: {}", e.getMessage());
                publishStatus(ArchiveStatus.State.FAILING);
                consumer.pause(consumer.assignment());
                consumer.poll(Duration.ofSeconds(5));
                consumer.resume(consumer.assignment());
                if (!running) {
                    return;
                }
            }
        }
    }

    private void tryFlush() {
        try {
            flush();
            commit();
        } catch (IOException | RuntimeException e) {
            log.warn("the archive's last write on stop failed ({}); its records come again at the next start", e.getMessage());
        }
    }

    private void flush() throws IOException {
        for (var it = buffers.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Buffer b = e.getValue();
            Map<String, ?> attributes = provenance.apply(e.getKey());
            // programming first: a read refers to the levels programmed before it
            for (List<ProgrammedRecord> run : runs(b.programmed, ProgrammedRecord::block)) {
                index.add(writer.writeProgrammed(run, attributes));
                segments++;
                programmedCount += run.size();
            }
            b.programmed.clear();
            for (List<RecordView> run : runs(b.reads, RecordView::block)) {
                index.add(writer.writeReadViews(run, attributes));
                segments++;
                frames += run.size();
                cellReads += (long) run.size() * run.get(0).block().cells();
            }
            b.reads.clear();
            it.remove();
        }
        bufferedBytes = 0;
        firstBufferedNanos = -1;
        oldestBufferedTimestamp = Long.MAX_VALUE;
    }

    private void commit() {
        if (!pending.isEmpty()) {
            consumer.commitSync(pending);
            pending.forEach((tp, o) -> committed.put(tp, o.offset()));
            pending.clear();
        }
    }

    private void checkLag() {
        lastLagCheck = System.nanoTime();
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(2));
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(assigned, Duration.ofSeconds(2));
            List<TopicPartition> unknown = assigned.stream().filter(tp -> !committed.containsKey(tp)).toList();
            if (!unknown.isEmpty()) {
                consumer.committed(Set.copyOf(unknown), Duration.ofSeconds(2)).forEach((tp, o) -> {
                    if (o != null) {
                        committed.put(tp, o.offset());
                    }
                });
            }
            long total = 0;
            for (TopicPartition tp : assigned) {
                long done = committed.getOrDefault(tp, starts.getOrDefault(tp, 0L));
                long start = starts.getOrDefault(tp, 0L);
                if (committed.containsKey(tp) && start > done) {
                    lost += start - done;
                    log.error("records {}..{} of {} were deleted by retention before the archive had them", done, start - 1, tp);
                    committed.put(tp, start);
                    done = start;
                }
                total += Math.max(0, ends.getOrDefault(tp, done) - done);
            }
            lag = total;
        } catch (RuntimeException e) {
            log.debug("archive lag not known now: {}", e.getMessage());
        }
    }

    private void publishStatus(ArchiveStatus.State state) {
        double age = oldestBufferedTimestamp == Long.MAX_VALUE ? 0
                : Math.max(0, (System.currentTimeMillis() - oldestBufferedTimestamp) / 1000.0);
        boolean behind = age * 1000 > settings.alarmAge().toMillis();
        ArchiveIndex.Totals t = index.totals(null);
        status = new ArchiveStatus(state, frames, cellReads, programmedCount, duplicates, corrupt, segments, t.bytes(),
                lag, age, behind, lost, lastError, index.layout().root().toString());
    }

    private static <T> List<List<T>> runs(List<T> records, Function<T, Object> block) {
        List<List<T>> out = new ArrayList<>();
        List<T> run = null;
        Object current = null;
        for (T r : records) {
            Object b = block.apply(r);
            if (run == null || !b.equals(current)) {
                run = new ArrayList<>();
                out.add(run);
                current = b;
            }
            run.add(r);
        }
        return out;
    }

    /** Stops after writing what is buffered (a crash, by contrast, leaves it to be read again). */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }

    private final class Buffer {
        final List<RecordView> reads = new ArrayList<>();
        final List<ProgrammedRecord> programmed = new ArrayList<>();
    }

    /** Before partitions move to another node, what is buffered is written and committed. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                flush();
                commit();
            } catch (IOException | RuntimeException e) {
                log.warn("archive could not write before a rebalance ({}); the records come again", e.getMessage());
                buffers.clear();
                pending.clear();
                lastReads.clear();
                lastProgrammed.clear();
                bufferedBytes = 0;
                firstBufferedNanos = -1;
                oldestBufferedTimestamp = Long.MAX_VALUE;
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                committed.remove(tp);
            }
        }
    }
}
