package org.rramlab.learning.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
import org.rramlab.learning.osa.Placement;

/** Every score comes from a read of its own: OSA trains on one read, each figure is taken on a new one. */
class FreshReadTest {
    @TempDir
    Path dir;

    @Test
    void twoReadsDifferAndEveryScoreHasItsOwnRead() throws Exception {
        TestData.writeMnistLike(dir, 300, false, 2);
        DataSplit data = new DatasetRepository(dir).load(DatasetKind.MNIST);
        DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);
        try (Network net = Network.create(Architecture.MLP, 1, 28, 10, 3)) {
            Trainer.train("t", net, WeightSource.MASTER, data.train(), null, TrainConfig.plain(1, 32, 3e-3, 1), null,
                    null, e -> { });
            // read noise: the same programmed arrays read twice give two different sets of weights
            WeightMapping m = Mapper.plan(net, preset, MappingConfig.defaults(), "a");
            Map<String, RramArray> arrays = new java.util.LinkedHashMap<>();
            for (String id : m.arrayIds()) {
                arrays.put(id, new SimulatedArray(id, preset, 256, 256, 9 + arrays.size()));
            }
            Mapper.program(m, arrays).toCompletableFuture().join();
            float[] first = Mapper.read(m, arrays).toCompletableFuture().join().effectiveWeights(m).get(0);
            float[] second = Mapper.read(m, arrays).toCompletableFuture().join().effectiveWeights(m).get(0);
            assertFalse(Arrays.equals(first, second), "a read carries its own noise");
            arrays.values().forEach(RramArray::close);

            ReproduceOptions o = ReproduceOptions.of(DatasetKind.MNIST, true, 1, 1, dir, 1, false, 0);
            ChipBench bench = new ChipBench(preset, data.train().head(100), null, data.test().head(50), o);
            try (ChipBench.Chip chip = bench.fabricate(net, 3)) {
                ChipBench.Method method = new ChipBench.Method("rramlab", Placement.MEASURED, true, 1.0, 1, 1e-3);
                List<Double> acc = chip.osa(net, method, List.of(0.01, 0.02), null, data.test());
                assertEquals(3, acc.size());
                // one read to train on, one for the network alone, one per budget's score
                assertEquals(1 + 1 + 2, chip.reads());
            }
        }
    }
}
