package org.rramlab.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.model.Architecture;
import org.rramlab.serialization.CborSerializable;

/**
 * What a training job trains. Null fields take the defaults below, so a request names only what
 * it changes. In JSON the fields are snake_case ({@code batch_size}, {@code train_images}).
 *
 * @param kind         "teacher" (full-precision training from scratch) or "kd" (a device-aware
 *                     student distilled from {@code teacher}, starting from the teacher's weights)
 * @param dataset      "mnist" or "fashion-mnist", under {@code <data-dir>/datasets/}
 * @param model        the id the trained model is saved under in {@code <data-dir>/models}
 * @param teacher      the model a kd student learns from; must exist, trained on the same dataset
 * @param architecture teacher: mlp, lenet5 (default) or vgg-small; kd: the teacher's (may be omitted)
 * @param device       "live" (the model the live statistics fit; their preset while they have no
 *                     reads) or "preset:NAME" (a file in config/presets or {@code <data-dir>/presets})
 * @param trainImages  use only the first N training images (quick runs); null: all of them
 * @param wMaxQuantile kd: which |w| maps to the top level, as the quantile of a layer's |w|
 *                     (default 0.99: the largest 1 % saturate, every level step is finer); the
 *                     student is saved with it and deployments map it the same way
 */
public record TrainingJobSpec(String kind, String dataset, String model, String teacher, String architecture,
                              Integer epochs, Integer batchSize, Double learningRate, Double alpha,
                              Double temperature, Long seed, String device, Integer trainImages,
                              Double wMaxQuantile)
        implements CborSerializable {
    public static final String TEACHER = "teacher";
    public static final String KD = "kd";
    public static final String LIVE = "live";
    public static final String PRESET_PREFIX = "preset:";
    public static final int MAX_EPOCHS = 1000;
    public static final double DEFAULT_W_MAX_QUANTILE = 0.99;
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final String ID_RULE = "ids are 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";
    private static final Pattern PRESET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public boolean distills() {
        return KD.equals(kind);
    }

    /** Paper defaults (rramlab reproduce): 15 teacher epochs at 1.5e-3, 20 student epochs at 1e-3. */
    public int epochsOrDefault() {
        return epochs != null ? epochs : distills() ? 20 : 15;
    }

    public int batchSizeOrDefault() {
        return batchSize != null ? batchSize : 128;
    }

    public double learningRateOrDefault() {
        return learningRate != null ? learningRate : distills() ? 1e-3 : 1.5e-3;
    }

    /** The weight of the label loss; a teacher trains on labels alone (1). */
    public double alphaOrDefault() {
        return !distills() ? 1.0 : alpha != null ? alpha : 0.5;
    }

    public double temperatureOrDefault() {
        return temperature != null ? temperature : 2.0;
    }

    public long seedOrDefault() {
        return seed != null ? seed : 1L;
    }

    /** See {@link org.rramlab.learning.mapping.MappingConfig}: 0.99 measured 4 points better mapped than 1 on MNIST. */
    public double wMaxQuantileOrDefault() {
        return wMaxQuantile != null ? wMaxQuantile : DEFAULT_W_MAX_QUANTILE;
    }

    public String deviceOrDefault() {
        return device == null || device.isBlank() ? LIVE : device;
    }

    /** The preset a "preset:NAME" device names; null for "live". */
    public String presetName() {
        String d = deviceOrDefault();
        return d.startsWith(PRESET_PREFIX) ? d.substring(PRESET_PREFIX.length()) : null;
    }

    public DatasetKind datasetKind() {
        return DatasetKind.parse(dataset);
    }

    /** The architecture asked for; null for a kd job that takes its teacher's. */
    public Architecture architectureOrNull() {
        if (architecture != null) {
            return Architecture.parse(architecture);
        }
        return distills() ? null : Architecture.LENET5;
    }

    /** Everything wrong with the spec, each saying what to give instead; empty when it is usable. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (!TEACHER.equals(kind) && !KD.equals(kind)) {
            out.add("kind: give \"teacher\" (full-precision training) or \"kd\" (a device-aware student distilled"
                    + " from a teacher), got " + quoted(kind));
        }
        if (dataset == null || !List.of("mnist", "fashion-mnist").contains(dataset.toLowerCase(Locale.ROOT))) {
            out.add("dataset: give \"mnist\" or \"fashion-mnist\", got " + quoted(dataset));
        }
        if (model == null || !ID.matcher(model).matches()) {
            out.add("model: give the id to save the result under; " + quoted(model) + " is not usable: " + ID_RULE);
        }
        if (distills()) {
            if (teacher == null || !ID.matcher(teacher).matches()) {
                out.add("teacher: a kd job needs the id of a trained teacher model (GET /api/models lists them), got "
                        + quoted(teacher));
            } else if (teacher.equals(model)) {
                out.add("model: the student must be saved under another id than its teacher \"" + teacher + "\"");
            }
        } else if (teacher != null) {
            out.add("teacher: only a kd job has a teacher; leave it out or use \"kind\": \"kd\"");
        }
        if (architecture != null) {
            try {
                Architecture.parse(architecture);
            } catch (IllegalArgumentException e) {
                out.add("architecture: " + e.getMessage());
            }
        }
        if (epochs != null && (epochs < 1 || epochs > MAX_EPOCHS)) {
            out.add("epochs must be in 1.." + MAX_EPOCHS + ", got " + epochs);
        }
        if (batchSize != null && (batchSize < 1 || batchSize > 65_536)) {
            out.add("batch_size must be in 1..65536, got " + batchSize);
        }
        if (learningRate != null && !(learningRate > 0 && learningRate <= 1)) {
            out.add("learning_rate must be a number in (0, 1], e.g. 0.001, got " + learningRate);
        }
        if (alpha != null && !(alpha >= 0 && alpha <= 1)) {
            out.add("alpha must lie in [0, 1] (1: labels only, 0: the teacher only), got " + alpha);
        }
        if (temperature != null && !(temperature > 0 && Double.isFinite(temperature))) {
            out.add("temperature must be a positive number (2 is usual), got " + temperature);
        }
        if (trainImages != null && trainImages < 1) {
            out.add("train_images must be >= 1 (or left out to use every training image), got " + trainImages);
        }
        if (wMaxQuantile != null && !(wMaxQuantile > 0.5 && wMaxQuantile <= 1)) {
            out.add("w_max_quantile must lie in (0.5, 1] (1: the largest |w| maps to the top level), got " + wMaxQuantile);
        } else if (wMaxQuantile != null && !distills()) {
            out.add("w_max_quantile: only a kd student is trained for a mapping; leave it out");
        }
        String d = deviceOrDefault();
        if (!d.equals(LIVE) && !(d.startsWith(PRESET_PREFIX) && PRESET_NAME.matcher(presetName()).matches())) {
            out.add("device: give \"live\" (the model the live statistics fit) or \"preset:NAME\""
                    + " (e.g. \"preset:dac2020-65nm\"), got " + quoted(device));
        } else if (!distills() && device != null) {
            out.add("device: a teacher trains in full precision, with no device model; leave device out");
        }
        return out;
    }

    private static String quoted(String s) {
        return s == null ? "nothing" : "\"" + s + "\"";
    }
}
