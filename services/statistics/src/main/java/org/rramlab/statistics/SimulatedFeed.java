package org.rramlab.statistics;

import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.sim.ArrayModel;
import org.rramlab.streaming.ConductanceCodec;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.ReadRecord;

/**
 * Records of one simulated array as the measurement side would publish them, passed through the
 * wire format: program every level across the array, read it whole, advance its clock. For the
 * benchmark and the tests.
 */
public final class SimulatedFeed {
    private final ArrayModel model;
    private final Block all;
    private long programmedSequence;

    public SimulatedFeed(String id, DevicePreset preset, int rows, int cols, long seed) {
        this.model = new ArrayModel(id, preset, rows, cols, seed);
        this.all = new Block(0, 0, rows, cols);
    }

    public ArrayModel model() {
        return model;
    }

    /** Programs cell i (row-major) to level (i + shift) mod levels; a new shift moves every cell's level. */
    public ConductanceRecord program(int shift) {
        int levels = model.preset().levels();
        int[] level = new int[all.cells()];
        byte[] bytes = new byte[all.cells()];
        for (int i = 0; i < level.length; i++) {
            level[i] = (i + shift) % levels;
            bytes[i] = (byte) level[i];
        }
        model.program(ProgramRequest.ofLevels(all, level, false));
        return wire(new ProgrammedRecord(model.id(), ++programmedSequence, model.clockSeconds(), all, bytes));
    }

    public ConductanceRecord read() {
        return wire(new ReadRecord(model.read(all)));
    }

    public ConductanceRecord read(Block block) {
        return wire(new ReadRecord(model.read(block)));
    }

    public void advance(double seconds) {
        model.advanceClock(seconds);
    }

    public static ConductanceRecord wire(ConductanceRecord record) {
        return ConductanceCodec.decode(ConductanceCodec.encode(record));
    }

    /** Fraction of the array's cells stuck at Gmax and at Gmin: the simulator's truth. */
    public double[] stuckFractions() {
        long high = 0, low = 0;
        for (int r = 0; r < model.rows(); r++) {
            for (int c = 0; c < model.cols(); c++) {
                switch (model.fault(r, c)) {
                    case STUCK_HIGH -> high++;
                    case STUCK_LOW -> low++;
                    default -> { }
                }
            }
        }
        double cells = (double) model.rows() * model.cols();
        return new double[] {high / cells, low / cells};
    }
}
