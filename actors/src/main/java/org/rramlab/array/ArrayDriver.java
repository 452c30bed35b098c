package org.rramlab.array;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.RramArray;
import org.rramlab.device.scpi.LinkOptions;
import org.rramlab.device.scpi.PhysicalArray;
import org.rramlab.device.sim.SimulatedArray;

/** Opens the driver of an array and, for a simulated one, rebuilds its state from the events. */
final class ArrayDriver {
    private ArrayDriver() {}

    /** A fresh driver; {@code blocking} runs the synchronous parts (preset files, fabrication draws). */
    static CompletionStage<RramArray> open(String id, ArraySpec spec, ArraySettings settings, Executor blocking) {
        return CompletableFuture.supplyAsync(() -> {
            DevicePreset preset = DevicePreset.load(spec.presetName());
            if (spec instanceof ArraySpec.Simulated sim) {
                return new SimulatedArray(id, preset, sim.rows(), sim.cols(), sim.seed());
            }
            var physical = (ArraySpec.Physical) spec;
            LinkOptions link = LinkOptions.defaults().withCommandTimeout(settings.commandTimeout())
                    .withAttempts(settings.linkAttempts(), LinkOptions.defaults().initialBackoff(),
                            LinkOptions.defaults().maxBackoff());
            PhysicalArray.Options d = PhysicalArray.Options.defaults(preset, spec.rows(), spec.cols()).withDie(physical.dieOrZero());
            PhysicalArray.Options options = settings.station().apply(d, spec.rows(), spec.cols(), link, settings.operationTimeout());
            return new PhysicalArray(id, spec.rows(), spec.cols(), physical.addresses(), options);
        }, blocking);
    }

    /**
     * The driver of a registered array after a restart. A simulated array is restored from the last
     * checkpoint and the operations since it are replayed in order on the array's own executor; its
     * counter-based randomness makes the result identical to the array before the restart. A
     * physical array keeps its state in the devices: it is only reconnected.
     */
    static CompletionStage<RramArray> rebuild(String id, ArrayState state, ArraySettings settings, Executor blocking) {
        ArraySpec spec = state.registration().spec();
        if (spec instanceof ArraySpec.Physical) {
            return open(id, spec, settings, blocking);
        }
        CompletionStage<RramArray> base = state.checkpoint() != null
                ? CompletableFuture.supplyAsync(() -> SimulatedArray.restore(state.checkpoint()), blocking)
                : open(id, spec, settings, blocking);
        return base.thenCompose(array -> {
            CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
            for (ArrayEvent.Op op : state.sinceCheckpoint()) {
                chain = chain.thenCompose(x -> perform(array, op));
            }
            return chain.handle((x, error) -> {
                if (error != null) {
                    array.close();
                    throw new IllegalStateException("rebuilding array '" + id + "' from its events failed: "
                            + error.getMessage(), error);
                }
                return array;
            });
        });
    }

    /**
     * Programs a block, or with {@code cells} (indices row * cols + col) only those cells, one after
     * the other, each as a block of one: the cost is the sum of theirs.
     */
    static CompletionStage<ProgramResult> program(RramArray array, Block block, int[] cells, int[] levels,
                                                  float[] targets, boolean writeVerify) {
        if (cells == null) {
            return array.program(levels != null ? ProgramRequest.ofLevels(block, levels, writeVerify)
                    : ProgramRequest.ofConductances(block, targets, writeVerify));
        }
        CompletionStage<ProgramResult> sum = CompletableFuture.completedFuture(new ProgramResult(block, 0, 0, 0));
        for (int k = 0; k < cells.length; k++) {
            Block cell = new Block(cells[k] / array.cols(), cells[k] % array.cols(), 1, 1);
            ProgramRequest one = levels != null ? ProgramRequest.ofLevels(cell, new int[] {levels[k]}, writeVerify)
                    : ProgramRequest.ofConductances(cell, new float[] {targets[k]}, writeVerify);
            sum = sum.thenCompose(s -> array.program(one).thenApply(r -> new ProgramResult(block, s.pulses() + r.pulses(),
                    s.seconds() + r.seconds(), s.cellsOutOfTolerance() + r.cellsOutOfTolerance())));
        }
        return sum;
    }

    /** Does one operation on the driver: to replay it, or to carry out a clock move or a temperature change. */
    static CompletionStage<Void> perform(RramArray array, ArrayEvent.Op op) {
        if (op instanceof ArrayEvent.Programmed p) {
            return program(array, p.block(), p.cells(), p.levels(), p.targets(), p.writeVerify()).thenApply(r -> null);
        }
        if (op instanceof ArrayEvent.ReadTaken r) {
            return array.read(r.block()).thenApply(f -> null);
        }
        if (op instanceof ArrayEvent.ClockAdvanced c) {
            return array.advanceClock(c.seconds());
        }
        if (op instanceof ArrayEvent.TemperatureSet t) {
            return array.setTemperature(t.kelvin());
        }
        throw new IllegalStateException("not an array operation: " + op);
    }
}
