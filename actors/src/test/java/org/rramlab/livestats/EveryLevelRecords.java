package org.rramlab.livestats;

import java.util.ArrayList;
import java.util.List;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.ReadRecord;

/** The records of a simulated array programmed to every level (cell i at level i mod 10) and read again and again. */
public final class EveryLevelRecords {
    private EveryLevelRecords() {}

    /** A 32x32 block: its programming record first, then one record per read. */
    public static List<ConductanceRecord> of(String arrayId, DevicePreset preset, int reads, long seed) throws Exception {
        Block block = new Block(0, 0, 32, 32);
        List<ConductanceRecord> records = new ArrayList<>();
        try (SimulatedArray array = new SimulatedArray(arrayId, preset, 32, 32, seed)) {
            int[] levels = new int[block.cells()];
            byte[] bytes = new byte[block.cells()];
            for (int i = 0; i < levels.length; i++) {
                levels[i] = i % 10;
                bytes[i] = (byte) levels[i];
            }
            array.program(ProgramRequest.ofLevels(block, levels, false)).toCompletableFuture().get();
            records.add(new ProgrammedRecord(arrayId, 1, 0, block, bytes));
            for (int i = 0; i < reads; i++) {
                Frame f = array.read(block).toCompletableFuture().get();
                records.add(new ReadRecord(f));
            }
        }
        return records;
    }
}
