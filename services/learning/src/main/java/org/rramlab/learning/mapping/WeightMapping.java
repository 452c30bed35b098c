package org.rramlab.learning.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * A network's weights as conductance targets on arrays: which arrays, where each tile sits, the
 * level of every device. A plain value (records, arrays, strings) that Jackson writes and reads, so
 * that it can be persisted and a measured network rebuilt from it later.
 *
 * @param preset       name of the device preset the arrays were programmed with
 * @param gMinSiemens  conductance of level 0
 * @param gMaxSiemens  conductance of the top level
 */
public record WeightMapping(String preset, int levels, double gMinSiemens, double gMaxSiemens,
                            MappingConfig config, List<String> arrayIds, List<LayerMapping> layers) {

    /** The quantized weights the mapping aims at, per layer (what ideal devices would give). */
    public List<float[]> targetWeights() {
        List<float[]> out = new ArrayList<>();
        for (LayerMapping l : layers) {
            float[] w = new float[l.weights()];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (l.signedLevels()[i] * l.wMax() / (levels - 1));
            }
            out.add(w);
        }
        return out;
    }

    public long weightCount() {
        return layers.stream().mapToLong(LayerMapping::weights).sum();
    }

    /** Devices used: two per weight. */
    public long deviceCount() {
        return 2 * weightCount();
    }
}
