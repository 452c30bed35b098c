package org.rramlab.learning.hil;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.model.ColumnReadout;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.LayerSpec;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.Scoped;
import org.rramlab.learning.model.Torch;

/**
 * The column ADCs of the crossbars: each tile of {@code tileRows} inputs delivers its partial sums (one
 * per differential column pair) through a signed {@code bits}-bit converter whose full scale was set once,
 * at design time, from calibration images and the intended weights (the largest |partial sum| seen); a
 * partial sum beyond it clips. The tiles' digital codes are then added, as the shift-add and adder tree
 * do. The gradient passes straight through (for OSA training of the layers behind).
 *
 * <p>The same bits and tile height are charged by the area model. Not thread-safe.
 */
public final class ColumnAdc implements ColumnReadout, AutoCloseable {
    private final int bits;
    private final int tileRows;
    private final double[][] fullScale;
    private final NDManager manager = Torch.newManager();
    private final List<List<NDArray>> masks = new ArrayList<>();
    private final List<LayerSpec.Weighted> layers;

    private ColumnAdc(Network net, int bits, int tileRows, double[][] fullScale) {
        this.bits = bits;
        this.tileRows = tileRows;
        this.fullScale = fullScale;
        this.layers = net.weightedLayers();
        for (LayerSpec.Weighted l : layers) {
            List<NDArray> m = new ArrayList<>();
            int tiles = tiles(l);
            for (int t = 0; tiles > 1 && t < tiles; t++) {
                float[] mask = new float[l.fanIn() * l.fanOut()];
                for (int i = 0; i < mask.length; i++) {
                    int row = i % l.fanIn();
                    mask[i] = row >= t * tileRows && row < (t + 1) * tileRows ? 1f : 0f;
                }
                m.add(manager.create(mask, new Shape(l.weightShape())));
            }
            masks.add(m);
        }
    }

    /**
     * ADCs whose full scale per tile is the largest |partial sum| of {@code weights} (the intended,
     * quantized weights) over {@code images}.
     *
     * @param bits converter resolution, 2..16
     */
    public static ColumnAdc calibrate(Network net, List<float[]> weights, Dataset images, int bits, int tileRows) {
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("ADC bits must be 2..16 (or ideal), got " + bits);
        }
        List<LayerSpec.Weighted> layers = net.weightedLayers();
        double[][] peak = new double[layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            peak[l] = new double[tiles(layers.get(l), tileRows)];
        }
        try (ColumnAdc probe = new ColumnAdc(net, 0, tileRows, peak);
             MeasuredWeights source = new MeasuredWeights(net, weights)) {
            Evaluator.logits(net, images, source, probe::record);
        }
        for (double[] p : peak) {
            for (int t = 0; t < p.length; t++) {
                p[t] = p[t] > 0 ? p[t] : 1e-6;
            }
        }
        return new ColumnAdc(net, bits, tileRows, peak);
    }

    public int bits() {
        return bits;
    }

    /** Full scale of each tile's converters, per layer (for records and tests). */
    public double[][] fullScale() {
        return fullScale;
    }

    @Override
    public NDArray read(int layer, NDArray weight, UnaryOperator<NDArray> mac) {
        List<NDArray> m = masks.get(layer);
        if (m.isEmpty()) {
            return convert(mac.apply(weight), fullScale[layer][0]);
        }
        // tile by tile, each in its own scope: a layer holds one tile's tensors and the running sum (Scoped)
        NDArray sum = null;
        for (int t = 0; t < m.size(); t++) {
            NDArray mask = m.get(t);
            double scale = fullScale[layer][t];
            NDArray y = Scoped.run(() -> convert(mac.apply(weight.mul(mask)), scale));
            sum = sum == null ? y : add(sum, y);
        }
        return sum;
    }

    /**
     * Signed uniform quantizer over [-fullScale, fullScale] with 2^bits - 1 codes, straight-through gradient: the
     * rounding error is computed on a detached copy, so autograd records nothing of it, and each step's tensor is
     * closed once the next is made.
     */
    NDArray convert(NDArray y, double scale) {
        int codes = (1 << (bits - 1)) - 1;
        float step = (float) (scale / codes);
        NDArray detached = y.stopGradient();
        NDArray q = detached.div(step);
        q = Scoped.then(q, NDArray::round);
        q = Scoped.then(q, a -> a.clip(-codes, codes));
        q = Scoped.then(q, a -> a.mul(step));
        q.subi(detached);
        NDArray out = y.add(q);
        Scoped.drop(q);
        Scoped.drop(detached);
        return out;
    }

    /** Calibration pass: exact MAC, remembering the largest |partial sum| of each tile. */
    private NDArray record(int layer, NDArray weight, UnaryOperator<NDArray> mac) {
        List<NDArray> m = masks.get(layer);
        if (m.isEmpty()) {
            NDArray y = mac.apply(weight);
            fullScale[layer][0] = Math.max(fullScale[layer][0], peak(y));
            return y;
        }
        NDArray sum = null;
        for (int t = 0; t < m.size(); t++) {
            NDArray mask = m.get(t);
            int tile = t;
            NDArray y = Scoped.run(() -> {
                NDArray partial = mac.apply(weight.mul(mask));
                fullScale[layer][tile] = Math.max(fullScale[layer][tile], peak(partial));
                return partial;
            });
            sum = sum == null ? y : add(sum, y);
        }
        return sum;
    }

    /** The largest |value|, with its temporaries closed at once. */
    private static double peak(NDArray y) {
        try (NDScope scope = new NDScope()) {
            return y.abs().max().getFloat();
        }
    }

    /** {@code sum + y}, both closed: the running sum over tiles holds one tensor. */
    private static NDArray add(NDArray sum, NDArray y) {
        NDArray next = sum.add(y);
        Scoped.drop(sum);
        Scoped.drop(y);
        return next;
    }

    private int tiles(LayerSpec.Weighted l) {
        return tiles(l, tileRows);
    }

    private static int tiles(LayerSpec.Weighted l, int tileRows) {
        return (l.fanIn() + tileRows - 1) / tileRows;
    }

    @Override
    public void close() {
        manager.close();
    }
}
