package org.rramlab.device.characterize;

import org.rramlab.device.AsyncOps;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.RramArray;
import org.rramlab.device.noise.DeviceNoise;

/**
 * Programs every level across an array (cell i of the row-major order gets level i mod L; faults
 * are independent of position, so every level sees the same fault rates), reads it back and
 * estimates the statistics from the reads alone.
 */
public final class Characterizer {
    private Characterizer() {}

    /** A characterization with when its programming ran (System.nanoTime) and each cell's level, for a drift fit after it. */
    public record Timed(CharacterizeReport report, int[] levels, long programStart, long programEnd) {}

    public static CharacterizeReport run(RramArray array, DevicePreset preset, boolean writeVerify) {
        return runTimed(array, preset, writeVerify).report();
    }

    public static Timed runTimed(RramArray array, DevicePreset preset, boolean writeVerify) {
        long start = System.nanoTime();
        int rows = array.rows();
        int cols = array.cols();
        int cells = rows * cols;
        int[] levels = new int[cells];
        for (int i = 0; i < cells; i++) {
            levels[i] = i % preset.levels();
        }
        Block all = new Block(0, 0, rows, cols);
        ProgramResult programmed = AsyncOps.await(array.program(ProgramRequest.ofLevels(all, levels, writeVerify)));
        long programEnd = System.nanoTime();
        Frame frame = AsyncOps.await(array.read(all));
        DeviceNoise levelTargets = DeviceNoise.of(preset);
        double[] targets = new double[preset.levels()];
        for (int k = 0; k < targets.length; k++) {
            targets[k] = levelTargets.level(k);
        }
        Characterization stats = ConductanceEstimator.estimate(levels, frame.conductances(), targets,
                preset.gMinSiemens(), preset.gMaxSiemens());
        return new Timed(new CharacterizeReport(preset.name(), rows, cols, stats, programmed.pulses(), programmed.seconds(),
                (System.nanoTime() - start) / 1e9), levels, start, programEnd);
    }
}
