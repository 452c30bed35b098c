package org.rramlab.learning.osa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.hil.ColumnAdc;
import org.rramlab.learning.hil.MeasuredWeights;
import org.rramlab.learning.model.ColumnReadout;
import org.rramlab.learning.kd.TrainConfig;
import org.rramlab.learning.kd.Trainer;
import org.rramlab.learning.kd.TrainingEvent;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.Torch;
import org.rramlab.learning.model.WeightSource;

/**
 * On-line sparse adaptation: with the RRAM weights as measured (never changed), add a sparse SRAM
 * branch in parallel at chosen positions and train only it on calibration data.
 * The forward weight is {@code measured + mask * Q(s)}, Q the signed fixed-point quantizer with a
 * straight-through gradient. The branch starts at the measured error (intended - measured) at its
 * positions, clipped to its range, so that training refines a correction rather than finding it from zero.
 */
public final class OsaRound {
    /**
     * Offsets train as this multiple of their parameters, so that Adam's step in offset units is this many
     * times the SRAM weights' (a bias moves a whole column). 30 was chosen on the drift benchmark's tuning
     * chips, validation images only, against 1, 10 and 100 (docs/drift.md).
     */
    static final float OFFSET_STEP = 30f;

    private OsaRound() {}

    /**
     * @param net          the network that was mapped: its weights are the intended ones, its biases are used
     * @param measured     weights rebuilt from the arrays, per layer (left untouched)
     * @param calibration  data the branch is trained on
     * @param teacherLogits logits of a teacher on {@code calibration}, or null to train on labels only
     * @param test         data the result is measured on
     */
    public static OsaResult run(Network net, List<float[]> measured, Dataset calibration, float[] teacherLogits,
                                Dataset test, OsaConfig config, Consumer<TrainingEvent> listener) {
        return run(net, measured, calibration, teacherLogits, test, config, null, listener);
    }

    /** As above, with importance already computed for these measured weights (it does not depend on the budget). */
    public static OsaResult run(Network net, List<float[]> measured, Dataset calibration, float[] teacherLogits,
                                Dataset test, OsaConfig config, Importance known, Consumer<TrainingEvent> listener) {
        return run(net, measured, calibration, teacherLogits, test, config, known, null, listener);
    }

    /**
     * As above, with the RRAM part read through the column ADCs ({@code adc}; null: exact MAC) in training
     * and in the accuracies the result reports; the SRAM part is digital and added behind the ADCs.
     */
    public static OsaResult run(Network net, List<float[]> measured, Dataset calibration, float[] teacherLogits,
                                Dataset test, OsaConfig config, Importance known, ColumnAdc adc,
                                Consumer<TrainingEvent> listener) {
        return run(net, measured, calibration, teacherLogits, test, config, known, adc, null, listener);
    }

    /**
     * As above, new positions with the digital offsets of {@code kept} (a re-placement keeps them: they
     * start this round's training instead of zeros; null: none).
     */
    public static OsaResult run(Network net, List<float[]> measured, Dataset calibration, float[] teacherLogits,
                                Dataset test, OsaConfig config, Importance known, ColumnAdc adc, SramBranch kept,
                                Consumer<TrainingEvent> listener) {
        long t0 = System.nanoTime();
        List<float[]> intended = intended(net, measured.size());
        long total = measured.stream().mapToLong(a -> a.length).sum();
        int k = (int) Math.round(config.sramFraction() * total);
        Importance importance = known != null ? known
                : config.placement() == Placement.RANDOM ? zeroImportance(measured)
                : Importance.compute(net, measured, calibration, 256);
        List<int[]> positions = PositionSampler.choose(config.placement(), k, importance, intended, measured,
                config.seed());
        SramBranch offsetsOnly = kept == null || !kept.hasOffsets() ? null
                : new SramBranch(kept.bits(), List.of(), kept.offsets());
        return train(net, measured, intended, positions, offsetsOnly, calibration, teacherLogits, test, config, adc, t0,
                listener);
    }

    /**
     * A later round of on-line adaptation: the SRAM weights stay where {@code previous} put them
     * (positions are chosen once, when the network is deployed) and their values, starting from
     * the previous ones, are trained again on the weights as measured now, after drift.
     */
    public static OsaResult refine(Network net, List<float[]> measured, Dataset calibration, float[] teacherLogits,
                                   Dataset test, OsaConfig config, SramBranch previous, Consumer<TrainingEvent> listener) {
        long t0 = System.nanoTime();
        List<int[]> positions = new ArrayList<>();
        for (int l = 0; l < measured.size(); l++) {
            positions.add(new int[0]);
        }
        for (SramBranch.Layer layer : previous.layers()) {
            positions.set(layer.layer(), layer.positions());
        }
        return train(net, measured, intended(net, measured.size()), positions, previous, calibration, teacherLogits, test,
                config, null, t0, listener);
    }

    private static List<float[]> intended(Network net, int layers) {
        List<float[]> intended = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            intended.add(net.weightValues(l));
        }
        return intended;
    }

    private static OsaResult train(Network net, List<float[]> measured, List<float[]> intended, List<int[]> positions,
                                   SramBranch previous, Dataset calibration, float[] teacherLogits, Dataset test,
                                   OsaConfig config, ColumnAdc adc, long t0, Consumer<TrainingEvent> listener) {
        double before = Hardware.accuracy(net, test, measured, null, adc);
        long total = measured.stream().mapToLong(a -> a.length).sum();
        double importanceSeconds = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        int qmax = (1 << (config.bits() - 1)) - 1;
        List<SramBranch.Layer> layers = new ArrayList<>();
        List<float[]> trainedOffsets = new ArrayList<>();
        double accuracy;
        try (NDManager manager = Torch.newManager();
             MeasuredWeights base = new MeasuredWeights(net, measured)) {
            List<NDArray> s = new ArrayList<>();
            List<NDArray> masks = new ArrayList<>();
            double[] scales = new double[measured.size()];
            for (int l = 0; l < measured.size(); l++) {
                float[] init = new float[measured.get(l).length];
                float[] mask = new float[init.length];
                // start from the previous values where there are any, else from the measured error
                float[] start = new float[init.length];
                for (int p : positions.get(l)) {
                    start[p] = config.startFromError() ? intended.get(l)[p] - measured.get(l)[p] : 0f;
                }
                SramBranch.Layer earlier = previous == null ? null : previous.layer(l);
                if (earlier != null) {
                    for (int i = 0; i < earlier.positions().length; i++) {
                        start[earlier.positions()[i]] = (float) (earlier.codes()[i] * earlier.scale());
                    }
                }
                double range = 0;
                for (int p : positions.get(l)) {
                    range = Math.max(range, Math.max(Math.abs(start[p]), Math.abs(intended.get(l)[p] - measured.get(l)[p])));
                }
                if (config.weightScale()) {
                    double wMax = 0;
                    for (float v : intended.get(l)) {
                        wMax = Math.max(wMax, Math.abs(v));
                    }
                    scales[l] = wMax > 0 ? wMax / qmax : 1.0;
                } else {
                    scales[l] = range > 0 ? range / qmax : 1.0;
                }
                for (int p : positions.get(l)) {
                    mask[p] = 1f;
                    init[p] = start[p];
                }
                Shape shape = new Shape(net.weightedLayers().get(l).weightShape());
                NDArray sl = manager.create(init, shape);
                sl.setRequiresGradient(true);
                s.add(sl);
                masks.add(manager.create(mask, shape));
            }
            WeightSource source = adc == null
                    ? (l, master) -> base.array(l).add(quantize(s.get(l), scales[l], qmax).mul(masks.get(l)))
                    : (l, master) -> base.array(l);
            // behind the ADCs the corrections are digital: ADC(RRAM MAC) + exact MAC of the SRAM weights
            ColumnReadout readout = adc == null ? null : (l, w, mac) -> adc.read(l, w, mac)
                    .add(mac.apply(quantize(s.get(l), scales[l], qmax).mul(masks.get(l))));
            // the offsets, when trained now or before, start from the previous round's
            List<NDArray> offsets = config.trainOffsets() || (previous != null && previous.hasOffsets())
                    ? startOffsets(net, previous, manager, config.trainOffsets()) : null;
            List<NDArray> trainable = new ArrayList<>();
            for (int l = 0; l < s.size(); l++) {
                if (positions.get(l).length > 0) {
                    trainable.add(s.get(l));
                }
            }
            if (config.trainOffsets()) {
                trainable.addAll(offsets);
            }
            if (!trainable.isEmpty() && config.epochs() > 0) {
                TrainConfig tc = new TrainConfig(config.epochs(), config.batchSize(), config.learningRate(),
                        config.seed(), teacherLogits == null ? 1.0 : config.alpha(), config.temperature());
                Trainer.fit("osa", manager, x -> net.forward(x, source, false, readout,
                                offsets == null ? null : Offsets.scaled(offsets, OFFSET_STEP)), trainable, calibration,
                        teacherLogits, tc, null, listener);
            }
            accuracy = Evaluator.accuracy(net, test, source, readout,
                    offsets == null ? null : Offsets.scaled(offsets, OFFSET_STEP));
            for (int l = 0; l < measured.size(); l++) {
                int[] pos = positions.get(l);
                if (pos.length == 0) {
                    continue;
                }
                float[] values = s.get(l).toFloatArray();
                int[] codes = new int[pos.length];
                for (int i = 0; i < pos.length; i++) {
                    codes[i] = (int) Math.max(-qmax - 1, Math.min(qmax, Math.round(values[pos[i]] / scales[l])));
                }
                layers.add(new SramBranch.Layer(l, pos, codes, scales[l]));
            }
            if (offsets != null) {
                offsets.forEach(o -> trainedOffsets.add(o.mul(OFFSET_STEP).toFloatArray()));
            }
        }
        SramBranch branch = new SramBranch(config.bits(), List.copyOf(layers), trainedOffsets);
        return new OsaResult(config.placement(), branch.count(), (double) branch.count() / total, before, accuracy,
                branch, importanceSeconds, (System.nanoTime() - t1) / 1e9);
    }

    /** Per weighted layer, the previous round's offsets (or zeros), as arrays of {@code manager}. */
    private static List<NDArray> startOffsets(Network net, SramBranch previous, NDManager manager, boolean trainable) {
        List<NDArray> out = new ArrayList<>();
        for (int l = 0; l < net.weightedLayers().size(); l++) {
            float[] earlier = previous == null ? null : previous.offset(l);
            float[] start = new float[net.weightedLayers().get(l).fanOut()];
            for (int i = 0; earlier != null && i < start.length; i++) {
                start[i] = earlier[i] / OFFSET_STEP;
            }
            NDArray o = manager.create(start);
            if (trainable) {
                o.setRequiresGradient(true);
            }
            out.add(o);
        }
        return out;
    }

    /** Signed fixed point with a straight-through gradient. */
    static NDArray quantize(NDArray s, double scale, int qmax) {
        float sc = (float) scale;
        NDArray q = s.div(sc).round().clip(-qmax - 1, qmax).mul(sc);
        return s.add(q.sub(s).stopGradient());
    }

    private static Importance zeroImportance(List<float[]> measured) {
        List<float[]> zeros = new ArrayList<>();
        for (float[] w : measured) {
            zeros.add(new float[w.length]);
        }
        return new Importance(zeros, zeros);
    }
}
