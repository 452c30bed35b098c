package org.rramlab.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.rramlab.device.DevicePreset;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.data.Splits;
import org.rramlab.learning.hil.MeasuredWeights;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MappingConfig;
import org.rramlab.learning.mapping.MeasuredConductances;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.ModelMetadata;
import org.rramlab.learning.model.ModelStore;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;
import org.rramlab.learning.osa.OsaConfig;
import org.rramlab.learning.osa.OsaResult;
import org.rramlab.learning.osa.OsaRound;
import org.rramlab.learning.osa.SramBranch;

/**
 * The tensor work of one deployment: the network, its check set (validation images, {@link Splits}),
 * its calibration set (fitting images) and the teacher's logits on the calibration set. Every method blocks: call them on the adaptation dispatcher.
 */
final class AdaptationWork implements AutoCloseable {
    /** Which training images make up the calibration set (the same ones after every restart). */
    private static final long CALIBRATION_SEED = 17;

    private final Network net;
    private final String dataset;
    private final Dataset checkSet;
    private final Dataset calibration;
    private final float[] teacherLogits;
    private final double wMaxQuantile;

    private AdaptationWork(Network net, String dataset, Dataset checkSet, Dataset calibration, float[] teacherLogits,
                           double wMaxQuantile) {
        this.net = net;
        this.wMaxQuantile = wMaxQuantile;
        this.dataset = dataset;
        this.checkSet = checkSet;
        this.calibration = calibration;
        this.teacherLogits = teacherLogits;
    }

    /**
     * Loads the model, its data and, when the model names its teacher and the teacher is saved, the
     * teacher's logits on the calibration set (OSA then distils; otherwise it learns from labels).
     *
     * @throws IllegalArgumentException with what is missing and what to do
     */
    static AdaptationWork load(Path dataDir, DeploymentSpec spec) {
        ModelStore models = new ModelStore(dataDir.resolve("models"));
        if (!models.exists(spec.model())) {
            throw new IllegalArgumentException("model '" + spec.model() + "' is not saved in " + dataDir.resolve("models")
                    + "; train it first (POST /api/training-jobs) or pick one from GET /api/models");
        }
        try {
            ModelMetadata meta = models.metadata(spec.model());
            String dataset = spec.dataset() != null ? spec.dataset() : meta.dataset();
            DatasetKind kind = DatasetKind.parse(dataset);
            Splits data = Splits.of(new DatasetRepository(dataDir).load(kind));
            Network net = models.load(spec.model());
            // decisions are taken on validation images, never on the test set; calibration never overlaps them
            Dataset check = data.validation().head(spec.checkImagesOrDefault());
            Dataset calibration = data.calibration(spec.calibrationImagesOrDefault(), CALIBRATION_SEED);
            float[] logits = null;
            Object teacher = meta.training() == null ? null : meta.training().get("teacher");
            if (teacher instanceof String t && models.exists(t)) {
                try (Network teacherNet = models.load(t)) {
                    logits = Evaluator.logits(teacherNet, calibration, WeightSource.MASTER);
                }
            }
            // a device-aware student is mapped with the w_max rule it was trained for
            Object q = meta.training() == null ? null : meta.training().get("w_max_quantile");
            return new AdaptationWork(net, kind.id(), check, calibration, logits,
                    q instanceof Number n ? n.doubleValue() : 1.0);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read model '" + spec.model() + "': " + e.getMessage()
                    + "; save it again (train it again) or pick another model", e);
        }
    }

    String dataset() {
        return dataset;
    }

    /** Plans the network onto arrays of the given shape named prefix-0, prefix-1, ... */
    WeightMapping plan(DevicePreset preset, String arrayPrefix) {
        return Mapper.plan(net, preset, MappingConfig.defaults().withWMaxQuantile(wMaxQuantile), arrayPrefix);
    }

    double softwareAccuracy() {
        return Evaluator.accuracy(net, checkSet, WeightSource.MASTER);
    }

    /** The network as measured, alone and with the corrections ({@code branch} may be null). */
    Measured check(WeightMapping mapping, MeasuredConductances conductances, SramBranch branch) {
        long t0 = System.nanoTime();
        List<float[]> weights = conductances.effectiveWeights(mapping);
        double raw = accuracy(weights);
        double corrected = branch == null ? raw : accuracy(branch.addTo(weights));
        return new Measured(weights, raw, corrected, checkSet.count(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * An OSA round on the measured weights; they are not changed, only the SRAM branch is learned.
     * The first round places it by importance sampling; later rounds keep its positions and train
     * its values on from {@code previous}, as the arrays drift.
     */
    OsaResult adapt(List<float[]> measured, OsaConfig config, SramBranch previous) {
        return previous == null
                ? OsaRound.run(net, measured, calibration, teacherLogits, checkSet, config, e -> { })
                : OsaRound.refine(net, measured, calibration, teacherLogits, checkSet, config, previous, e -> { });
    }

    private double accuracy(List<float[]> weights) {
        try (MeasuredWeights source = new MeasuredWeights(net, weights)) {
            return Evaluator.accuracy(net, checkSet, source);
        }
    }

    @Override
    public void close() {
        net.close();
    }

    record Measured(List<float[]> weights, double rawAccuracy, double accuracy, int images, double evalSeconds) {}
}
