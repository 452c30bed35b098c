package org.rramlab.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rramlab.device.Block;
import org.rramlab.device.Frame;

class ConductanceCodecTest {
    @Test
    void aReadFrameRoundTripsExactly() {
        float[] g = new float[6];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (1e-6 * (i + 1) + 3.3e-9);
        }
        Frame frame = new Frame("wafer-3/die-12", 42, 1234.5, new Block(8, 16, 2, 3), g, true);
        ReadRecord back = (ReadRecord) ConductanceCodec.decode(ConductanceCodec.encode(new ReadRecord(frame)));
        assertEquals("wafer-3/die-12", back.arrayId());
        assertEquals(42, back.sequence());
        assertEquals(1234.5, back.arrayTimeSeconds());
        assertEquals(new Block(8, 16, 2, 3), back.block());
        assertArrayEquals(g, back.frame().conductances());
        assertTrue(back.frame().suspect());
    }

    @Test
    void aProgrammedBlockRoundTrips() {
        byte[] levels = {0, 9, 4, ProgrammedRecord.NO_LEVEL};
        var rec = new ProgrammedRecord("a1", 3, 10.0, new Block(0, 0, 2, 2), levels);
        ProgrammedRecord back = (ProgrammedRecord) ConductanceCodec.decode(ConductanceCodec.encode(rec));
        assertArrayEquals(levels, back.levels());
        assertEquals(3, back.sequence());
    }

    @Test
    void damagedBytesRaiseOnlyCodecExceptions() {
        byte[] good = ConductanceCodec.encode(new ReadRecord(new Frame("a", 1, 0, new Block(0, 0, 4, 4), new float[16], false)));
        assertTrue(assertThrows(CodecException.class, () -> ConductanceCodec.decode(new byte[3]))
                .getMessage().contains("too short"));
        byte[] flipped = good.clone();
        flipped[40] ^= 0x10;
        assertTrue(assertThrows(CodecException.class, () -> ConductanceCodec.decode(flipped))
                .getMessage().contains("CRC"));
        Random random = new Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            assertThrows(CodecException.class, () -> ConductanceCodec.decode(junk));
            byte[] cut = java.util.Arrays.copyOf(good, random.nextInt(good.length));
            assertThrows(CodecException.class, () -> ConductanceCodec.decode(cut));
        }
    }
}
