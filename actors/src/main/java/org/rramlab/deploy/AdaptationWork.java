package org.rramlab.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.rramlab.device.DevicePreset;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.data.Splits;
import org.rramlab.learning.drift.ColumnGains;
import org.rramlab.learning.osa.Hardware;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MappingConfig;
import org.rramlab.learning.mapping.MeasuredConductances;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.ModelMetadata;
import org.rramlab.learning.model.ModelStore;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;
import org.rramlab.learning.osa.Importance;
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

    /**
     * The network as measured: alone, as it computes now (the gains and SRAM in place) and with gains
     * estimated from these reads; when it has fallen more than {@code threshold} points under
     * {@code reference}, also where the costliest errors lie against the SRAM positions.
     *
     * When a refresh may write devices ({@code budget}), it also plans one: the devices of largest
     * importance x error outside the SRAM positions, and the conductances that give their targets again.
     *
     * @param gains the gains in place, null for none
     */
    Measured check(WeightMapping mapping, MeasuredConductances conductances, SramBranch branch, ColumnGains gains,
                   DriftSettings drift, double reference, double threshold, RefreshBudget budget) {
        long t0 = System.nanoTime();
        List<float[]> weights = conductances.effectiveWeights(mapping);
        double raw = accuracy(weights);
        double now = accuracy(branch, gains == null ? weights : gains.apply(mapping, weights));
        ColumnGains fresh = drift.compensates()
                ? ColumnGains.estimate(mapping, weights, drift.perColumn(), drift.gainBits(), drift.fractionBits()) : null;
        List<float[]> compensated = fresh == null ? weights : fresh.apply(mapping, weights);
        double recompensated = fresh == null ? now : accuracy(branch, compensated);
        double overlap = 1;
        RefreshPlan refresh = null;
        boolean declined = !Double.isNaN(reference) && 100 * (reference - recompensated) > threshold;
        if (declined && (branch != null || budget.devices() > 0)) {
            List<float[]> importance = Importance.compute(net, withBranch(branch, compensated), calibration, 256)
                    .meanAbsGradient();
            overlap = branch == null ? 1 : overlap(compensated, branch, importance);
            if (budget.devices() > 0) {
                ColumnGains g = fresh != null ? fresh
                        : ColumnGains.identity(mapping, drift.perColumn(), drift.gainBits(), drift.fractionBits());
                refresh = RefreshPlanner.plan(mapping, conductances, g, compensated, withoutSram(importance, branch),
                        budget);
            }
        }
        return new Measured(compensated, raw, now, fresh, recompensated, overlap, refresh, checkSet.count(),
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The repair after programming ({@code ProgrammingRepair} without its partner writes): the devices of the
     * {@code budget} weights whose error costs most, importance taken on the weights as read, no gains yet.
     *
     * @return null when no device is worth writing
     */
    RefreshPlan repair(WeightMapping mapping, MeasuredConductances conductances, DriftSettings drift,
                       RefreshBudget budget) {
        if (budget.devices() == 0) {
            return null;
        }
        List<float[]> weights = conductances.effectiveWeights(mapping);
        List<float[]> importance = Importance.compute(net, weights, calibration, 256).meanAbsGradient();
        ColumnGains none = ColumnGains.identity(mapping, drift.perColumn(), drift.gainBits(), drift.fractionBits());
        return RefreshPlanner.plan(mapping, conductances, none, weights, importance, budget);
    }

    /** The SRAM corrects its own positions: a refresh looks elsewhere. */
    private static List<float[]> withoutSram(List<float[]> importance, SramBranch branch) {
        return branch == null ? importance : branch.zeroAtPositions(importance);
    }

    private static List<float[]> withBranch(SramBranch branch, List<float[]> weights) {
        return branch == null ? weights : branch.addTo(weights);
    }

    /** Share of the costliest errors (importance x |measured - intended|, as many as the SRAM holds) on SRAM positions. */
    private double overlap(List<float[]> compensated, SramBranch branch, List<float[]> importance) {
        int k = (int) branch.count();
        java.util.PriorityQueue<long[]> top = new java.util.PriorityQueue<>((a, b) -> Double.compare(
                Double.longBitsToDouble(a[2]), Double.longBitsToDouble(b[2])));
        for (int l = 0; l < compensated.size(); l++) {
            float[] w = compensated.get(l);
            float[] intended = net.weightValues(l);
            for (int i = 0; i < w.length; i++) {
                double score = importance.get(l)[i] * Math.abs(w[i] - intended[i]);
                if (top.size() < k || score > Double.longBitsToDouble(top.peek()[2])) {
                    top.add(new long[] {l, i, Double.doubleToLongBits(score)});
                    if (top.size() > k) {
                        top.poll();
                    }
                }
            }
        }
        java.util.Set<Long> sram = new java.util.HashSet<>();
        for (SramBranch.Layer layer : branch.layers()) {
            for (int p : layer.positions()) {
                sram.add(((long) layer.layer() << 32) | p);
            }
        }
        long hits = top.stream().filter(t -> sram.contains((t[0] << 32) | t[1])).count();
        return k == 0 ? 1 : (double) hits / k;
    }

    /**
     * An OSA round on the measured (compensated) weights; they are not changed, only the SRAM branch
     * is learned. Without a previous branch, or when {@code replace}, positions are drawn anew by
     * importance within the same budget; otherwise they stay and their values train on from {@code previous}.
     */
    OsaResult adapt(List<float[]> measured, OsaConfig config, SramBranch previous, boolean replace) {
        // a re-placement keeps the digital offsets: they are not tied to the positions
        return previous == null || replace
                ? OsaRound.run(net, measured, calibration, teacherLogits, checkSet, config, null, null, previous,
                        e -> { })
                : OsaRound.refine(net, measured, calibration, teacherLogits, checkSet, config, previous, e -> { });
    }

    private double accuracy(List<float[]> weights) {
        return accuracy(null, weights);
    }

    /** With the branch's SRAM weights added and its offsets in the bias registers (null: the weights alone). */
    private double accuracy(SramBranch branch, List<float[]> weights) {
        return Hardware.accuracy(net, checkSet, weights, branch, null);
    }

    @Override
    public void close() {
        net.close();
    }

    /**
     * @param weights       the measured weights with the fresh gains applied (those a round trains on)
     * @param accuracy      as the network computes now: the gains and SRAM in place
     * @param gains         gains estimated from these reads, null when compensation is off
     * @param recompensated with those gains and the SRAM in place
     * @param overlap       share of the costliest errors on SRAM positions (1 when not looked at)
     * @param refresh       the refresh the budget allows now, null when none was planned
     */
    record Measured(List<float[]> weights, double rawAccuracy, double accuracy, ColumnGains gains,
                    double recompensated, double overlap, RefreshPlan refresh, int images, double evalSeconds) {
        Measured withRefresh(RefreshPlan plan) {
            return new Measured(weights, rawAccuracy, accuracy, gains, recompensated, overlap, plan, images, evalSeconds);
        }
    }
}
