package org.rramlab.deploy;

import com.typesafe.config.Config;
import org.rramlab.learning.osa.OsaConfig;

/**
 * How the supervisors train an SRAM branch, read from {@code rramlab.deployments.osa}
 * (config/rramlab.conf says what each value does). The per-deployment choices (budget, placement,
 * bits, epochs) are in the {@link DeploymentSpec}.
 *
 * @param batchSize          calibration images per step
 * @param firstLearningRate  the first round's step size
 * @param laterLearningRate  later rounds refine trained values: a smaller step keeps what they correct
 * @param seed               seed of the first round; round n uses seed + n, so rounds differ yet repeat
 * @param alpha              weight of the label loss against the teacher's (distillation)
 * @param temperature        distillation temperature
 * @param offsets            rounds also train a digital offset per output column, held in the bias registers
 */
public record OsaSettings(int batchSize, double firstLearningRate, double laterLearningRate, long seed, double alpha,
                          double temperature, boolean offsets) {
    public static final String PATH = "rramlab.deployments.osa";

    /** The values config/rramlab.conf ships with. */
    public static OsaSettings defaults() {
        return new OsaSettings(64, 1e-3, 3e-4, 7, 0.5, 2.0, true);
    }

    public static OsaSettings from(Config config) {
        OsaSettings d = defaults();
        if (!config.hasPath(PATH)) {
            return d;
        }
        Config c = config.getConfig(PATH);
        return new OsaSettings(
                c.hasPath("batch-size") ? c.getInt("batch-size") : d.batchSize(),
                c.hasPath("learning-rate.first") ? c.getDouble("learning-rate.first") : d.firstLearningRate(),
                c.hasPath("learning-rate.later") ? c.getDouble("learning-rate.later") : d.laterLearningRate(),
                c.hasPath("seed") ? c.getLong("seed") : d.seed(),
                c.hasPath("alpha") ? c.getDouble("alpha") : d.alpha(),
                c.hasPath("temperature") ? c.getDouble("temperature") : d.temperature(),
                c.hasPath("offsets") ? c.getBoolean("offsets") : d.offsets());
    }

    /** The configuration of round {@code number} (1 = the first). */
    OsaConfig round(DeploymentSpec spec, int number) {
        return new OsaConfig(spec.sramFractionOrDefault(), spec.placementOrDefault(), spec.bitsOrDefault(),
                spec.osaEpochsOrDefault(), batchSize, number == 1 ? firstLearningRate : laterLearningRate,
                seed + number - 1, alpha, temperature).withOffsets(offsets);
    }
}
