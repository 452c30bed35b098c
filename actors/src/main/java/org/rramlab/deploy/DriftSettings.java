package org.rramlab.deploy;

import com.typesafe.config.Config;
import org.rramlab.learning.drift.DriftPolicy;

/**
 * How the supervisors hold accuracy through drift, read from {@code rramlab.deployments.drift}
 * (config/rramlab.conf says what each value does). The threshold is the deployment's own
 * ({@link DeploymentSpec#thresholdOrDefault()}).
 *
 * @param gains        "column" (a gain per output column), "layer" (one per layer) or "off"
 * @param gainBits     bits of a gain register
 * @param fractionBits of those, bits after the binary point
 * @param roundCost    accuracy points a round must promise to be worth its time
 * @param replaceCost  the same for a round that also moves the SRAM positions
 * @param movedOverlap the error map has moved when fewer than this share of the costliest errors sit on SRAM
 */
public record DriftSettings(String gains, int gainBits, int fractionBits, double roundCost, double replaceCost,
                            double movedOverlap) {
    public static final String PATH = "rramlab.deployments.drift";

    public static DriftSettings defaults() {
        return new DriftSettings("column", 8, 6, 0.05, 0.1, 0.5);
    }

    public static DriftSettings from(Config config) {
        DriftSettings d = defaults();
        if (!config.hasPath(PATH)) {
            return d;
        }
        Config c = config.getConfig(PATH);
        String gains = c.hasPath("gains") ? c.getString("gains") : d.gains();
        if (!gains.equals("column") && !gains.equals("layer") && !gains.equals("off")) {
            throw new IllegalArgumentException(PATH + ".gains must be column, layer or off, got '" + gains + "'");
        }
        return new DriftSettings(gains,
                c.hasPath("gain-bits") ? c.getInt("gain-bits") : d.gainBits(),
                c.hasPath("gain-fraction-bits") ? c.getInt("gain-fraction-bits") : d.fractionBits(),
                c.hasPath("round-cost") ? c.getDouble("round-cost") : d.roundCost(),
                c.hasPath("replace-cost") ? c.getDouble("replace-cost") : d.replaceCost(),
                c.hasPath("moved-overlap") ? c.getDouble("moved-overlap") : d.movedOverlap());
    }

    boolean compensates() {
        return !gains.equals("off");
    }

    boolean perColumn() {
        return gains.equals("column");
    }

    /** The policy for a deployment with this threshold (no refresh: a supervisor never writes its arrays). */
    DriftPolicy policy(double thresholdPoints) {
        return new DriftPolicy(thresholdPoints, roundCost, replaceCost, 1, movedOverlap);
    }
}
