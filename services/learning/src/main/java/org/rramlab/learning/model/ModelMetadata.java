package org.rramlab.learning.model;

import java.util.Map;

/**
 * What a saved model is: architecture, input shape, dataset, measured test accuracy and how it was trained.
 *
 * @param accuracy test accuracy in [0, 1] measured when saved
 * @param training the training configuration, as plain key/values (epochs, batch size, ...)
 */
public record ModelMetadata(String architecture, int channels, int size, int classes, String dataset,
                            double accuracy, Map<String, Object> training, String savedAt) {}
