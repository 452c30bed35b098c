package org.rramlab.learning.kd;

/**
 * Progress of a training run, in order: one {@link Started}, {@link Progress} and {@link EpochFinished}
 * per epoch, one {@link Finished}. {@code phase} says which run ("teacher", "student", "osa") so a
 * listener that forwards several runs can tell them apart. Accuracies are fractions in [0, 1];
 * a test accuracy is NaN when no test set was given.
 */
public sealed interface TrainingEvent {
    String phase();

    record Started(String phase, int epochs, int batchesPerEpoch, int trainableParameters) implements TrainingEvent {}

    record Progress(String phase, int epoch, int batch, int batches, double loss) implements TrainingEvent {}

    record EpochFinished(String phase, int epoch, int epochs, double loss, double trainAccuracy, double testAccuracy,
                         double imagesPerSecond, double seconds) implements TrainingEvent {}

    record Finished(String phase, double testAccuracy, double seconds) implements TrainingEvent {}
}
