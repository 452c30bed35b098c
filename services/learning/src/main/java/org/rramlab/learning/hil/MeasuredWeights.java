package org.rramlab.learning.hil;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.Torch;
import org.rramlab.learning.model.WeightSource;

/**
 * Fixed per-layer weights (rebuilt from measured conductances) that replace a network's own
 * weights in the forward pass. The network's biases stay: they live in digital periphery.
 */
public final class MeasuredWeights implements WeightSource, AutoCloseable {
    private final NDManager manager = Torch.newManager();
    private final List<NDArray> weights = new ArrayList<>();
    private final List<float[]> values;

    public MeasuredWeights(Network net, List<float[]> perLayer) {
        if (perLayer.size() != net.weightedLayers().size()) {
            manager.close();
            throw new IllegalArgumentException("the network has " + net.weightedLayers().size()
                    + " weighted layers, the measurement " + perLayer.size());
        }
        this.values = List.copyOf(perLayer);
        for (int l = 0; l < perLayer.size(); l++) {
            weights.add(manager.create(perLayer.get(l), new Shape(net.weightedLayers().get(l).weightShape())));
        }
    }

    @Override
    public NDArray weight(int layer, NDArray master) {
        return weights.get(layer);
    }

    /** The weights as arrays (copies are not made: do not modify). */
    public List<float[]> values() {
        return values;
    }

    public NDArray array(int layer) {
        return weights.get(layer);
    }

    @Override
    public void close() {
        manager.close();
    }
}
