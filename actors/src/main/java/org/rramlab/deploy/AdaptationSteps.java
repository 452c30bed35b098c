package org.rramlab.deploy;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.rramlab.array.ArrayActor;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.DevicePreset;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.osa.OsaResult;

/**
 * The supervisor's long steps as futures: the tensor work runs on the adaptation dispatcher, the
 * array work through the array actors. Nothing here touches the supervisor's state; each step gets
 * what it needs as arguments (an immutable state, the network of this incarnation).
 */
final class AdaptationSteps {
    /** A round's result and how long it took. */
    record RoundRan(OsaResult result, double seconds) {}

    /** What programming the network took. */
    record ProgramRan(long pulses, double seconds) {}

    /** What a refresh's writes took. */
    record RefreshRan(long pulses, int outOfTolerance, double seconds) {}

    private final Executor tensors;
    private final OsaSupervisor.Context node;
    private final DeploymentArrays arrays;
    private final Map<String, Integer> pulses = new ConcurrentHashMap<>();

    AdaptationSteps(ActorSystem<?> system, OsaSupervisor.Context node, String deploymentId) {
        this.tensors = system.dispatchers().lookup(DispatcherSelector.fromConfig("adaptation-dispatcher"));
        this.node = node;
        this.arrays = new DeploymentArrays(system, node.arrays(), deploymentId, node.askTimeout());
    }

    CompletableFuture<PlannedWork> plan(DeploymentSpec spec, String deploymentId) {
        return CompletableFuture.supplyAsync(() -> PlannedWork.plan(spec, spec.arrayPrefixOr(deploymentId),
                node.defaultPreset(), node.dataDir()), tensors);
    }

    /** Registers simulated arrays where needed and programs every tile once (tags make a repeat program nothing). */
    CompletableFuture<ProgramRan> program(DeploymentState s) {
        long t0 = System.nanoTime();
        return arrays.program(s.mapping(), s.spec()).thenApply(results -> new ProgramRan(
                results.stream().mapToLong(ProgramResult::pulses).sum(), (System.nanoTime() - t0) / 1e9))
                .toCompletableFuture();
    }

    CompletableFuture<AdaptationWork> load(DeploymentSpec spec) {
        return CompletableFuture.supplyAsync(() -> AdaptationWork.load(node.dataDir(), spec), tensors);
    }

    /**
     * Reads the tiles, then classifies validation images with the network as measured (and plans a refresh the
     * budget allows; the check that reads a refresh back plans none).
     */
    CompletableFuture<Observed> check(AdaptationWork w, DeploymentState s, Trigger trigger) {
        return arrays.read(s.mapping()).thenApplyAsync(r -> {
            RefreshBudget budget = trigger == Trigger.REFRESH
                    ? RefreshBudget.none(node.drift().refresh(), s.mapping().deviceCount())
                    : RefreshBudget.at(node.drift().refresh(), s.endurance(), r.arrayTimeSeconds(),
                            r.arrayTimeSeconds() - s.lastRefreshingCheckSeconds(), s.mapping().deviceCount(),
                            pulsesPerDevice(s.mapping().preset()));
            AdaptationWork.Measured m = w.check(s.mapping(), r.conductances(), s.branch(), s.gains(), node.drift(),
                    s.reference(), s.spec().thresholdOrDefault(), budget);
            if (DriftChoice.repairDue(s, node.drift())) {
                // right after programming: the costliest devices are written again before the SRAM is placed
                m = m.withRefresh(w.repair(s.mapping(), r.conductances(), node.drift(), RefreshBudget.atDeployment(
                        node.drift().refresh(), s.mapping().weightCount(), s.mapping().deviceCount(),
                        pulsesPerDevice(s.mapping().preset()))));
            }
            return new Observed(m, r.arrayTimeSeconds(), r.readSeconds());
        }, tensors).toCompletableFuture();
    }

    /** Writes the devices of a refresh decided at check {@code check}; tags make a repeat after a restart write nothing twice. */
    CompletableFuture<RefreshRan> refresh(WeightMapping mapping, int check, RefreshPlan plan) {
        long t0 = System.nanoTime();
        return arrays.refresh(mapping, check, plan).thenApply(done -> new RefreshRan(
                done.stream().mapToLong(ArrayActor.ProgramDone::pulses).sum(),
                done.stream().mapToInt(ArrayActor.ProgramDone::cellsOutOfTolerance).sum(),
                (System.nanoTime() - t0) / 1e9)).toCompletableFuture();
    }

    /** Write-verify's most pulses per device in the preset the arrays were programmed with (read once per preset). */
    private int pulsesPerDevice(String preset) {
        return pulses.computeIfAbsent(preset == null ? node.defaultPreset().name() : preset, name ->
                name.equals(node.defaultPreset().name()) ? node.defaultPreset().writeVerify().maxPulses()
                        : DevicePreset.load(name).writeVerify().maxPulses());
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
