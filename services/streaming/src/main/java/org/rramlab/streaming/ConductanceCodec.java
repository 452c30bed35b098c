package org.rramlab.streaming;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.rramlab.device.Block;

/**
 * The binary form of a {@link ConductanceRecord} (docs/record-format.md). Little-endian, so that
 * the float32 payload is a straight copy on x86 and ARM:
 * <pre>
 *   magic "RR"  version u8 (1 or 2)  kind u8 (1 read, 2 programmed)  flags u8 (bit 0: suspect)
 *   array id: u16 length + UTF-8    sequence i64    array time f64 (seconds)
 *   block: row0 i32  col0 i32  rows i32  cols i32
 *   version 2 only (reads): encoding u8 (1 float32, 2 log16); log16: ln G0 f64, step f64
 *   payload: read -> rows*cols float32 siemens, or u16 codes (ln G = ln G0 + code * step);
 *            programmed -> rows*cols i8 levels (-1: none)
 *   CRC-32C u32 of everything before it
 * </pre>
 * Programmed blocks and float32 reads written by {@link #encode(ConductanceRecord)} are version 1,
 * byte for byte what earlier builds wrote; {@link RecordView} reads both versions.
 */
public final class ConductanceCodec {
    public static final byte VERSION = 1;
    /** Reads with an encoding byte (and, for log16, the grid's origin and step). */
    public static final byte VERSION_2 = 2;
    static final byte KIND_READ = 1;
    static final byte KIND_PROGRAMMED = 2;
    static final byte ENCODING_FLOAT32 = 1;
    static final byte ENCODING_LOG16 = 2;
    static final int FIXED = 2 + 1 + 1 + 1 + 2 + 8 + 8 + 16 + 4;

    private ConductanceCodec() {}

    /** Version 1: reads as float32, exactly as read. */
    public static byte[] encode(ConductanceRecord record) {
        return encode(record, ReadEncoding.FLOAT32);
    }

    /**
     * {@code LOG16}: a read frame as 16-bit ln G codes (version 2) when every value can be coded,
     * else as float32 (version 1); programmed blocks are the same either way.
     */
    public static byte[] encode(ConductanceRecord record, ReadEncoding encoding) {
        byte[] id = record.arrayId().getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xffff) {
            throw new IllegalArgumentException("array id longer than 65535 bytes");
        }
        int cells = record.block().cells();
        double origin = Double.NaN;
        if (encoding == ReadEncoding.LOG16 && record instanceof ReadRecord r) {
            origin = LogCodes.origin(r.frame().conductances());
        }
        boolean coded = origin == origin;
        int payload = record instanceof ReadRecord ? cells * (coded ? 2 : Float.BYTES) : cells;
        int extra = coded ? 1 + 8 + 8 : 0;
        ByteBuffer b = ByteBuffer.allocate(FIXED + id.length + extra + payload).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'R').put((byte) 'R').put(coded ? VERSION_2 : VERSION);
        if (record instanceof ReadRecord r) {
            b.put(KIND_READ).put((byte) (r.frame().suspect() ? 1 : 0));
        } else {
            b.put(KIND_PROGRAMMED).put((byte) 0);
        }
        b.putShort((short) id.length).put(id).putLong(record.sequence()).putDouble(record.arrayTimeSeconds());
        Block block = record.block();
        b.putInt(block.row0()).putInt(block.col0()).putInt(block.rows()).putInt(block.cols());
        if (record instanceof ReadRecord r) {
            if (coded) {
                b.put(ENCODING_LOG16).putDouble(origin).putDouble(LogCodes.STEP);
                LogCodes.encode(r.frame().conductances(), origin, b);
            } else {
                b.asFloatBuffer().put(r.frame().conductances());
                b.position(b.position() + payload);
            }
        } else {
            b.put(((ProgrammedRecord) record).levels());
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** @throws CodecException when the bytes are truncated, corrupt or of an unknown version */
    public static ConductanceRecord decode(byte[] bytes) {
        if (bytes == null) {
            throw new CodecException("record of 0 bytes is too short to be a conductance record");
        }
        return RecordView.of(bytes).record();
    }
}
