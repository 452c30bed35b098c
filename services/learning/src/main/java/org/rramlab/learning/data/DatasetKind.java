package org.rramlab.learning.data;

import java.util.Locale;

/**
 * The datasets the learning engine knows: where they live under {@code <data-dir>/datasets/} and
 * the per-channel mean and standard deviation used to normalize them (the usual published values).
 */
public enum DatasetKind {
    MNIST("mnist", 1, 28, new float[] {0.1307f}, new float[] {0.3081f}),
    FASHION_MNIST("fashion-mnist", 1, 28, new float[] {0.2860f}, new float[] {0.3530f}),
    CIFAR10("cifar10", 3, 32, new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});

    private final String id;
    private final int channels;
    private final int size;
    private final float[] mean;
    private final float[] std;

    DatasetKind(String id, int channels, int size, float[] mean, float[] std) {
        this.id = id;
        this.channels = channels;
        this.size = size;
        this.mean = mean;
        this.std = std;
    }

    /** The name on the command line and the folder under {@code datasets/}. */
    public String id() {
        return id;
    }

    public int channels() {
        return channels;
    }

    public int size() {
        return size;
    }

    float mean(int channel) {
        return mean[channel];
    }

    float std(int channel) {
        return std[channel];
    }

    public static DatasetKind parse(String text) {
        for (DatasetKind k : values()) {
            if (k.id.equals(text.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + text + "': use mnist, fashion-mnist or cifar10");
    }
}
