package org.rramlab.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rramlab.archive.ArchiveLayout;
import org.rramlab.archive.SegmentWriter;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.sim.ArrayModel;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.statistics.LiveStatistics;
import org.rramlab.streaming.ConductanceCodec;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.ReadEncoding;
import org.rramlab.streaming.ReadRecord;
import org.rramlab.streaming.RecordView;

/**
 * The CPU one cell read costs in each step of the record path, on one thread, measured as that
 * thread's CPU time (so it holds on a machine others load, where wall-clock rates do not): the
 * simulated read, encoding, the statistics' decode and apply, the archive's segment (without fsync).
 * Each step runs warm (JIT-compiled) before it is timed. {@code java -cp app/target/rramlab.jar
 * org.rramlab.app.bench.RecordPathBench [frames]}.
 */
public final class RecordPathBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private RecordPathBench() {}

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);
        Block whole = new Block(0, 0, 256, 256);
        SimulatedArray array = new SimulatedArray("stages", preset, 256, 256, 1);
        int[] levels = new int[whole.cells()];
        byte[] levelBytes = new byte[whole.cells()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = i % preset.levels();
            levelBytes[i] = (byte) levels[i];
        }
        array.program(ProgramRequest.ofLevels(whole, levels, false)).toCompletableFuture().get();
        ArrayModel model = array.model();
        ProgrammedRecord programmed = new ProgrammedRecord("stages", 1, 0, whole, levelBytes);
        List<Frame> read = new ArrayList<>();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("simulated read", perCell(frames, whole, () -> read.add(model.read(whole))));
        for (ReadEncoding encoding : ReadEncoding.values()) {
            String e = encoding.name().toLowerCase();
            List<byte[]> bytes = new ArrayList<>();
            int[] next = {0};
            out.put("encode " + e, perCell(frames, whole, () -> bytes.add(
                    ConductanceCodec.encode(new ReadRecord(read.get(next[0]++ % read.size())), encoding))));
            LiveStatistics stats = LiveStatistics.of(preset);
            stats.apply(programmed);
            // a fresh sequence for every record so nothing is skipped as a duplicate
            List<ByteBuffer> fresh = new ArrayList<>();
            for (int k = 0; k < 2 * frames; k++) {
                fresh.add(ByteBuffer.wrap(reSequence(bytes.get(k % bytes.size()), k + 1)));
            }
            int[] i = {0};
            out.put("statistics: view + apply " + e, perCell(frames, whole, () -> {
                if (!stats.apply(RecordView.of(fresh.get(i[0]++)))) {
                    throw new IllegalStateException("a record was skipped as a duplicate");
                }
            }));
            fresh.clear();
            Path dir = Files.createTempDirectory("rramlab-stages-");
            try {
                SegmentWriter writer = new SegmentWriter(ArchiveLayout.under(dir));
                List<RecordView> views = new ArrayList<>();
                for (int k = 0; k < 32; k++) {
                    views.add(RecordView.of(reSequence(bytes.get(k % bytes.size()), k + 1)));
                }
                out.put("archive: segment of 32 frames from " + e + " (with fsync)", perCell(Math.max(2, frames / 32), whole, 32, () -> {
                    try {
                        writer.writeReadViews(views, Map.of());
                    } catch (java.io.IOException ex) {
                        throw new IllegalStateException(ex);
                    }
                }));
            } finally {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        array.close();
        out.forEach((k, v) -> System.out.printf("%-60s %7.1f ns of CPU per cell%n", k, v));
    }

    /** The record with another sequence and a fresh CRC (the bench's own stand-in for new reads). */
    private static byte[] reSequence(byte[] record, long sequence) {
        ConductanceRecordCopy c = new ConductanceRecordCopy(record);
        return c.withSequence(sequence);
    }

    private static double perCell(int frames, Block block, Runnable step) {
        return perCell(frames, block, 1, step);
    }

    /** Runs {@code step} as often again to warm up, then times it on this thread's CPU clock. */
    private static double perCell(int runs, Block block, int framesPerRun, Runnable step) {
        for (int i = 0; i < runs; i++) {
            step.run();
        }
        long start = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < runs; i++) {
            step.run();
        }
        long used = CPU.getCurrentThreadCpuTime() - start;
        return (double) used / ((long) runs * framesPerRun * block.cells());
    }

    /** Rewrites the sequence field of an encoded record and its CRC. */
    private record ConductanceRecordCopy(byte[] record) {
        byte[] withSequence(long sequence) {
            byte[] b = record.clone();
            ByteBuffer bb = ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int idLength = Short.toUnsignedInt(bb.getShort(5));
            bb.putLong(7 + idLength, sequence);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(b, 0, b.length - 4);
            bb.putInt(b.length - 4, (int) crc.getValue());
            return b;
        }
    }
}
