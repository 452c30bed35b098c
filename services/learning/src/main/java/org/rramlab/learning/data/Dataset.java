package org.rramlab.learning.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Images and labels held in memory, already normalized, laid out N x C x H x W (row-major).
 *
 * @param name     what the images are, for messages and metadata ("mnist/train")
 * @param images   normalized pixel values, {@code count * channels * height * width} floats
 * @param labels   class index of each image
 * @param classes  number of classes
 */
public record Dataset(String name, float[] images, int[] labels, int channels, int height, int width, int classes) {
    public Dataset {
        int size = channels * height * width;
        if (size <= 0 || images.length != labels.length * size) {
            throw new IllegalArgumentException("dataset " + name + ": " + images.length + " pixel values do not make "
                    + labels.length + " images of " + channels + "x" + height + "x" + width);
        }
    }

    public int count() {
        return labels.length;
    }

    public int imageSize() {
        return channels * height * width;
    }

    /** The first {@code n} images (all of them when n exceeds the count). */
    public Dataset head(int n) {
        int k = Math.min(n, count());
        return new Dataset(name, Arrays.copyOf(images, k * imageSize()), Arrays.copyOf(labels, k), channels, height, width, classes);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive). */
    public Dataset slice(int from, int to) {
        int s = imageSize();
        return new Dataset(name, Arrays.copyOfRange(images, from * s, to * s), Arrays.copyOfRange(labels, from, to),
                channels, height, width, classes);
    }

    /** {@code n} images drawn without replacement, the same for the same seed (a calibration set, say). */
    public Dataset sample(int n, long seed, String suffix) {
        int[] order = shuffledOrder(seed);
        int k = Math.min(n, count());
        float[] px = new float[k * imageSize()];
        int[] picked = new int[k];
        gather(order, 0, k, px, picked);
        return new Dataset(name + "/" + suffix, px, picked, channels, height, width, classes);
    }

    /** A permutation of the image indices that depends only on the seed: the same seed gives the same order. */
    public int[] shuffledOrder(long seed) {
        int[] order = new int[count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Copies the images at {@code order[from..to)} into {@code pixels} and {@code batchLabels}. */
    public void gather(int[] order, int from, int to, float[] pixels, int[] batchLabels) {
        int s = imageSize();
        for (int i = from; i < to; i++) {
            int idx = order == null ? i : order[i];
            System.arraycopy(images, idx * s, pixels, (i - from) * s, s);
            batchLabels[i - from] = labels[idx];
        }
    }
}
