package org.rramlab.campaign;

import static org.rramlab.node.Failures.rootMessage;
import static org.rramlab.node.Failures.unwrap;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.pattern.StatusReply;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySummary;
import org.rramlab.device.Block;
import org.rramlab.node.Provenance;

/**
 * What each step of a campaign asks of its arrays, as a stage that ends in the step's event.
 * Clock moves are absolute and reads are tagged "campaignId#step", so a step asked again after
 * a failure or a crash changes nothing that was already done, and an ask that got no answer is
 * simply sent again (see {@link #ask}). Holds no state of its own.
 */
final class CampaignSteps {
    private final String campaignId;
    private final ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays;
    private final Duration askTimeout;
    private final Duration attemptTimeout;
    private final Scheduler scheduler;

    CampaignSteps(String campaignId, ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays, Duration askTimeout,
                  Duration attemptTimeout, Scheduler scheduler) {
        this.campaignId = campaignId;
        this.arrays = arrays;
        this.askTimeout = askTimeout;
        this.attemptTimeout = attemptTimeout;
        this.scheduler = scheduler;
    }

    /** Every array must be registered and hold the block and the levels the spec names; null when they do. */
    /** What the arrays said to a campaign's spec: what does not fit (null: all fits), and who they are. */
    record Check(String problem, Provenance provenance) {}

    CompletionStage<Check> check(CampaignSpec spec) {
        List<CompletableFuture<ArraySummary>> asked = new ArrayList<>();
        List<CompletableFuture<String>> checks = new ArrayList<>();
        for (String id : spec.arrays()) {
            CompletableFuture<ArraySummary> a = this.<ArraySummary>ask(id, ArrayActor.GetState::new).toCompletableFuture();
            asked.add(a);
            checks.add(a.handle((summary, error) -> error != null ? rootMessage(error) : fits(spec, summary)));
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<String> problems = new ArrayList<>();
            checks.forEach(c -> {
                if (c.join() != null) {
                    problems.add(c.join());
                }
            });
            return problems.isEmpty() ? new Check(null, ArraySummary.provenance(asked.stream().map(CompletableFuture::join).toList()))
                    : new Check(String.join("; ", problems), null);
        });
    }

    private static String fits(CampaignSpec spec, ArraySummary a) {
        if (a.physical() && spec.accelerationOrOne() != 1) {
            return "array '" + a.arrayId() + "' is physical: its devices age in wall time, so acceleration must be 1, got "
                    + spec.accelerationOrOne() + "; to accelerate retention, bake it (\"bakes\" at a temperature; the "
                    + "equivalent time at use temperature follows from Arrhenius, see docs/instruments.md)";
        }
        Block b = blockOf(spec, a);
        String misfit = b.misfit(a.rows(), a.cols());
        if (misfit != null) {
            return "array '" + a.arrayId() + "': " + misfit;
        }
        CampaignSpec.ProgramPattern p = spec.program();
        if ("level".equals(spec.patternName()) && p.level() >= a.levels()) {
            return "level " + p.level() + " is outside 0.." + (a.levels() - 1) + " of array '" + a.arrayId() + "'";
        }
        if ("levels".equals(spec.patternName())) {
            if (p.levels().size() != b.cells()) {
                return "program.levels has " + p.levels().size() + " entries but the block of array '" + a.arrayId()
                        + "' has " + b.cells() + " cells";
            }
            for (Integer level : p.levels()) {
                if (level == null || level < 0 || level >= a.levels()) {
                    return "program.levels holds " + level + ", outside 0.." + (a.levels() - 1);
                }
            }
        }
        return null;
    }

    private static Block blockOf(CampaignSpec spec, ArraySummary a) {
        return spec.block() != null ? spec.block() : new Block(0, 0, a.rows(), a.cols());
    }

    CompletionStage<CampaignEvent> program(CampaignState s) {
        CampaignSpec spec = s.spec();
        Map<String, CompletableFuture<CampaignEvent.ArrayPlan>> plans = new HashMap<>();
        for (String id : spec.arrays()) {
            CompletionStage<CampaignEvent.ArrayPlan> plan = this.<ArraySummary>ask(id, ArrayActor.GetState::new)
                    .thenCompose(a -> {
                        Block block = blockOf(spec, a);
                        int[] levels = levels(spec, block, a.levels());
                        if (levels == null) {
                            return CompletableFuture.completedFuture(new CampaignEvent.ArrayPlan(a.clockSeconds(), block, null));
                        }
                        return this.<ArrayActor.ProgramDone>ask(id, r -> new ArrayActor.Program(block, levels, null,
                                        spec.writeVerifyOrFalse(), campaignId + "#program", r))
                                .thenApply(done -> new CampaignEvent.ArrayPlan(done.clockSeconds(), block, done.sequence()));
                    });
            plans.put(id, plan.toCompletableFuture());
        }
        return all(plans).thenApply(p -> new CampaignEvent.Programmed(Instant.now(), p));
    }

    private static int[] levels(CampaignSpec spec, Block block, int levelCount) {
        int[] out = new int[block.cells()];
        switch (spec.patternName()) {
            case "keep" -> {
                return null;
            }
            case "level" -> java.util.Arrays.fill(out, spec.program().level());
            case "levels" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = spec.program().levels().get(i);
                }
            }
            default -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = i % levelCount;
                }
            }
        }
        return out;
    }

    CompletionStage<CampaignEvent> read(CampaignState s) {
        int step = s.nextRead();
        double offset = step * s.spec().intervalSeconds() + s.bakeSeconds(s.bakesBefore(step));
        Map<String, CompletableFuture<Long>> sequences = new HashMap<>();
        for (String id : s.spec().arrays()) {
            CampaignEvent.ArrayPlan plan = s.plans().get(id);
            double target = plan.startClockSeconds() + offset;
            CompletionStage<Long> sequence = this.<ArraySummary>ask(id, r -> new ArrayActor.AdvanceClockTo(target, r))
                    .thenCompose(x -> this.<ArrayActor.ReadDone>ask(id,
                            r -> new ArrayActor.Read(plan.block(), campaignId + "#" + step, r)))
                    .thenApply(ArrayActor.ReadDone::sequence);
            sequences.put(id, sequence.toCompletableFuture());
        }
        // the next read keeps the cadence of the schedule, unless the campaign fell behind it
        Instant due = s.nextReadAt() == null ? Instant.now() : s.nextReadAt();
        return all(sequences).thenApply(seqs -> {
            Instant next = due.plus(wallWait(s.spec(), s.spec().intervalSeconds()));
            Instant now = Instant.now();
            return new CampaignEvent.ReadCompleted(now, step, seqs, next.isBefore(now) ? now : next);
        });
    }

    CompletionStage<CampaignEvent> startBake(CampaignState s, CampaignSpec.Bake bake) {
        int index = s.bakesDone();
        Map<String, CompletableFuture<ArraySummary>> set = new HashMap<>();
        for (String id : s.spec().arrays()) {
            set.put(id, this.<ArraySummary>ask(id, r -> new ArrayActor.SetTemperature(bake.temperatureKelvin(), r))
                    .toCompletableFuture());
        }
        return all(set).thenApply(x -> new CampaignEvent.BakeStarted(Instant.now(), index,
                Instant.now().plus(wallWait(s.spec(), bake.durationSeconds()))));
    }

    CompletionStage<CampaignEvent> endBake(CampaignState s) {
        int index = s.bakesDone();
        CampaignSpec.Bake bake = s.spec().bakesOrNone().get(index);
        double offset = bake.afterRead() * s.spec().intervalSeconds() + s.bakeSeconds(index + 1);
        Map<String, CompletableFuture<ArraySummary>> done = new HashMap<>();
        for (String id : s.spec().arrays()) {
            double target = s.plans().get(id).startClockSeconds() + offset;
            // the clock moves while the array is hot, then it cools down
            done.put(id, this.<ArraySummary>ask(id, r -> new ArrayActor.SetTemperature(bake.temperatureKelvin(), r))
                    .thenCompose(x -> this.<ArraySummary>ask(id, r -> new ArrayActor.AdvanceClockTo(target, r)))
                    .thenCompose(x -> this.<ArraySummary>ask(id,
                            r -> new ArrayActor.SetTemperature(s.spec().ambientOrDefault(), r)))
                    .toCompletableFuture());
        }
        return all(done).thenApply(x -> new CampaignEvent.BakeFinished(Instant.now(), index,
                Instant.now().plus(wallWait(s.spec(), s.spec().intervalSeconds()))));
    }

    private static Duration wallWait(CampaignSpec spec, double arraySeconds) {
        return Duration.ofNanos(Math.round(arraySeconds / spec.accelerationOrOne() * 1e9));
    }

    /** Waits for every array; fails with the reasons of all that failed, each named. */
    private static <T> CompletionStage<Map<String, T>> all(Map<String, CompletableFuture<T>> perArray) {
        return CompletableFuture.allOf(perArray.values().toArray(CompletableFuture[]::new)).handle((v, ignored) -> {
            Map<String, T> out = new HashMap<>();
            List<String> failures = new ArrayList<>();
            perArray.forEach((id, f) -> {
                if (f.isCompletedExceptionally()) {
                    failures.add(f.handle((x, e) -> rootMessage(e)).join());
                } else {
                    out.put(id, f.join());
                }
            });
            if (!failures.isEmpty()) {
                throw new CompletionException(new IllegalStateException(String.join("; ", failures)));
            }
            return out;
        });
    }

    /**
     * Asks an array, and asks again every attempt timeout until one of the tries is answered or the ask
     * timeout has passed since the first: an ask that went to a node which died is lost with it, and the
     * array (by then started on another node) answers a later one. Every try waits until the ask timeout,
     * so a slow first answer (a read waiting for Kafka) is taken as it comes, not dropped for a repeat.
     * Every command a step sends is safe to repeat (absolute clock and temperature, tagged reads and
     * programmings, state queries): a repeat the array does get answers from what the first one did, and
     * no read is taken twice.
     */
    private <T> CompletionStage<T> ask(String arrayId,
                                       org.apache.pekko.japi.function.Function<ActorRef<StatusReply<T>>, ArrayActor.Command> command) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        attempt(arrayId, command, answer, System.nanoTime() + askTimeout.toNanos(), new AtomicInteger());
        return answer;
    }

    private <T> void attempt(String arrayId,
                             org.apache.pekko.japi.function.Function<ActorRef<StatusReply<T>>, ArrayActor.Command> command,
                             CompletableFuture<T> answer, long deadline, AtomicInteger tries) {
        long left = deadline - System.nanoTime();
        tries.incrementAndGet();
        AskPattern.<ShardingEnvelope<ArrayActor.Command>, T>askWithStatus(arrays,
                        replyTo -> new ShardingEnvelope<>(arrayId, command.apply(replyTo)),
                        Duration.ofNanos(Math.max(1_000_000L, left)), scheduler)
                .whenComplete((value, error) -> {
                    if (error == null) {
                        answer.complete(value);
                    } else if (unwrap(error) instanceof TimeoutException) {
                        answer.completeExceptionally(new CompletionException(new IllegalStateException("array '"
                                + arrayId + "' did not answer within " + askTimeout.toSeconds() + " s (asked " + tries.get()
                                + " times)", unwrap(error))));
                    } else {
                        answer.completeExceptionally(error instanceof CompletionException c ? c : new CompletionException(error));
                    }
                });
        if (left > attemptTimeout.toNanos()) {
            CompletableFuture.delayedExecutor(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> {
                        if (!answer.isDone()) {
                            attempt(arrayId, command, answer, deadline, tries);
                        }
                    });
        }
    }
}
