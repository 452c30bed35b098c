package org.rramlab.learning.hil;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.rramlab.device.DeviceException;
import org.rramlab.device.RramArray;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MeasuredConductances;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.Network;

/**
 * Hardware-in-the-loop evaluation: read the mapped tiles off the arrays, rebuild the weights from
 * the measured conductances and classify a test set with them. Blocks the calling thread (tensor
 * work and the wait for the reads): call it from a dedicated thread pool, not an actor's thread.
 */
public final class HilEvaluator {
    private HilEvaluator() {}

    public static HilResult evaluate(Network net, WeightMapping mapping, Map<String, RramArray> arrays, Dataset test) {
        long t0 = System.nanoTime();
        MeasuredConductances measured;
        try {
            measured = Mapper.read(mapping, arrays).toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof DeviceException d ? d
                    : new DeviceException("reading the mapped arrays failed: " + cause.getMessage(), cause);
        }
        double readSeconds = (System.nanoTime() - t0) / 1e9;
        return evaluate(net, mapping, measured, test, readSeconds);
    }

    /** Evaluation from conductances already read. */
    public static HilResult evaluate(Network net, WeightMapping mapping, MeasuredConductances measured, Dataset test,
                                     double readSeconds) {
        long t0 = System.nanoTime();
        List<float[]> weights = measured.effectiveWeights(mapping);
        double accuracy;
        try (MeasuredWeights source = new MeasuredWeights(net, weights)) {
            accuracy = Evaluator.accuracy(net, test, source);
        }
        return new HilResult(accuracy, test.count(), readSeconds, (System.nanoTime() - t0) / 1e9, measured, weights);
    }
}
