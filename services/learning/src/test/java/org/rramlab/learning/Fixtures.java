package org.rramlab.learning;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.RramArray;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.kd.TrainConfig;
import org.rramlab.learning.kd.Trainer;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Architecture;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;

/** Shared small setups: generated data, a trained MLP, ideal arrays for a mapping. */
final class Fixtures {
    static final DevicePreset PRESET = DevicePreset.load("dac2020-65nm");

    private Fixtures() {}

    static DataSplit data(Path dir, int n) throws IOException {
        TestData.writeMnistLike(dir, n, false, 11);
        return new DatasetRepository(dir).load(DatasetKind.MNIST);
    }

    static Network trainedMlp(DataSplit data, int epochs) {
        Network net = Network.create(Architecture.MLP, 1, 28, 10, 3);
        Trainer.train("test", net, WeightSource.MASTER, data.train(), null, TrainConfig.plain(epochs, 32, 3e-3, 1),
                null, null, e -> { });
        return net;
    }

    static Map<String, IdealArray> idealArrays(WeightMapping mapping) {
        Map<String, IdealArray> arrays = new LinkedHashMap<>();
        for (String id : mapping.arrayIds()) {
            arrays.put(id, new IdealArray(id, PRESET, mapping.config().arrayRows(), mapping.config().arrayCols()));
        }
        return arrays;
    }

    @SuppressWarnings("unchecked")
    static Map<String, RramArray> asArrays(Map<String, IdealArray> arrays) {
        return (Map<String, RramArray>) (Map<String, ?>) arrays;
    }
}
