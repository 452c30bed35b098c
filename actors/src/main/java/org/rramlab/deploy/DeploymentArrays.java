package org.rramlab.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.rramlab.api.Refusal;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySpec;
import org.rramlab.array.ArraySummary;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.RramArray;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MeasuredConductances;
import org.rramlab.learning.mapping.WeightMapping;

/**
 * The arrays of one deployment, reached through their {@link ArrayActor}s: registered (simulated
 * ones) and programmed once, read at every check. Every write carries a tag, so a write tried
 * again after a crash answers the earlier one instead of writing the cells a second time.
 */
final class DeploymentArrays {
    /** The reads of one check: the conductances and the latest array clock among the frames. */
    record Reading(MeasuredConductances conductances, double arrayTimeSeconds, double readSeconds) {}

    private final ActorSystem<?> system;
    private final ActorRef<ShardingEnvelope<ArrayActor.Command>> region;
    private final String deploymentId;
    private final Duration timeout;

    DeploymentArrays(ActorSystem<?> system, ActorRef<ShardingEnvelope<ArrayActor.Command>> region, String deploymentId,
                     Duration timeout) {
        this.system = system;
        this.region = region;
        this.deploymentId = deploymentId;
        this.timeout = timeout;
    }

    /** Registers simulated arrays where needed, then programs every tile with a tag, so a repeat programs nothing. */
    CompletionStage<List<ProgramResult>> program(WeightMapping mapping, DeploymentSpec spec) {
        List<CompletableFuture<ArraySummary>> registered = new ArrayList<>();
        for (int i = 0; i < mapping.arrayIds().size(); i++) {
            ArraySpec sim = ArraySpec.simulated(mapping.preset(), mapping.config().arrayRows(), mapping.config().arrayCols(),
                    spec.seedOrOne() + i);
            String arrayId = mapping.arrayIds().get(i);
            registered.add(ensure(arrayId, spec.simulatedOrTrue() ? sim : null)
                    .thenApply(summary -> {
                        org.rramlab.array.ArrayRegistry.add(system, arrayId);
                        return summary;
                    }).toCompletableFuture());
        }
        return CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new))
                .thenCompose(v -> Mapper.program(mapping, Map.<String, RramArray>copyOf(actors(mapping, "deploy"))));
    }

    /** Reads every tile back. */
    CompletionStage<Reading> read(WeightMapping mapping) {
        long t0 = System.nanoTime();
        Map<String, ActorArray> arrays = actors(mapping, "check");
        return Mapper.read(mapping, Map.<String, RramArray>copyOf(arrays)).thenApply(conductances -> new Reading(
                conductances, arrays.values().stream().mapToDouble(ActorArray::lastArrayTimeSeconds).max().orElse(0),
                (System.nanoTime() - t0) / 1e9));
    }

    /**
     * Writes a refresh's cells, one programming per array tagged with the deployment and the check
     * that decided it: carried out again after a restart, an array already written answers its
     * earlier programming (and its pulses) instead of writing a second time.
     */
    CompletionStage<List<ArrayActor.ProgramDone>> refresh(WeightMapping mapping, int check, RefreshPlan plan) {
        Map<String, ActorArray> arrays = actors(mapping, "refresh");
        List<CompletableFuture<ArrayActor.ProgramDone>> all = new ArrayList<>();
        for (RefreshPlan.Cells c : plan.arrays()) {
            all.add(arrays.get(c.arrayId()).programCells(mapping.config().arrayCols(), c.cells(), c.targets(),
                    "refresh:" + deploymentId + ":" + check + ":" + c.arrayId()).toCompletableFuture());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }

    private CompletionStage<ArraySummary> ensure(String arrayId, ArraySpec simulated) {
        CompletionStage<ArraySummary> state = AskPattern.askWithStatus(region,
                r -> new ShardingEnvelope<>(arrayId, new ArrayActor.GetState(r)), timeout, system.scheduler());
        return state.handle((summary, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(summary);
            }
            if (simulated != null && Refusal.kindOf(error) == Refusal.Kind.NOT_FOUND) {
                return AskPattern.<ShardingEnvelope<ArrayActor.Command>, ArraySummary>askWithStatus(region,
                        r -> new ShardingEnvelope<>(arrayId, new ArrayActor.Register(simulated, r)), timeout,
                        system.scheduler());
            }
            return CompletableFuture.<ArraySummary>failedFuture(error);
        }).thenCompose(Function.identity());
    }

    /** {@code purpose}: what the tags of the writes start with, e.g. "deploy". */
    private Map<String, ActorArray> actors(WeightMapping mapping, String purpose) {
        Map<String, ActorArray> out = new HashMap<>();
        for (String arrayId : mapping.arrayIds()) {
            out.put(arrayId, new ActorArray(system, region, arrayId, purpose + ":" + deploymentId + ":" + arrayId,
                    timeout));
        }
        return out;
    }
}
