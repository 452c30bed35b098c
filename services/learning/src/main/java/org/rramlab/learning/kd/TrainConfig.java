package org.rramlab.learning.kd;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to train: epochs, batch size, Adam learning rate (cosine-decayed to zero over the run), seed
 * for the data order, and the distillation weights. {@code alpha = 1} is plain cross-entropy.
 */
public record TrainConfig(int epochs, int batchSize, double learningRate, long seed, double alpha, double temperature) {
    public TrainConfig {
        if (epochs < 1 || batchSize < 1 || learningRate <= 0) {
            throw new IllegalArgumentException("epochs and batch size must be >= 1 and the learning rate > 0, got "
                    + epochs + ", " + batchSize + ", " + learningRate);
        }
        if (alpha < 0 || alpha > 1 || temperature <= 0) {
            throw new IllegalArgumentException("alpha must lie in [0, 1] and the temperature be > 0, got "
                    + alpha + ", " + temperature);
        }
    }

    /** Plain training on labels. */
    public static TrainConfig plain(int epochs, int batchSize, double learningRate, long seed) {
        return new TrainConfig(epochs, batchSize, learningRate, seed, 1.0, 2.0);
    }

    /** Distillation with the default temperature 2. */
    public static TrainConfig distill(int epochs, int batchSize, double learningRate, long seed, double alpha) {
        return new TrainConfig(epochs, batchSize, learningRate, seed, alpha, 2.0);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("learning_rate", learningRate);
        m.put("optimizer", "adam, cosine decay");
        m.put("seed", seed);
        m.put("alpha", alpha);
        m.put("temperature", temperature);
        return m;
    }
}
