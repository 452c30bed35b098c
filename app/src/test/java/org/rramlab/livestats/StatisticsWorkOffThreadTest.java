package org.rramlab.livestats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.DevicePreset;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LivePipeline;
import org.rramlab.statistics.StatisticsReport;
import org.rramlab.streaming.ConductanceRecord;

/**
 * Fits and checkpoints run off the statistics actor's thread; what arrives meanwhile waits and is
 * then answered from the same model: nothing is lost, nothing sees a half-changed model. Where each
 * fit and checkpoint ran is recorded (StatisticsActor.WorkObserver) and must be a thread of another
 * dispatcher than the one the actor handed it over from.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StatisticsWorkOffThreadTest {
    @TempDir
    Path dataDir;

    @Test
    void requestsDuringAFitOrACheckpointWaitAndAreAnsweredFromTheSameModel() throws Exception {
        try (LabNode node = StatisticsTests.node(dataDir, Map.of())) {
            LivePipeline pipeline = node.pipeline().get(2, TimeUnit.MINUTES);
            Scheduler scheduler = node.system().scheduler();
            DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);
            var settings = new StatisticsActor.Settings(node.bootstrapServers(), pipeline.partitions(), preset,
                    Duration.ofMillis(200), Duration.ofHours(1)).observedBy((work, actorThread, workThread) ->
                    ran.add(new Ran(work, actorThread.getName(), workThread.getName())));
            ActorRef<StatisticsActor.Command> stats =
                    LabNode.spawn(node.system(), StatisticsActor.create("w", settings), "stats-w").get();
            List<ConductanceRecord> records = EveryLevelRecords.of("w-1", preset, 10, 3);
            for (ConductanceRecord r : records) {
                StatisticsTests.publish(node, pipeline.measurement(), r);
            }
            StatisticsReport before = StatisticsTests.awaitReport(node, stats, "w-1", r -> r.framesApplied() >= 10);
            assertEquals(10, before.framesApplied());

            // all at once: a fit, a checkpoint, a report and a second fit, each waiting for the one before
            Duration t = Duration.ofSeconds(30);
            CompletableFuture<DevicePreset> fit = AskPattern.<StatisticsActor.Command, DevicePreset>ask(stats,
                    to -> new StatisticsActor.FitPreset("w-fit", to), t, scheduler).toCompletableFuture();
            CompletableFuture<Done> saved = AskPattern.<StatisticsActor.Command, Done>ask(stats,
                    StatisticsActor.CheckpointNow::new, t, scheduler).toCompletableFuture();
            CompletableFuture<Optional<StatisticsReport>> during = AskPattern.<StatisticsActor.Command,
                    Optional<StatisticsReport>>ask(stats, to -> new StatisticsActor.GetReport("w-1", to), t, scheduler)
                    .toCompletableFuture();
            CompletableFuture<DevicePreset> again = AskPattern.<StatisticsActor.Command, DevicePreset>ask(stats,
                    to -> new StatisticsActor.FitPreset("w-fit", to), t, scheduler).toCompletableFuture();

            assertEquals(Done.getInstance(), saved.get());
            assertEquals(before, during.get().orElseThrow(), "the report is the one before the fit and the checkpoint");
            assertEquals(fit.get().toHocon(), again.get().toHocon(), "the same model fits the same preset");
            assertEquals(before, report(stats, scheduler).orElseThrow());

            // where the work ran: two preset fits, the checkpoint and at least one report's fit
            Set<String> kinds = ConcurrentHashMap.newKeySet();
            for (Ran r : ran) {
                kinds.add(r.work());
                assertFalse(r.workThread().equals(r.actorThread()), r + ": the work ran on the actor's own thread");
                assertFalse(pool(r.workThread()).equals(pool(r.actorThread())),
                        r + ": the work ran on the actor's dispatcher, where it holds up every other actor");
                assertTrue(r.workThread().contains("blocking-io-dispatcher"), r + ": not the blocking dispatcher");
            }
            assertEquals(2, ran.stream().filter(r -> r.work().equals("preset")).count(), "two preset fits: " + ran);
            assertTrue(kinds.containsAll(List.of("preset", "checkpoint", "report")), "observed: " + ran);
        }
    }

    /** Where one piece of work ran, as the actor's observer saw it. */
    record Ran(String work, String actorThread, String workThread) {}

    final List<Ran> ran = new CopyOnWriteArrayList<>();

    /** A dispatcher's thread name without its number: rramlab-pekko.actor.default-dispatcher-7 -> ...-dispatcher. */
    static String pool(String thread) {
        return thread.replaceFirst("-\\d+$", "");
    }

    private static Optional<StatisticsReport> report(ActorRef<StatisticsActor.Command> stats, Scheduler scheduler)
            throws Exception {
        return AskPattern.<StatisticsActor.Command, Optional<StatisticsReport>>ask(stats,
                to -> new StatisticsActor.GetReport("w-1", to), Duration.ofSeconds(10), scheduler)
                .toCompletableFuture().get();
    }
}
