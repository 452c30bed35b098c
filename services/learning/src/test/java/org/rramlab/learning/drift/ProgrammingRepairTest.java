package org.rramlab.learning.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.RramArray;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.learning.TestData;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.kd.TrainConfig;
import org.rramlab.learning.kd.Trainer;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MappingConfig;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Architecture;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;

/**
 * The repair after one-shot programming writes only the chosen share of weights, leaves them closer to their
 * targets than one-shot programming did, and cancels devices stuck at Gmax through the other device of the pair.
 */
class ProgrammingRepairTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void chosenWeightsComeCloserAndStuckDevicesAreCancelledByTheirPartner() throws Exception {
        TestData.writeMnistLike(dir, 300, false, 4);
        DataSplit data = new DatasetRepository(dir).load(DatasetKind.MNIST);
        DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);
        try (Network net = Network.create(Architecture.MLP, 1, 28, 10, 5)) {
            Trainer.train("t", net, WeightSource.MASTER, data.train(), null, TrainConfig.plain(1, 32, 3e-3, 1), null,
                    null, e -> { });
            WeightMapping m = Mapper.plan(net, preset, MappingConfig.defaults(), "a");
            Map<String, RramArray> arrays = new LinkedHashMap<>();
            for (String id : m.arrayIds()) {
                arrays.put(id, new SimulatedArray(id, preset, 256, 256, 21 + arrays.size()));
            }
            Mapper.program(m, arrays).toCompletableFuture().join();
            List<float[]> before = Mapper.read(m, arrays).toCompletableFuture().join().effectiveWeights(m);

            ProgrammingRepair.Outcome r = ProgrammingRepair.run(m, arrays, net, data.train().head(100), 0.02);

            List<float[]> after = Mapper.read(m, arrays).toCompletableFuture().join().effectiveWeights(m);
            assertEquals(Math.round(0.02 * m.weightCount()), r.weights(), "exactly the share asked for");
            assertTrue(r.pulses() >= r.weights() + r.partners(), "every written device takes a pulse at least");
            assertTrue(r.partners() > 0 && r.partners() < r.weights(), "some weights needed their partner: " + r);
            List<float[]> targets = m.targetWeights();
            int changed = 0;
            double errorBefore = 0;
            double errorAfter = 0;
            for (int l = 0; l < targets.size(); l++) {
                for (int i = 0; i < targets.get(l).length; i++) {
                    double t = targets.get(l)[i];
                    double b = Math.abs(before.get(l)[i] - t);
                    double a = Math.abs(after.get(l)[i] - t);
                    // read noise moves every weight a little; a rewrite moves it by far more
                    if (Math.abs(a - b) > 0.05 * m.layers().get(l).wMax()) {
                        changed++;
                        errorBefore += b;
                        errorAfter += a;
                    }
                }
            }
            assertTrue(changed <= r.weights(), changed + " weights moved, " + r.weights() + " were chosen");
            assertTrue(errorAfter < 0.3 * errorBefore, "the rewritten weights' error fell from " + errorBefore
                    + " to " + errorAfter);
            arrays.values().forEach(RramArray::close);
        }
    }
}
