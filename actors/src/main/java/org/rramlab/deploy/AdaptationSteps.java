package org.rramlab.deploy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.rramlab.learning.osa.OsaResult;

/**
 * The supervisor's long steps as futures: the tensor work runs on the adaptation dispatcher, the
 * array work through the array actors. Nothing here touches the supervisor's state; each step gets
 * what it needs as arguments (an immutable state, the network of this incarnation).
 */
final class AdaptationSteps {
    /** A round's result and how long it took. */
    record RoundRan(OsaResult result, double seconds) {}

    private final Executor tensors;
    private final OsaSupervisor.Context node;
    private final DeploymentArrays arrays;

    AdaptationSteps(Executor tensors, OsaSupervisor.Context node, DeploymentArrays arrays) {
        this.tensors = tensors;
        this.node = node;
        this.arrays = arrays;
    }

    CompletableFuture<PlannedWork> plan(DeploymentSpec spec, String deploymentId) {
        return CompletableFuture.supplyAsync(() -> PlannedWork.plan(spec, spec.arrayPrefixOr(deploymentId),
                node.defaultPreset(), node.dataDir()), tensors);
    }

    CompletableFuture<AdaptationWork> load(DeploymentSpec spec) {
        return CompletableFuture.supplyAsync(() -> AdaptationWork.load(node.dataDir(), spec), tensors);
    }

    /** Reads the tiles, then classifies validation images with the network as measured. */
    CompletableFuture<Observed> check(AdaptationWork w, DeploymentState s) {
        return arrays.read(s.mapping()).thenApplyAsync(r -> new Observed(w.check(s.mapping(), r.conductances(),
                s.branch(), s.gains(), node.drift(), s.reference(), s.spec().thresholdOrDefault()), r.arrayTimeSeconds(),
                r.readSeconds()), tensors).toCompletableFuture();
    }

    /** An OSA round on the weights of a check: positions anew when {@code replace}, else refined from {@code s.branch()}. */
    CompletableFuture<RoundRan> round(AdaptationWork w, DeploymentState s, AdaptationWork.Measured measured,
                                      boolean replace) {
        var config = node.osa().round(s.spec(), s.rounds().size() + 1);
        return CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            OsaResult result = w.adapt(measured.weights(), config, s.branch(), replace);
            return new RoundRan(result, (System.nanoTime() - t0) / 1e9);
        }, tensors);
    }
}
