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

    @Test
    void log16ReadsStayWithinTheDocumentedBoundAndHalveTheBytes() {
        Random random = new Random(3);
        float[] g = new float[256 * 256];
        for (int i = 0; i < g.length; i++) {
            // the preset's span: 1 uS .. 100 uS, lognormal spread, and the extremes of a float's mantissa
            g[i] = (float) (1e-6 * Math.exp(4.6 * random.nextDouble() + 0.5 * random.nextGaussian()));
        }
        g[0] = Math.nextUp(1e-6f);
        g[1] = Math.nextDown(2e-6f);
        Frame frame = new Frame("a", 7, 3.5, new Block(0, 0, 256, 256), g, false);
        byte[] coded = ConductanceCodec.encode(new ReadRecord(frame), ReadEncoding.LOG16);
        byte[] exact = ConductanceCodec.encode(new ReadRecord(frame));
        assertEquals(2, coded[2], "version 2");
        assertEquals(1, exact[2], "float32 stays version 1");
        assertEquals(43 + 1 + 17 + 2 * g.length, coded.length, "header, id, encoding and grid, u16 per cell, CRC");
        RecordView view = RecordView.of(coded);
        assertTrue(view.coded());
        double[] ln = new double[g.length];
        view.lnConductances(ln);
        float[] back = ((ReadRecord) ConductanceCodec.decode(coded)).frame().conductances();
        double worst = 0;
        for (int i = 0; i < g.length; i++) {
            worst = Math.max(worst, Math.abs(ln[i] - Math.log(g[i])));
            assertEquals(Math.log(g[i]), Math.log(back[i]), LogCodes.MAX_ERROR_NEPERS + 1e-6, "cell " + i);
        }
        assertTrue(worst <= LogCodes.MAX_ERROR_NEPERS + 1e-8, "worst ln G error " + worst);
        assertTrue(worst > LogCodes.MAX_ERROR_NEPERS * 0.9, "the bound is tight, not loose: " + worst);
    }

    @Test
    void framesTheCodesCannotHoldTravelExactly() {
        float[] g = {1e-6f, Float.NaN, 2e-6f, 3e-6f};
        float[] wide = {1e-14f, 1e-6f, 2e-6f, 3e-6f}; // 19 nepers: wider than the codes reach
        for (float[] values : new float[][] {g, wide}) {
            Frame frame = new Frame("a", 1, 0, new Block(0, 0, 2, 2), values, false);
            byte[] bytes = ConductanceCodec.encode(new ReadRecord(frame), ReadEncoding.LOG16);
            assertEquals(1, bytes[2], "falls back to float32, version 1");
            assertArrayEquals(values, ((ReadRecord) ConductanceCodec.decode(bytes)).frame().conductances());
        }
    }

    @Test
    void aViewReadsInPlaceFromAnOffsetInKafkasBuffer() {
        float[] g = {1e-6f, 2e-6f, 3e-6f, 4e-6f};
        byte[] record = ConductanceCodec.encode(new ReadRecord(new Frame("x", 5, 1, new Block(0, 0, 2, 2), g, true)));
        byte[] fetched = new byte[record.length + 20];
        System.arraycopy(record, 0, fetched, 10, record.length);
        RecordView view = RecordView.of(java.nio.ByteBuffer.wrap(fetched, 10, record.length));
        float[] out = new float[4];
        view.conductances(out, 0);
        assertArrayEquals(g, out);
        assertTrue(view.suspect());
        assertEquals(5, view.sequence());
    }
}
