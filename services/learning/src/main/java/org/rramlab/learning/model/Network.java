package org.rramlab.learning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A feed-forward network written as plain tensor operations, so that every weighted layer can
 * take its weight from a {@link WeightSource} (device sample, measured conductances, SRAM branch).
 * Parameters live in the network's own manager; per-batch work belongs in an {@code NDScope}.
 */
public final class Network implements AutoCloseable {
    private final Architecture architecture;
    private final int channels;
    private final int size;
    private final int classes;
    private final List<LayerSpec> layers;
    private final List<LayerSpec.Weighted> weighted = new ArrayList<>();
    private final NDManager manager;
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> biases = new ArrayList<>();

    private Network(Architecture architecture, int channels, int size, int classes, NDManager manager) {
        this.architecture = architecture;
        this.channels = channels;
        this.size = size;
        this.classes = classes;
        this.layers = architecture.layers(channels, size, classes);
        this.manager = manager;
        for (LayerSpec l : layers) {
            if (l instanceof LayerSpec.Weighted w) {
                weighted.add(w);
            }
        }
    }

    /** A fresh network, initialized like PyTorch's default (uniform, bound 1/sqrt(fan-in)), from a seed. */
    public static Network create(Architecture architecture, int channels, int size, int classes, long seed) {
        Network n = new Network(architecture, channels, size, classes, Torch.newManager());
        SplittableRandom random = new SplittableRandom(seed);
        for (LayerSpec.Weighted w : n.weighted) {
            float bound = (float) (1.0 / Math.sqrt(w.fanIn()));
            float[] wv = new float[w.fanIn() * w.fanOut()];
            float[] bv = new float[w.fanOut()];
            for (int i = 0; i < wv.length; i++) {
                wv[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            for (int i = 0; i < bv.length; i++) {
                bv[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            n.addParameters(w, wv, bv);
        }
        return n;
    }

    /** A network of the given shape with the given parameter values (weights and biases per weighted layer). */
    public static Network of(Architecture architecture, int channels, int size, int classes,
                             List<float[]> weightValues, List<float[]> biasValues) {
        Network n = new Network(architecture, channels, size, classes, Torch.newManager());
        if (weightValues.size() != n.weighted.size() || biasValues.size() != n.weighted.size()) {
            n.close();
            throw new IllegalArgumentException(architecture.id() + " has " + n.weighted.size() + " weighted layers, got "
                    + weightValues.size() + " weights and " + biasValues.size() + " biases");
        }
        for (int i = 0; i < n.weighted.size(); i++) {
            LayerSpec.Weighted w = n.weighted.get(i);
            if (weightValues.get(i).length != w.fanIn() * w.fanOut() || biasValues.get(i).length != w.fanOut()) {
                n.close();
                throw new IllegalArgumentException("layer " + w.name() + " of " + architecture.id() + " needs "
                        + w.fanIn() * w.fanOut() + " weights and " + w.fanOut() + " biases, got "
                        + weightValues.get(i).length + " and " + biasValues.get(i).length);
            }
            n.addParameters(w, weightValues.get(i), biasValues.get(i));
        }
        return n;
    }

    private void addParameters(LayerSpec.Weighted w, float[] wv, float[] bv) {
        NDArray weight = manager.create(wv, new Shape(w.weightShape()));
        NDArray bias = manager.create(bv);
        weight.setRequiresGradient(true);
        bias.setRequiresGradient(true);
        weights.add(weight);
        biases.add(bias);
    }

    /** An independent copy with its own parameters. */
    public Network copy() {
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (int i = 0; i < weighted.size(); i++) {
            w.add(weightValues(i));
            b.add(biasValues(i));
        }
        return of(architecture, channels, size, classes, w, b);
    }

    /**
     * Logits for a batch {@code N x C x H x W}. When {@code training} is false the parameters are
     * detached, so no autograd graph is recorded for them.
     */
    public NDArray forward(NDArray x, WeightSource source, boolean training) {
        return forward(x, source, training, null);
    }

    /**
     * As {@link #forward(NDArray, WeightSource, boolean)}, with each weighted layer's MAC read out through
     * {@code readout} (column ADCs, say) before its bias is added; null reads it exactly.
     */
    public NDArray forward(NDArray x, WeightSource source, boolean training, ColumnReadout readout) {
        return forward(x, source, training, readout, null);
    }

    /**
     * As above, with {@code offsets} (per weighted layer, shaped as its bias; null, or a null entry: none)
     * added to the biases: the digital offsets an OSA round trains, held in the bias registers.
     */
    public NDArray forward(NDArray x, WeightSource source, boolean training, ColumnReadout readout,
                           List<NDArray> offsets) {
        // each layer in a scope of its own, the previous layer's output closed once used (Scoped says why)
        NDArray input = x;
        int wi = 0;
        for (LayerSpec layer : layers) {
            NDArray in = x;
            int index = wi;
            x = Scoped.run(() -> layer(layer, index, in, source, training, readout, offsets));
            if (in != input) {
                Scoped.drop(in);
            }
            if (layer instanceof LayerSpec.Weighted) {
                wi++;
            }
        }
        return x;
    }

    private NDArray layer(LayerSpec layer, int wi, NDArray x, WeightSource source, boolean training,
                          ColumnReadout readout, List<NDArray> offsets) {
        if (layer instanceof LayerSpec.Weighted) {
            NDArray master = training ? weights.get(wi) : weights.get(wi).stopGradient();
            NDArray b = training ? biases.get(wi) : biases.get(wi).stopGradient();
            NDArray offset = offsets == null || wi >= offsets.size() ? null : offsets.get(wi);
            if (offset != null) {
                b = b.add(offset);
            }
            NDArray w = source.weight(wi, master);
            if (readout == null) {
                return mac(layer, x, w, b);
            }
            NDArray zero = b.zerosLike();
            NDArray y = readout.read(wi, w, ww -> mac(layer, x, ww, zero));
            return y.add(layer instanceof LayerSpec.Conv ? b.reshape(1, -1, 1, 1) : b.reshape(1, -1));
        } else if (layer instanceof LayerSpec.MaxPool p) {
            return Pool.maxPool2d(x, new Shape(p.size(), p.size()), new Shape(p.size(), p.size()), new Shape(0, 0), false);
        } else if (layer instanceof LayerSpec.Relu) {
            return Activation.relu(x);
        } else if (layer instanceof LayerSpec.Flatten) {
            return x.reshape(x.getShape().get(0), -1);
        }
        throw new IllegalStateException("unknown layer " + layer);
    }

    private static NDArray mac(LayerSpec layer, NDArray x, NDArray w, NDArray b) {
        if (layer instanceof LayerSpec.Conv c) {
            return Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(c.padding(), c.padding()), new Shape(1, 1), 1)
                    .singletonOrThrow();
        }
        return Linear.linear(x, w, b).singletonOrThrow();
    }

    public List<NDArray> parameters() {
        List<NDArray> all = new ArrayList<>(weights);
        all.addAll(biases);
        return all;
    }

    public NDArray weight(int layer) {
        return weights.get(layer);
    }

    public NDArray bias(int layer) {
        return biases.get(layer);
    }

    public float[] weightValues(int layer) {
        return weights.get(layer).toFloatArray();
    }

    public float[] biasValues(int layer) {
        return biases.get(layer).toFloatArray();
    }

    public List<LayerSpec.Weighted> weightedLayers() {
        return List.copyOf(weighted);
    }

    /** Number of weights in weighted layers (biases not counted: they stay digital). */
    public long weightCount() {
        long n = 0;
        for (LayerSpec.Weighted w : weighted) {
            n += (long) w.fanIn() * w.fanOut();
        }
        return n;
    }

    public Architecture architecture() {
        return architecture;
    }

    public int channels() {
        return channels;
    }

    public int size() {
        return size;
    }

    public int classes() {
        return classes;
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
