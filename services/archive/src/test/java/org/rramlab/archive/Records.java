package org.rramlab.archive;

import java.util.ArrayList;
import java.util.List;
import org.rramlab.device.Block;
import org.rramlab.device.Frame;
import org.rramlab.streaming.ProgrammedRecord;

/** Small, recognisable records for the tests: conductance of cell i of frame s is (s * 1000 + i) nS. */
final class Records {
    private Records() {}

    static Frame frame(String array, long sequence, Block block) {
        float[] g = new float[block.cells()];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) ((sequence * 1000 + i) * 1e-9);
        }
        return new Frame(array, sequence, sequence * 10.0, block, g, sequence % 7 == 0);
    }

    static List<Frame> frames(String array, long from, long to, Block block) {
        List<Frame> out = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            out.add(frame(array, s, block));
        }
        return out;
    }

    static ProgrammedRecord programmed(String array, long sequence, double time, Block block) {
        byte[] levels = new byte[block.cells()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = (byte) (i % 10);
        }
        levels[0] = ProgrammedRecord.NO_LEVEL;
        return new ProgrammedRecord(array, sequence, time, block, levels);
    }

    static double sum(List<Frame> frames) {
        double s = 0;
        for (Frame f : frames) {
            for (float g : f.conductances()) {
                s += g;
            }
        }
        return s;
    }
}
