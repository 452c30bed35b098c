package org.rramlab.statistics;

import com.typesafe.config.ConfigFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import org.rramlab.device.DevicePreset;

/**
 * Snapshot of a {@link LiveStatistics} with the caller's Kafka offsets. Layout (big-endian):
 * <pre>
 *   magic "RSTS"   format version u16 (1)   body length u32
 *   body: DEFLATE of
 *     settings: preset as HOCON (u32 length + UTF-8), drift threshold, CUSUM allowance and
 *               decision, noise-pair log-time gap, stuck band (f64 each), min cells per level (i32)
 *     offsets:  count i32, then (key: u16 length + UTF-8, offset i64)
 *     arrays:   count i32, then per array its id, sequences and counters (i64), the cell grid
 *               (rows, cols, then level i8, programmed-at f64, last ln G f32, last log-time f32,
 *               reference f32 per cell), the level histogram and sums, the same for reads in
 *               the first log-time bin, the noise histogram,
 *               the drift bins, the change-detection state
 *     end mark i32 0x454E4421
 *   CRC-32C u32 of everything before it
 * </pre>
 * Histograms are mostly empty and compress to little.
 */
final class SnapshotFormat {
    static final short VERSION = 1;
    private static final byte[] MAGIC = {'R', 'S', 'T', 'S'};
    private static final int HEADER = 4 + 2 + 4;
    private static final int END = 0x454E4421;

    private SnapshotFormat() {}

    static byte[] write(LiveStatistics engine, Map<String, Long> offsets) {
        return write(engine, offsets, true);
    }

    /** With {@code cells} false the per-cell state is left out (an empty grid): a summary to report from, not to resume. */
    static byte[] write(LiveStatistics engine, Map<String, Long> offsets, boolean cells) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 16);
            Deflater deflater = new Deflater(Deflater.BEST_SPEED);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    new DeflaterOutputStream(body, deflater, 1 << 16), 1 << 16))) {
                writeSettings(out, engine.config());
                out.writeInt(offsets.size());
                for (Map.Entry<String, Long> e : offsets.entrySet()) {
                    writeShortString(out, e.getKey());
                    out.writeLong(e.getValue());
                }
                out.writeInt(engine.arrays().size());
                for (ArrayStatistics a : engine.arrays().values()) {
                    writeArray(out, a, cells);
                }
                out.writeInt(END);
            } finally {
                deflater.end();
            }
            byte[] compressed = body.toByteArray();
            ByteBuffer b = ByteBuffer.allocate(HEADER + compressed.length + 4);
            b.put(MAGIC).putShort(VERSION).putInt(compressed.length).put(compressed);
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, b.position());
            b.putInt((int) crc.getValue());
            return b.array();
        } catch (IOException e) {
            throw new IllegalStateException("writing a statistics snapshot to memory failed: " + e.getMessage(), e);
        }
    }

    static Restored read(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER + 4) {
            throw corrupt("it has " + (bytes == null ? 0 : bytes.length) + " bytes, fewer than a header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[4];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw corrupt("it does not start with \"RSTS\" (not a statistics snapshot)");
        }
        short version = b.getShort();
        if (version != VERSION) {
            throw new SnapshotException("statistics snapshot format " + version + " is not supported (this build reads "
                    + VERSION + "); restore it with the version that wrote it, or rebuild the statistics from the topic");
        }
        int length = b.getInt();
        if (length < 0 || length != bytes.length - HEADER - 4) {
            throw corrupt("its body should be " + length + " bytes but " + (bytes.length - HEADER - 4) + " follow");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            throw corrupt("it fails its CRC-32C check");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                new InflaterInputStream(new ByteArrayInputStream(bytes, HEADER, length)), 1 << 16))) {
            StatisticsConfig config = readSettings(in);
            int offsetCount = count(in.readInt(), 1 << 20, "offsets");
            Map<String, Long> offsets = new LinkedHashMap<>();
            for (int i = 0; i < offsetCount; i++) {
                offsets.put(readShortString(in), in.readLong());
            }
            LiveStatistics engine = new LiveStatistics(config);
            int arrayCount = count(in.readInt(), 1 << 20, "arrays");
            for (int i = 0; i < arrayCount; i++) {
                readArray(in, engine.addArray(readShortString(in)));
            }
            if (in.readInt() != END) {
                throw corrupt("its end mark is missing");
            }
            return new Restored(engine, offsets);
        } catch (SnapshotException e) {
            throw e;
        } catch (EOFException e) {
            throw corrupt("it ends early");
        } catch (IOException | RuntimeException e) {
            throw corrupt(e.getMessage());
        }
    }

    private static SnapshotException corrupt(String why) {
        return new SnapshotException("statistics snapshot is unreadable: " + why
                + ". Discard it and rebuild the statistics by consuming the topic from the beginning");
    }

    private static int count(int n, int max, String what) {
        if (n < 0 || n > max) {
            throw corrupt("it claims " + n + " " + what);
        }
        return n;
    }

    private static void writeSettings(DataOutputStream out, StatisticsConfig c) throws IOException {
        byte[] hocon = c.preset().toHocon().getBytes(StandardCharsets.UTF_8);
        out.writeInt(hocon.length);
        out.write(hocon);
        out.writeDouble(c.driftThreshold());
        out.writeDouble(c.cusumAllowance());
        out.writeDouble(c.cusumDecision());
        out.writeDouble(c.noisePairMaxLogTime());
        out.writeDouble(c.stuckBand());
        out.writeInt(c.minCellsPerLevel());
    }

    private static StatisticsConfig readSettings(DataInputStream in) throws IOException {
        byte[] hocon = new byte[count(in.readInt(), 1 << 20, "bytes of preset")];
        in.readFully(hocon);
        DevicePreset preset = DevicePreset.fromConfig(ConfigFactory.parseString(new String(hocon, StandardCharsets.UTF_8)));
        return new StatisticsConfig(preset, in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                in.readDouble(), in.readInt());
    }

    private static void writeArray(DataOutputStream out, ArrayStatistics a, boolean cells) throws IOException {
        writeShortString(out, a.arrayId);
        Fields to = writing(out);
        counters(to, a);
        CellGrid g = cells ? a.grid : new CellGrid();
        out.writeInt(g.rows);
        out.writeInt(g.cols);
        summaries(to, g, a);
    }

    private static void readArray(DataInputStream in, ArrayStatistics a) throws IOException {
        Fields from = reading(in);
        counters(from, a);
        int rows = in.readInt();
        int cols = in.readInt();
        if (rows < 0 || cols < 0 || (long) rows * cols > CellGrid.MAX_CELLS) {
            throw corrupt("array '" + a.arrayId + "' claims an extent of " + rows + "x" + cols + " cells");
        }
        a.grid.resize(rows, cols);
        summaries(from, a.grid, a);
    }

    /**
     * An array's state as the snapshot lays it out, listed once for writing and for reading so
     * that the two cannot disagree: each call writes the values it is given, or reads into them.
     */
    private interface Fields {
        void longs(long[] v) throws IOException;

        void doubles(double[] v) throws IOException;

        void floats(float[] v) throws IOException;

        void bytes(byte[] v) throws IOException;

        void booleans(boolean[] v) throws IOException;
    }

    private static Fields writing(DataOutputStream out) {
        return new Fields() {
            public void longs(long[] v) throws IOException {
                writeLongs(out, v);
            }

            public void doubles(double[] v) throws IOException {
                writeDoubles(out, v);
            }

            public void floats(float[] v) throws IOException {
                writeFloats(out, v);
            }

            public void bytes(byte[] v) throws IOException {
                out.write(v);
            }

            public void booleans(boolean[] v) throws IOException {
                for (boolean b : v) out.writeBoolean(b);
            }
        };
    }

    private static Fields reading(DataInputStream in) {
        return new Fields() {
            public void longs(long[] v) throws IOException {
                readLongs(in, v);
            }

            public void doubles(double[] v) throws IOException {
                readDoubles(in, v);
            }

            public void floats(float[] v) throws IOException {
                readFloats(in, v);
            }

            public void bytes(byte[] v) throws IOException {
                in.readFully(v);
            }

            public void booleans(boolean[] v) throws IOException {
                for (int i = 0; i < v.length; i++) v[i] = in.readBoolean();
            }
        };
    }

    /** Sequences and counters, in this order. */
    private static void counters(Fields f, ArrayStatistics a) throws IOException {
        long[] c = {a.lastReadSequence, a.lastProgrammedSequence, a.framesApplied, a.programmedApplied,
                a.duplicatesSkipped, a.framesSuspect, a.cellsRead, a.cellsUnlabelled, a.cellsUnusable, a.version};
        f.longs(c);
        a.lastReadSequence = c[0];
        a.lastProgrammedSequence = c[1];
        a.framesApplied = c[2];
        a.programmedApplied = c[3];
        a.duplicatesSkipped = c[4];
        a.framesSuspect = c[5];
        a.cellsRead = c[6];
        a.cellsUnlabelled = c[7];
        a.cellsUnusable = c[8];
        a.version = c[9];
    }

    /** The cells (of {@code g}, sized already), the histograms, the drift bins and the change detection. */
    private static void summaries(Fields f, CellGrid g, ArrayStatistics a) throws IOException {
        f.bytes(g.level);
        f.doubles(g.programmedAt);
        f.floats(g.lastLog);
        f.floats(g.lastLogTime);
        f.floats(g.reference);
        for (LevelHistogram h : new LevelHistogram[] {a.histogram, a.fresh}) {
            f.longs(h.counts);
            f.longs(h.n);
            f.doubles(h.sum);
            f.doubles(h.sumSquares);
        }
        f.longs(a.noise.counts);
        DriftBins d = a.drift;
        f.longs(d.n);
        f.doubles(d.sumL);
        f.doubles(d.sumDev);
        f.doubles(d.sumDevSquares);
        f.longs(d.referenceCells);
        ChangeDetector c = a.detector;
        f.booleans(c.alarmed);
        double[] cusum = {c.cusumUp, c.cusumDown};
        f.doubles(cusum);
        c.cusumUp = cusum[0];
        c.cusumDown = cusum[1];
        boolean[] alarmed = {c.cusumAlarmed};
        f.booleans(alarmed);
        c.cusumAlarmed = alarmed[0];
    }

    private static void writeShortString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xffff) {
            throw new IllegalArgumentException("snapshot key or array id longer than 65535 bytes: " + s.substring(0, 40) + "...");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readShortString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    // arrays go through a ByteBuffer view in chunks: one bulk copy instead of a call per element
    private static final int CHUNK = 1 << 13;

    /** Copies elements {@code from .. from + n} of an array between it and a view of the buffer. */
    private interface Chunk {
        void copy(ByteBuffer b, int from, int n);
    }

    private static void writeChunks(DataOutputStream out, int length, int bytes, Chunk put) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(CHUNK * bytes);
        for (int i = 0; i < length; i += CHUNK) {
            int n = Math.min(CHUNK, length - i);
            b.clear();
            put.copy(b, i, n);
            out.write(b.array(), 0, n * bytes);
        }
    }

    private static void readChunks(DataInputStream in, int length, int bytes, Chunk get) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(CHUNK * bytes);
        for (int i = 0; i < length; i += CHUNK) {
            int n = Math.min(CHUNK, length - i);
            in.readFully(b.array(), 0, n * bytes);
            b.clear();
            get.copy(b, i, n);
        }
    }

    private static void writeLongs(DataOutputStream out, long[] v) throws IOException {
        writeChunks(out, v.length, Long.BYTES, (b, i, n) -> b.asLongBuffer().put(v, i, n));
    }

    private static void readLongs(DataInputStream in, long[] v) throws IOException {
        readChunks(in, v.length, Long.BYTES, (b, i, n) -> b.asLongBuffer().get(v, i, n));
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        writeChunks(out, v.length, Double.BYTES, (b, i, n) -> b.asDoubleBuffer().put(v, i, n));
    }

    private static void readDoubles(DataInputStream in, double[] v) throws IOException {
        readChunks(in, v.length, Double.BYTES, (b, i, n) -> b.asDoubleBuffer().get(v, i, n));
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        writeChunks(out, v.length, Float.BYTES, (b, i, n) -> b.asFloatBuffer().put(v, i, n));
    }

    private static void readFloats(DataInputStream in, float[] v) throws IOException {
        readChunks(in, v.length, Float.BYTES, (b, i, n) -> b.asFloatBuffer().get(v, i, n));
    }
}
