package org.rramlab.learning.kd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.Torch;
import org.rramlab.learning.model.WeightSource;

/**
 * The training loop: mini-batches in a seeded order, Adam with cosine decay, optional distillation
 * against precomputed teacher logits (the teacher is frozen and the data not augmented, so its
 * logits are the same every epoch). Progress goes to a listener as {@link TrainingEvent}s.
 * The calling thread does the work; interrupting it stops the run with a {@link CancellationException}.
 */
public final class Trainer {
    private static final int PROGRESS_EVERY = 100;

    private Trainer() {}

    /** Logits of a batch from inputs; called inside a gradient collector. */
    @FunctionalInterface
    public interface Forward {
        NDArray logits(NDArray x);
    }

    /**
     * Trains {@code net} with its weights seen through {@code source} (the master weights for plain
     * training, a device sample for device-aware training). Test accuracy after each epoch is taken
     * through {@code testSource} when {@code test} is given.
     */
    public static TrainResult train(String phase, Network net, WeightSource source, Dataset train, float[] teacherLogits,
                                    TrainConfig config, Dataset test, WeightSource testSource,
                                    Consumer<TrainingEvent> listener) {
        DoubleSupplier testAccuracy = test == null ? null : () -> Evaluator.accuracy(net, test, testSource);
        return fit(phase, net.manager(), x -> net.forward(x, source, true), net.parameters(), train, teacherLogits,
                config, testAccuracy, listener);
    }

    /** The loop itself, for any forward function and any list of trainable arrays (OSA trains only its branch). */
    public static TrainResult fit(String phase, NDManager manager, Forward forward, List<NDArray> trainable,
                                  Dataset train, float[] teacherLogits, TrainConfig config, DoubleSupplier testAccuracy,
                                  Consumer<TrainingEvent> listener) {
        int n = train.count();
        int classes = train.classes();
        int bs = Math.min(config.batchSize(), n);
        int batches = (n + bs - 1) / bs;
        long totalSteps = (long) batches * config.epochs();
        int trainableCount = trainable.stream().mapToInt(a -> (int) a.size()).sum();
        listener.accept(new TrainingEvent.Started(phase, config.epochs(), batches, trainableCount));
        float[] pixels = new float[bs * train.imageSize()];
        int[] labels = new int[bs];
        float[] oneHot = new float[bs * classes];
        float[] teacher = teacherLogits == null ? null : new float[bs * classes];
        long started = System.nanoTime();
        double trainSeconds = 0;
        TrainResult last = null;
        long step = 0;
        try (Adam adam = new Adam(trainable)) {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                int[] order = train.shuffledOrder(config.seed() * 1_000_003L + epoch);
                double lossSum = 0;
                int correct = 0;
                long epochStart = System.nanoTime();
                for (int b = 0; b < batches; b++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new CancellationException(phase + " training cancelled in epoch " + epoch);
                    }
                    int from = b * bs;
                    int to = Math.min(from + bs, n);
                    int m = to - from;
                    train.gather(order, from, to, pixels, labels);
                    java.util.Arrays.fill(oneHot, 0f);
                    for (int i = 0; i < m; i++) {
                        oneHot[i * classes + labels[i]] = 1f;
                        if (teacher != null) {
                            System.arraycopy(teacherLogits, order[from + i] * classes, teacher, i * classes, classes);
                        }
                    }
                    double lr = config.learningRate() * 0.5 * (1 + Math.cos(Math.PI * step / totalSteps));
                    step++;
                    Torch.GRADIENT_LOCK.lock();
                    try (NDScope scope = new NDScope()) {
                        NDArray x = manager.create(FloatBuffer.wrap(pixels, 0, m * train.imageSize()),
                                new Shape(m, train.channels(), train.height(), train.width()));
                        NDArray y = manager.create(FloatBuffer.wrap(oneHot, 0, m * classes), new Shape(m, classes));
                        NDArray t = teacher == null ? null
                                : manager.create(FloatBuffer.wrap(teacher, 0, m * classes), new Shape(m, classes));
                        NDArray logits;
                        NDArray loss;
                        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                            logits = forward.logits(x);
                            loss = KdLoss.compute(logits, t, y, config.alpha(), config.temperature());
                            gc.backward(loss);
                        }
                        adam.step(lr);
                        float lv = loss.getFloat();
                        lossSum += lv * m;
                        correct += countCorrect(logits.toFloatArray(), labels, m, classes);
                        if ((b + 1) % PROGRESS_EVERY == 0) {
                            listener.accept(new TrainingEvent.Progress(phase, epoch, b + 1, batches, lv));
                        }
                    } finally {
                        Torch.GRADIENT_LOCK.unlock();
                    }
                }
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                trainSeconds += seconds;
                double testAcc = testAccuracy == null ? Double.NaN : testAccuracy.getAsDouble();
                last = new TrainResult(lossSum / n, (double) correct / n, testAcc, n / seconds,
                        (System.nanoTime() - started) / 1e9);
                listener.accept(new TrainingEvent.EpochFinished(phase, epoch, config.epochs(), last.loss(),
                        last.trainAccuracy(), testAcc, n / seconds, seconds));
            }
        }
        double total = (System.nanoTime() - started) / 1e9;
        TrainResult result = new TrainResult(last.loss(), last.trainAccuracy(), last.testAccuracy(),
                (double) n * config.epochs() / trainSeconds, total);
        listener.accept(new TrainingEvent.Finished(phase, result.testAccuracy(), total));
        return result;
    }

    static int countCorrect(float[] logits, int[] labels, int m, int classes) {
        int correct = 0;
        for (int i = 0; i < m; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + best]) {
                    best = c;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
        }
        return correct;
    }
}
