package org.rramlab.streaming;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.rramlab.device.Block;
import org.rramlab.device.Frame;

/**
 * A checked conductance record read in place: the header is parsed and the CRC verified once,
 * and the cells are read straight from the bytes Kafka handed over, with no copy of the payload
 * and nothing allocated per cell. Both consumers (statistics and archive) read records this way.
 */
public final class RecordView {
    private final ByteBuffer bytes;
    private final boolean read;
    private final boolean suspect;
    private final String arrayId;
    private final long sequence;
    private final double time;
    private final Block block;
    private final boolean coded;
    private final double origin;
    private final double step;
    private final int payload;

    private RecordView(ByteBuffer bytes, boolean read, boolean suspect, String arrayId, long sequence, double time,
                       Block block, boolean coded, double origin, double step, int payload) {
        this.bytes = bytes;
        this.read = read;
        this.suspect = suspect;
        this.arrayId = arrayId;
        this.sequence = sequence;
        this.time = time;
        this.block = block;
        this.coded = coded;
        this.origin = origin;
        this.step = step;
        this.payload = payload;
    }

    public static RecordView of(byte[] bytes) {
        return of(ByteBuffer.wrap(bytes));
    }

    /**
     * The record between the buffer's position and limit (the buffer itself is not moved).
     *
     * @throws CodecException when the bytes are truncated, corrupt or of an unknown version or kind
     */
    public static RecordView of(ByteBuffer value) {
        int length = value == null ? 0 : value.remaining();
        if (length < ConductanceCodec.FIXED) {
            throw new CodecException("record of " + length + " bytes is too short to be a conductance record");
        }
        ByteBuffer b = value.slice().order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().limit(length - 4));
        if ((int) crc.getValue() != b.getInt(length - 4)) {
            throw new CodecException("record fails its CRC-32C check: corrupt in transit or not a conductance record");
        }
        try {
            if (b.get() != 'R' || b.get() != 'R') {
                throw new CodecException("record does not start with the magic \"RR\"");
            }
            byte version = b.get();
            if (version != ConductanceCodec.VERSION && version != ConductanceCodec.VERSION_2) {
                throw new CodecException("record format version " + version + " is not supported (this build reads "
                        + ConductanceCodec.VERSION + " and " + ConductanceCodec.VERSION_2 + "); upgrade rramlab");
            }
            byte kind = b.get();
            if (kind != ConductanceCodec.KIND_READ && kind != ConductanceCodec.KIND_PROGRAMMED) {
                throw new CodecException("unknown record kind " + kind);
            }
            byte flags = b.get();
            byte[] id = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(id);
            long sequence = b.getLong();
            double time = b.getDouble();
            Block block = new Block(b.getInt(), b.getInt(), b.getInt(), b.getInt());
            boolean coded = false;
            double origin = 0;
            double step = 0;
            if (version == ConductanceCodec.VERSION_2) {
                if (kind != ConductanceCodec.KIND_READ) {
                    throw new CodecException("a version 2 record must be a read frame, not kind " + kind);
                }
                byte encoding = b.get();
                if (encoding == ConductanceCodec.ENCODING_LOG16) {
                    coded = true;
                    origin = b.getDouble();
                    step = b.getDouble();
                    if (!(step > 0 && Double.isFinite(step) && Double.isFinite(origin))) {
                        throw new CodecException("record's log16 grid (ln G0 " + origin + ", step " + step + ") is not valid");
                    }
                } else if (encoding != ConductanceCodec.ENCODING_FLOAT32) {
                    throw new CodecException("unknown read encoding " + encoding);
                }
            }
            long cells = block.cells();
            long expected = kind == ConductanceCodec.KIND_READ ? cells * (coded ? 2 : Float.BYTES) : cells;
            if (b.remaining() - 4 != expected) {
                throw new CodecException("record for block " + block + " carries " + (b.remaining() - 4)
                        + " payload bytes, expected " + expected);
            }
            return new RecordView(b, kind == ConductanceCodec.KIND_READ, (flags & 1) != 0,
                    new String(id, StandardCharsets.UTF_8), sequence, time, block, coded, origin, step, b.position());
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CodecException("malformed record: " + e.getMessage());
        }
    }

    public boolean isRead() {
        return read;
    }

    public String arrayId() {
        return arrayId;
    }

    public long sequence() {
        return sequence;
    }

    public double arrayTimeSeconds() {
        return time;
    }

    public Block block() {
        return block;
    }

    /** Read frames: some value may be wrong (interrupted link, compliance, overflow). */
    public boolean suspect() {
        return suspect;
    }

    /** Read frames: the cells travel as 16-bit ln G codes (log16) rather than float32. */
    public boolean coded() {
        return coded;
    }

    /** Read frames coded as log16: nepers of ln G per code (0 for float32 frames). */
    public double step() {
        return step;
    }

    /**
     * Read frames: ln G of every cell, row-major, into {@code out} (at least {@code cells} long).
     * A value that is not a finite positive conductance (float32 frames only) gives NaN or an infinity.
     */
    public void lnConductances(double[] out) {
        lnConductances(0, block.cells(), out, 0);
    }

    /**
     * Read frames: ln G of {@code count} cells from cell {@code from} (row-major) into {@code out}
     * from {@code offset}: a row at a time keeps the values in the first-level cache for the caller.
     */
    public void lnConductances(int from, int count, double[] out, int offset) {
        requireRead();
        if (from < 0 || count < 0 || from + count > block.cells()) {
            throw new IndexOutOfBoundsException("cells " + from + ".." + (from + count) + " of a frame of " + block.cells());
        }
        if (coded && bytes.hasArray()) {
            byte[] a = bytes.array();
            for (int j = 0, p = bytes.arrayOffset() + payload + 2 * from; j < count; j++, p += 2) {
                out[offset + j] = origin + ((a[p] & 0xff) | (a[p + 1] & 0xff) << 8) * step;
            }
        } else if (coded) {
            for (int j = 0, p = payload + 2 * from; j < count; j++, p += 2) {
                out[offset + j] = origin + (bytes.getShort(p) & 0xffff) * step;
            }
        } else {
            for (int j = 0, p = payload + 4 * from; j < count; j++, p += 4) {
                out[offset + j] = Math.log(bytes.getFloat(p));
            }
        }
    }

    /** Read frames: G in siemens of every cell, row-major, into {@code out} from {@code offset}. */
    public void conductances(float[] out, int offset) {
        conductances(0, block.cells(), out, offset);
    }

    /** Read frames: G in siemens of {@code count} cells from cell {@code from} (row-major), into {@code out} from {@code offset}. */
    public void conductances(int from, int count, float[] out, int offset) {
        requireRead();
        if (from < 0 || count < 0 || from + count > block.cells()) {
            throw new IndexOutOfBoundsException("cells " + from + ".." + (from + count) + " of a frame of " + block.cells());
        }
        if (coded && step == LogCodes.STEP && bytes.hasArray()) {
            double expOrigin = Math.exp(origin);
            byte[] a = bytes.array();
            for (int j = 0, p = bytes.arrayOffset() + payload + 2 * from; j < count; j++, p += 2) {
                out[offset + j] = LogCodes.siemens(expOrigin, (a[p] & 0xff) | (a[p + 1] & 0xff) << 8);
            }
        } else if (coded && step == LogCodes.STEP) {
            double expOrigin = Math.exp(origin);
            for (int j = 0, p = payload + 2 * from; j < count; j++, p += 2) {
                out[offset + j] = LogCodes.siemens(expOrigin, bytes.getShort(p) & 0xffff);
            }
        } else if (coded) {
            for (int j = 0, p = payload + 2 * from; j < count; j++, p += 2) {
                out[offset + j] = (float) Math.exp(origin + (bytes.getShort(p) & 0xffff) * step);
            }
        } else {
            bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(payload + 4 * from).asFloatBuffer()
                    .get(out, offset, count);
        }
    }

    /** The whole record as objects (allocates the cells; not for hot paths). */
    public ConductanceRecord record() {
        int n = block.cells();
        if (read) {
            float[] g = new float[n];
            conductances(g, 0);
            return new ReadRecord(new Frame(arrayId, sequence, time, block, g, suspect));
        }
        byte[] levels = new byte[n];
        bytes.duplicate().position(payload).get(levels);
        return new ProgrammedRecord(arrayId, sequence, time, block, levels);
    }

    private void requireRead() {
        if (!read) {
            throw new IllegalStateException("record " + arrayId + "#" + sequence + " is a programmed block, not a read");
        }
    }
}
