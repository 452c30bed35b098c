package org.rramlab.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.ReadRecord;

/** Reads the engine cannot label are counted, never fatal. */
class BadInputTest {
    private final DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);

    private static byte[] levels(int cells, int level) {
        byte[] b = new byte[cells];
        Arrays.fill(b, (byte) level);
        return b;
    }

    private static ReadRecord read(String id, long seq, Block block, float value) {
        float[] g = new float[block.cells()];
        Arrays.fill(g, value);
        return new ReadRecord(new Frame(id, seq, 0, block, g, false));
    }

    @Test
    void unknownLevelsBlocksOutsideAndBadValuesAreCounted() {
        LiveStatistics stats = LiveStatistics.of(preset);
        // never programmed: every cell unlabelled
        assertTrue(stats.apply(read("x", 1, new Block(0, 0, 4, 4), 5e-5f)));
        assertEquals(16, stats.report("x").orElseThrow().cellsUnlabelled());

        // an 8x8 block at level 3, then one with a level the preset does not have, one with no level
        stats.apply(new ProgrammedRecord("x", 1, 0, new Block(0, 0, 8, 8), levels(64, 3)));
        stats.apply(new ProgrammedRecord("x", 2, 0, new Block(8, 8, 8, 8), levels(64, 42)));
        stats.apply(new ProgrammedRecord("x", 3, 0, new Block(0, 8, 8, 8), levels(64, ProgrammedRecord.NO_LEVEL)));
        // a 20x20 read covers the 64 labelled cells; the rest is unlabelled, part of it past the extent
        stats.apply(read("x", 2, new Block(0, 0, 20, 20), 3e-5f));
        StatisticsReport r = stats.report("x").orElseThrow();
        assertEquals(64, r.cellsRead());
        assertEquals(16 + 400 - 64, r.cellsUnlabelled());
        assertEquals(64, r.levels().get(3).count());

        // zero, negative, NaN and infinite conductances
        for (float bad : new float[] {0f, -1e-5f, Float.NaN, Float.POSITIVE_INFINITY}) {
            long seq = stats.report("x").orElseThrow().framesApplied() + 1;
            stats.apply(read("x", seq, new Block(0, 0, 8, 8), bad));
        }
        assertEquals(4 * 64, stats.report("x").orElseThrow().cellsUnusable());

        // a read far outside anything programmed
        stats.apply(read("x", 100, new Block(5000, 5000, 2, 2), 1e-5f));
        // a programmed block too large to remember is ignored, not allocated
        stats.apply(new ProgrammedRecord("x", 4, 0, new Block(60000, 60000, 1, 1), levels(1, 2)));
        stats.apply(read("x", 101, new Block(60000, 60000, 1, 1), 1e-5f));
        r = stats.report("x").orElseThrow();
        assertEquals(16 + 400 - 64 + 4 + 1, r.cellsUnlabelled());
        assertEquals(64, r.cellsRead());
        // only the 64 good reads at level 3 count, all the same value: no spread, and the bad values did not enter
        StatisticsReport all = stats.report();
        LevelReport three = all.levels().get(3);
        assertEquals(64, three.count());
        assertEquals(3e-5, three.meanSiemens(), 3e-5 * 0.05, "the mean, to the histogram's 0.1-neper bins");
        assertEquals(0.0, three.rawLogSigma(), 1e-12, "identical reads have no spread: " + three);
        assertEquals(0.0, all.logSigma(), 1e-5, "the pooled sigma is that of the one level read");
    }

    @Test
    void suspectFramesAreCountedButLeftOut() {
        LiveStatistics stats = LiveStatistics.of(preset);
        Block block = new Block(0, 0, 4, 4);
        stats.apply(new ProgrammedRecord("s", 1, 0, block, levels(16, 5)));
        float[] g = new float[16];
        Arrays.fill(g, 5e-5f);
        stats.apply(new ReadRecord(new Frame("s", 1, 0, block, g, true)));
        StatisticsReport r = stats.report("s").orElseThrow();
        assertEquals(1, r.framesApplied());
        assertEquals(1, r.framesSuspect());
        assertEquals(0, r.cellsRead());
    }

    @Test
    void reportsOfAnEmptyEngineAndUnknownArrays() {
        LiveStatistics stats = LiveStatistics.of(preset);
        StatisticsReport r = stats.report();
        assertEquals(0, r.arrays());
        assertTrue(Double.isNaN(r.logSigma()));
        assertEquals(preset.levels(), r.levels().size());
        assertTrue(stats.report("nope").isEmpty());
        // a fitted preset from nothing is the base under a new name
        DevicePreset fitted = stats.fittedPreset(preset, "empty-fit");
        assertEquals(preset.variationSigma(), fitted.variationSigma());
        assertEquals(preset.drift(), fitted.drift());
    }

    @Test
    void blocksProgrammedPieceByPieceGrowTheExtent() {
        LiveStatistics stats = LiveStatistics.of(preset);
        SimulatedFeed feed = new SimulatedFeed("grow", preset, 32, 32, 4);
        // the array programmed whole, but announced in two pieces that each widen the extent
        feed.program(0);
        byte[] top = new byte[16 * 32];
        byte[] bottom = new byte[16 * 32];
        for (int i = 0; i < top.length; i++) {
            top[i] = (byte) (i % 10);
            bottom[i] = (byte) ((i + 16 * 32) % 10);
        }
        stats.apply(new ProgrammedRecord("grow", 1, 0, new Block(0, 0, 16, 32), top));
        stats.apply(new ProgrammedRecord("grow", 2, 0, new Block(16, 0, 16, 32), bottom));
        stats.apply(feed.read());
        StatisticsReport r = stats.report("grow").orElseThrow();
        assertEquals(32 * 32, r.cellsRead());
        assertEquals(0, r.cellsUnlabelled());
    }
}
