package org.rramlab.learning.data;

import java.util.Arrays;

/**
 * The three disjoint uses of a dataset's images, fixed so that every run and every restart splits alike.
 *
 * <ul>
 *   <li><b>fit</b>: the training file's images {@code [0, n - v)}: teacher and student training, and the
 *       OSA calibration images (importance, positions, SRAM training), which are drawn from here only;</li>
 *   <li><b>validation</b>: the training file's <em>last</em> {@code v} images {@code [n - v, n)}, with
 *       {@code v = min(5,000, n / 6)} (5,000 of MNIST's and Fashion-MNIST's 60,000, 5,000 of CIFAR-10's
 *       50,000): every choice of a setting, and the deployed OSA supervisor's checks;</li>
 *   <li><b>test</b>: the t10k file, untouched until a figure is reported.</li>
 * </ul>
 * The validation images are the tail of the file, not a random draw, so that the split is the same for
 * any seed and can be named in a sentence.
 *
 * @param fitEnd index in the training file where the validation images start
 */
public record Splits(DatasetKind kind, Dataset fit, Dataset validation, Dataset test, int fitEnd) {
    /** Validation images taken from the end of a large training file. */
    public static final int VALIDATION_IMAGES = 5_000;

    /** The split of a loaded dataset. */
    public static Splits of(DataSplit data) {
        Dataset train = data.train();
        int v = validationSize(train.count());
        int end = train.count() - v;
        return new Splits(data.kind(), rename(train.slice(0, end), "/fit"),
                rename(train.slice(end, train.count()), "/validation"), data.test(), end);
    }

    /** How many of {@code trainCount} training images are kept for validation. */
    public static int validationSize(int trainCount) {
        return Math.min(VALIDATION_IMAGES, trainCount / 6);
    }

    /** The first {@code limit} fitting images (all when limit is 0 or larger than the count): a short run. */
    public Dataset fit(int limit) {
        return limit > 0 ? fit.head(limit) : fit;
    }

    /** {@code n} calibration images drawn from the fitting images only (never validation or test), by seed. */
    public Dataset calibration(int n, long seed) {
        return fit.sample(n, seed, "calibration");
    }

    /** Indices in the training file of the images {@link #calibration} returns (for checks and records). */
    public int[] calibrationIndices(int n, long seed) {
        return Arrays.copyOf(fit.shuffledOrder(seed), Math.min(n, fit.count()));
    }

    /** The validation images' indices in the training file, {@code [fitEnd, fitEnd + validation.count())}. */
    public String validationRange() {
        return "training images " + fitEnd + "-" + (fitEnd + validation.count() - 1);
    }

    private static Dataset rename(Dataset d, String suffix) {
        return new Dataset(d.name() + suffix, d.images(), d.labels(), d.channels(), d.height(), d.width(), d.classes());
    }
}
