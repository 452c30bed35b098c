package org.rramlab.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rramlab.node.RunMetadata;
import org.rramlab.learning.osa.Placement;
import org.rramlab.serialization.CborSerializable;

/**
 * A trained network to put on arrays and keep accurate. Every field but {@code model} has a
 * default (see the accessors); the JSON body of POST /api/deployments uses the snake_case names.
 *
 * @param model                 id of a saved model (GET /api/models): the network to deploy
 * @param dataset               its dataset ("mnist", "fashion-mnist"); default: the model's own
 * @param arrayPrefix           tiles go on arrays "prefix-0", "prefix-1", ...; default: the deployment id
 * @param simulated             register simulated arrays where none is registered yet (default true);
 *                              false: the arrays must be registered (e.g. behind a probe station)
 * @param preset                device preset of simulated arrays; default: the node's statistics preset
 * @param seed                  seed of the first simulated array (the next ones count up)
 * @param sramFraction          SRAM weights per RRAM weight an OSA round may use (default 0.005)
 * @param placement             where OSA puts SRAM weights: measured (default), importance or random
 * @param thresholdPoints       within this many validation points of the last round's result a check does
 *                              nothing but new gains (default 0.1, chosen on the drift benchmark's tuning chips)
 * @param checkIntervalSeconds  wall-clock seconds between HIL accuracy checks (default 30)
 * @param checkImages           validation images a check classifies (default 10,000: all of them, 5,000 for MNIST)
 * @param calibrationImages     training images an OSA round learns from (default 2,000)
 * @param osaEpochs             epochs of an OSA round over the calibration images (default 4)
 * @param bits                  bits of an SRAM weight (default 8)
 * @param metadata              free-form run metadata (sample, wafer, operator, notes; see {@link RunMetadata});
 *                              null in journals older than it
 */
public record DeploymentSpec(String model, String dataset, String arrayPrefix, Boolean simulated, String preset,
                             Long seed, Double sramFraction, String placement, Double thresholdPoints,
                             Double checkIntervalSeconds, Integer checkImages, Integer calibrationImages,
                             Integer osaEpochs, Integer bits, Map<String, Object> metadata) implements CborSerializable {

    /** A spec without metadata. */
    public DeploymentSpec(String model, String dataset, String arrayPrefix, Boolean simulated, String preset,
                          Long seed, Double sramFraction, String placement, Double thresholdPoints,
                          Double checkIntervalSeconds, Integer checkImages, Integer calibrationImages,
                          Integer osaEpochs, Integer bits) {
        this(model, dataset, arrayPrefix, simulated, preset, seed, sramFraction, placement, thresholdPoints,
                checkIntervalSeconds, checkImages, calibrationImages, osaEpochs, bits, null);
    }

    public DeploymentSpec {
        metadata = RunMetadata.normalized(metadata);
    }

    public Map<String, Object> metadataOrEmpty() {
        return metadata == null ? Map.of() : metadata;
    }

    public static DeploymentSpec of(String model) {
        return new DeploymentSpec(model, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public String arrayPrefixOr(String deploymentId) {
        return arrayPrefix == null ? deploymentId : arrayPrefix;
    }

    public boolean simulatedOrTrue() {
        return simulated == null || simulated;
    }

    public long seedOrOne() {
        return seed == null ? 1 : seed;
    }

    public double sramFractionOrDefault() {
        return sramFraction == null ? 0.005 : sramFraction;
    }

    public Placement placementOrDefault() {
        return placement == null ? Placement.MEASURED : Placement.valueOf(placement.toUpperCase().replace('-', '_'));
    }

    public double thresholdOrDefault() {
        return thresholdPoints == null ? 0.1 : thresholdPoints;
    }

    public double checkIntervalOrDefault() {
        return checkIntervalSeconds == null ? 30 : checkIntervalSeconds;
    }

    public int checkImagesOrDefault() {
        return checkImages == null ? 10_000 : checkImages;
    }

    public int calibrationImagesOrDefault() {
        return calibrationImages == null ? 2_000 : calibrationImages;
    }

    public int osaEpochsOrDefault() {
        return osaEpochs == null ? 4 : osaEpochs;
    }

    public int bitsOrDefault() {
        return bits == null ? 8 : bits;
    }

    /** Everything wrong with the spec, each saying what to give instead; empty when it is usable. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (model == null || model.isBlank()) {
            out.add("model: give the id of a saved model (GET /api/models lists them)");
        }
        if (sramFraction != null && !(sramFraction >= 0 && sramFraction <= 0.5)) {
            out.add("sram_fraction must be in 0..0.5 (0.005: one SRAM weight per 200 RRAM weights), got " + sramFraction);
        }
        if (placement != null) {
            try {
                placementOrDefault();
            } catch (IllegalArgumentException e) {
                out.add("placement: unknown \"" + placement + "\"; use measured, importance or random");
            }
        }
        if (thresholdPoints != null && !(thresholdPoints > 0 && thresholdPoints <= 100)) {
            out.add("threshold_points must be in (0, 100] accuracy points, got " + thresholdPoints);
        }
        if (checkIntervalSeconds != null && !(checkIntervalSeconds >= 1 && checkIntervalSeconds <= 86_400)) {
            out.add("check_interval_seconds must be in 1..86400, got " + checkIntervalSeconds);
        }
        if (checkImages != null && !(checkImages >= 10 && checkImages <= 1_000_000)) {
            out.add("check_images must be in 10..1000000, got " + checkImages);
        }
        if (calibrationImages != null && !(calibrationImages >= 10 && calibrationImages <= 1_000_000)) {
            out.add("calibration_images must be in 10..1000000, got " + calibrationImages);
        }
        if (osaEpochs != null && !(osaEpochs >= 0 && osaEpochs <= 100)) {
            out.add("osa_epochs must be in 0..100, got " + osaEpochs);
        }
        if (bits != null && !(bits >= 2 && bits <= 16)) {
            out.add("bits must be in 2..16, got " + bits);
        }
        if (preset != null && preset.isBlank()) {
            out.add("preset: give a preset name such as \"dac2020-65nm\", or leave it out");
        }
        out.addAll(RunMetadata.problems(metadata));
        return out;
    }
}
