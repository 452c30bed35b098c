package org.rramlab.streaming;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.rramlab.device.Block;
import org.rramlab.device.Frame;

/**
 * The binary form of a {@link ConductanceRecord} (docs/record-format.md). Little-endian, so that
 * the float32 payload is a straight copy on x86 and ARM:
 * <pre>
 *   magic "RR"  version u8 (1)  kind u8 (1 read, 2 programmed)  flags u8 (bit 0: suspect)
 *   array id: u16 length + UTF-8    sequence i64    array time f64 (seconds)
 *   block: row0 i32  col0 i32  rows i32  cols i32
 *   payload: read -> rows*cols float32 siemens; programmed -> rows*cols i8 levels (-1: none)
 *   CRC-32C u32 of everything before it
 * </pre>
 */
public final class ConductanceCodec {
    public static final byte VERSION = 1;
    private static final byte KIND_READ = 1;
    private static final byte KIND_PROGRAMMED = 2;
    private static final int FIXED = 2 + 1 + 1 + 1 + 2 + 8 + 8 + 16 + 4;

    private ConductanceCodec() {}

    public static byte[] encode(ConductanceRecord record) {
        byte[] id = record.arrayId().getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xffff) {
            throw new IllegalArgumentException("array id longer than 65535 bytes");
        }
        int cells = record.block().cells();
        int payload = record instanceof ReadRecord ? cells * Float.BYTES : cells;
        ByteBuffer b = ByteBuffer.allocate(FIXED + id.length + payload).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'R').put((byte) 'R').put(VERSION);
        if (record instanceof ReadRecord r) {
            b.put(KIND_READ).put((byte) (r.frame().suspect() ? 1 : 0));
        } else {
            b.put(KIND_PROGRAMMED).put((byte) 0);
        }
        b.putShort((short) id.length).put(id).putLong(record.sequence()).putDouble(record.arrayTimeSeconds());
        Block block = record.block();
        b.putInt(block.row0()).putInt(block.col0()).putInt(block.rows()).putInt(block.cols());
        if (record instanceof ReadRecord r) {
            b.asFloatBuffer().put(r.frame().conductances());
            b.position(b.position() + payload);
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
        if (bytes == null || bytes.length < FIXED) {
            throw new CodecException("record of " + (bytes == null ? 0 : bytes.length) + " bytes is too short to be a conductance record");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if ((int) crc.getValue() != b.getInt(bytes.length - 4)) {
            throw new CodecException("record fails its CRC-32C check: corrupt in transit or not a conductance record");
        }
        try {
            if (b.get() != 'R' || b.get() != 'R') {
                throw new CodecException("record does not start with the magic \"RR\"");
            }
            byte version = b.get();
            if (version != VERSION) {
                throw new CodecException("record format version " + version + " is not supported (this build reads "
                        + VERSION + "); upgrade rramlab");
            }
            byte kind = b.get();
            byte flags = b.get();
            byte[] id = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(id);
            String arrayId = new String(id, StandardCharsets.UTF_8);
            long sequence = b.getLong();
            double time = b.getDouble();
            Block block = new Block(b.getInt(), b.getInt(), b.getInt(), b.getInt());
            int cells = block.cells();
            int expected = kind == KIND_READ ? cells * Float.BYTES : cells;
            if (b.remaining() - 4 != expected) {
                throw new CodecException("record for block " + block + " carries " + (b.remaining() - 4)
                        + " payload bytes, expected " + expected);
            }
            return switch (kind) {
                case KIND_READ -> {
                    float[] g = new float[cells];
                    b.asFloatBuffer().get(g);
                    yield new ReadRecord(new Frame(arrayId, sequence, time, block, g, (flags & 1) != 0));
                }
                case KIND_PROGRAMMED -> {
                    byte[] levels = new byte[cells];
                    b.get(levels);
                    yield new ProgrammedRecord(arrayId, sequence, time, block, levels);
                }
                default -> throw new CodecException("unknown record kind " + kind);
            };
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CodecException("malformed record: " + e.getMessage());
        }
    }
}
