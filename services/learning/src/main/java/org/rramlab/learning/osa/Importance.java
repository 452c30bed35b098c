package org.rramlab.learning.osa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.kd.KdLoss;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.Torch;

/**
 * Per-weight importance from gradients of the cross-entropy through the measured network on
 * calibration data: the mean |gradient| over batches (the paper's criterion) and the mean squared
 * gradient (an empirical Fisher, used to weigh measured errors).
 */
public record Importance(List<float[]> meanAbsGradient, List<float[]> fisher) {

    public static Importance compute(Network net, List<float[]> measured, Dataset calibration, int batchSize) {
        int layers = measured.size();
        List<float[]> abs = new ArrayList<>();
        List<float[]> sq = new ArrayList<>();
        for (float[] w : measured) {
            abs.add(new float[w.length]);
            sq.add(new float[w.length]);
        }
        int batches = 0;
        int classes = net.classes();
        float[] pixels = new float[batchSize * calibration.imageSize()];
        int[] labels = new int[batchSize];
        float[] oneHot = new float[batchSize * classes];
        Torch.GRADIENT_LOCK.lock();
        try (NDManager manager = Torch.newManager()) {
            List<NDArray> weights = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                NDArray w = manager.create(measured.get(l), new Shape(net.weightedLayers().get(l).weightShape()));
                w.setRequiresGradient(true);
                weights.add(w);
            }
            for (int from = 0; from < calibration.count(); from += batchSize) {
                int to = Math.min(from + batchSize, calibration.count());
                int m = to - from;
                calibration.gather(null, from, to, pixels, labels);
                java.util.Arrays.fill(oneHot, 0f);
                for (int i = 0; i < m; i++) {
                    oneHot[i * classes + labels[i]] = 1f;
                }
                try (NDScope scope = new NDScope()) {
                    NDArray x = manager.create(FloatBuffer.wrap(pixels, 0, m * calibration.imageSize()),
                            new Shape(m, calibration.channels(), calibration.height(), calibration.width()));
                    NDArray y = manager.create(FloatBuffer.wrap(oneHot, 0, m * classes), new Shape(m, classes));
                    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        NDArray logits = net.forward(x, (l, master) -> weights.get(l), false);
                        gc.backward(KdLoss.compute(logits, null, y, 1, 1));
                    }
                    for (int l = 0; l < layers; l++) {
                        float[] g = weights.get(l).getGradient().toFloatArray();
                        float[] a = abs.get(l);
                        float[] s = sq.get(l);
                        for (int i = 0; i < g.length; i++) {
                            a[i] += Math.abs(g[i]);
                            s[i] += g[i] * g[i];
                        }
                        JniUtils.zeroGrad((PtNDArray) weights.get(l));
                    }
                }
                batches++;
            }
        } finally {
            Torch.GRADIENT_LOCK.unlock();
        }
        for (int l = 0; l < layers; l++) {
            float[] a = abs.get(l);
            float[] s = sq.get(l);
            for (int i = 0; i < a.length; i++) {
                a[i] /= batches;
                s[i] /= batches;
            }
        }
        return new Importance(abs, sq);
    }
}
