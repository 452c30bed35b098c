package org.rramlab.learning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.rramlab.learning.data.Dataset;

/** Accuracy and logits of a network over a dataset, without gradients, batch by batch. */
public final class Evaluator {
    private static final int BATCH = 1000;

    private Evaluator() {}

    /** Fraction of images classified correctly, in [0, 1]. */
    public static double accuracy(Network net, Dataset data, WeightSource source) {
        return accuracy(net, data, source, null);
    }

    /** Accuracy with every layer's MAC read out through {@code readout} (null: exactly). */
    public static double accuracy(Network net, Dataset data, WeightSource source, ColumnReadout readout) {
        return accuracy(net, data, source, readout, null);
    }

    /** As above, with digital offsets added to the biases ({@link Network#forward}; null: none). */
    public static double accuracy(Network net, Dataset data, WeightSource source, ColumnReadout readout,
                                  List<NDArray> offsets) {
        float[] logits = logits(net, data, source, readout, offsets);
        int classes = net.classes();
        int correct = 0;
        for (int i = 0; i < data.count(); i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + best]) {
                    best = c;
                }
            }
            if (best == data.labels()[i]) {
                correct++;
            }
        }
        return (double) correct / data.count();
    }

    /** Logits of every image, {@code count x classes} row-major. */
    public static float[] logits(Network net, Dataset data, WeightSource source) {
        return logits(net, data, source, null);
    }

    /** Logits with every layer's MAC read out through {@code readout} (null: exactly). */
    public static float[] logits(Network net, Dataset data, WeightSource source, ColumnReadout readout) {
        return logits(net, data, source, readout, null);
    }

    /** As above, with digital offsets added to the biases (null: none). */
    public static float[] logits(Network net, Dataset data, WeightSource source, ColumnReadout readout,
                                 List<NDArray> offsets) {
        int classes = net.classes();
        float[] out = new float[data.count() * classes];
        float[] pixels = new float[BATCH * data.imageSize()];
        int[] labels = new int[BATCH];
        NDManager m = net.manager();
        for (int from = 0; from < data.count(); from += BATCH) {
            int to = Math.min(from + BATCH, data.count());
            int n = to - from;
            data.gather(null, from, to, pixels, labels);
            try (NDScope scope = new NDScope()) {
                NDArray x = m.create(java.nio.FloatBuffer.wrap(pixels, 0, n * data.imageSize()),
                        new Shape(n, data.channels(), data.height(), data.width()));
                NDArray y = net.forward(x, source, false, readout, offsets);
                System.arraycopy(y.toFloatArray(), 0, out, from * classes, n * classes);
            }
        }
        return out;
    }
}
