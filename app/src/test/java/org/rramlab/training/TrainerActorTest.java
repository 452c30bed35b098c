package org.rramlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigUtil;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.learning.TestData;
import org.rramlab.api.LabEvents;
import org.rramlab.device.DevicePreset;
import org.rramlab.http.LabEvent;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.kd.TrainConfig;
import org.rramlab.learning.kd.Trainer;
import org.rramlab.learning.model.Architecture;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.ModelMetadata;
import org.rramlab.learning.model.ModelStore;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;
import org.rramlab.livestats.EveryLevelRecords;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.measurement.MeasurementActor;
import org.rramlab.node.LabConfig;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LivePipeline;
import org.rramlab.statistics.StatisticsReport;
import org.rramlab.streaming.ConductanceRecord;

/**
 * Training jobs on a real node (embedded broker, H2 journal, the live statistics), on a small
 * generated MNIST. The first test uses the node's own trainer; the others their own trainers
 * (own persistence ids) on the same journal, with a publisher the test reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerActorTest {
    /** Long enough for the restart job on a loaded machine (its 60 epochs took over 240 s at load 50 on 2 cores). */
    static final Duration WAIT = Duration.ofMinutes(4);
    static final String BASE_TEACHER = "base-teacher";

    @TempDir
    static Path dataDir;

    LabNode node;
    LivePipeline pipeline;
    ModelStore store;
    DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);

    @BeforeAll
    void start() throws Exception {
        TestData.writeMnistLike(dataDir, 400, false, 7);
        store = new ModelStore(dataDir.resolve("models"));
        // a teacher for the kd jobs of the later tests, trained directly
        DataSplit data = new DatasetRepository(dataDir).load(DatasetKind.MNIST);
        try (Network net = Network.create(Architecture.MLP, 1, 28, 10, 3)) {
            Trainer.train("teacher", net, WeightSource.MASTER, data.train(), null, TrainConfig.plain(3, 32, 3e-3, 1),
                    null, null, e -> { });
            store.save(BASE_TEACHER, net, new ModelMetadata("mlp", 1, 28, 10, "mnist",
                    Evaluator.accuracy(net, data.test(), WeightSource.MASTER), Map.of(), Instant.now().toString()));
        }
        node = LabNode.start(LabConfig.load(Map.of("rramlab.data-dir", ConfigUtil.quoteString(dataDir.toString()),
                "rramlab.http.port", "0"), Map.of()));
        pipeline = node.pipeline().get(2, TimeUnit.MINUTES);
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    static TrainingJobSpec teacher(String model, int epochs, int batch) {
        return new TrainingJobSpec("teacher", "mnist", model, null, "mlp", epochs, batch, 3e-3, null, null, 1L, null, null,
                null);
    }

    static TrainingJobSpec kd(String model, String teacher, int epochs, String device) {
        return new TrainingJobSpec("kd", "mnist", model, teacher, null, epochs, 32, 2e-3, null, null, 2L, device, null,
                null);
    }

    StatusReply<TrainingJob> ask(ActorRef<TrainerActor.Command> trainer,
                                 org.apache.pekko.japi.function.Function<ActorRef<StatusReply<TrainingJob>>,
                                         TrainerActor.Command> command) throws Exception {
        return AskPattern.ask(trainer, command, Duration.ofSeconds(30), node.system().scheduler())
                .toCompletableFuture().get(40, TimeUnit.SECONDS);
    }

    TrainingJob submit(ActorRef<TrainerActor.Command> trainer, TrainingJobSpec spec) throws Exception {
        StatusReply<TrainingJob> r = ask(trainer, to -> new TrainerActor.Submit(spec, to));
        assertTrue(r.isSuccess(), () -> "accepted: " + r.getError().getMessage());
        assertEquals(TrainingJob.QUEUED, r.getValue().state());
        return r.getValue();
    }

    String refusal(ActorRef<TrainerActor.Command> trainer, TrainingJobSpec spec) throws Exception {
        StatusReply<TrainingJob> r = ask(trainer, to -> new TrainerActor.Submit(spec, to));
        assertTrue(r.isError(), () -> spec + " was accepted");
        return r.getError().getMessage();
    }

    TrainingJob await(ActorRef<TrainerActor.Command> trainer, String id, Predicate<TrainingJob> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        TrainingJob last = null;
        while (System.nanoTime() < deadline) {
            last = ask(trainer, to -> new TrainerActor.GetJob(id, to)).getValue();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not get there in " + WAIT.toSeconds() + " s; last " + last);
    }

    ActorRef<TrainerActor.Command> trainer(String id, Queue<TrainingJob> published) throws Exception {
        return LabNode.spawn(node.system(), TrainerActor.create(PersistenceId.ofUniqueId(id),
                new TrainerActor.Settings(dataDir, preset), pipeline.statistics(), published::add), id).get();
    }

    @Test
    @Order(1)
    void aTeacherThenItsKdStudentRunInOrderOnTheNodesTrainerAndAreSavedAndPublished() throws Exception {
        ActorRef<TrainerActor.Command> trainer = pipeline.trainer();
        TrainingJob t = submit(trainer, teacher("mnist-t", 4, 32));
        // accepted although its teacher does not exist yet: the job before it trains it
        TrainingJob s = submit(trainer, kd("mnist-s", "mnist-t", 3, null));

        TrainingJob teacherDone = await(trainer, t.id(), TrainingJob::finished);
        TrainingJob studentDone = await(trainer, s.id(), TrainingJob::finished);
        assertEquals(TrainingJob.DONE, teacherDone.state(), teacherDone.reason());
        assertEquals(TrainingJob.DONE, studentDone.state(), studentDone.reason());
        assertFalse(studentDone.startedAt().isBefore(teacherDone.finishedAt()), "one job at a time, in order");
        // the generated bars are easy: both classify every test image (1.0 seen); chance is 0.1
        assertTrue(teacherDone.accuracy() > 0.9, "teacher accuracy " + teacherDone.accuracy() + " on easy data");
        assertTrue(studentDone.accuracy() > 0.9, "student accuracy " + studentDone.accuracy() + " on easy data");
        assertEquals(4, teacherDone.progress().epoch());
        assertEquals(13, teacherDone.progress().batches(), "400 images in batches of 32");
        assertEquals("none: full-precision training", teacherDone.device());
        assertTrue(studentDone.device().startsWith("preset dac2020-65nm-filamentary (the live statistics have no reads yet)"),
                studentDone.device());
        assertEquals("dac2020-65nm-filamentary", studentDone.provenanceAtStart().preset(), "recorded at its start");
        assertEquals(64, studentDone.provenanceAtStart().presetSha256().length());
        assertNull(teacherDone.provenanceAtStart().preset(), "a teacher trains against no device");
        assertNotNull(teacherDone.provenanceAtStart().gitCommit());

        ModelMetadata student = store.metadata("mnist-s");
        assertEquals("mnist", student.dataset());
        assertEquals("mlp", student.architecture(), "the student has its teacher's architecture");
        assertEquals(studentDone.accuracy(), student.accuracy(), 1e-9);
        assertEquals("mnist-t", student.training().get("teacher"));
        assertEquals(studentDone.device(), student.training().get("device"));
        assertEquals(0.99, ((Number) student.training().get("w_max_quantile")).doubleValue(), 1e-12,
                "the w_max rule the student trained with is saved for its mapping");
        assertEquals(3, student.training().get("epochs"));
        assertEquals(teacherDone.accuracy(), store.metadata("mnist-t").accuracy(), 1e-9);

        // the node's event feed carried every change and every epoch
        List<JsonNode> feed = new ArrayList<>();
        for (LabEvent e : node.api().events().after(0, 100_000).events()) {
            if (e.type().equals(LabEvents.TRAINING_JOB) && e.data().path("id").asText().equals(s.id())) {
                feed.add(e.data());
            }
        }
        List<String> states = feed.stream().map(d -> d.path("state").asText()).distinct().toList();
        assertEquals(List.of("queued", "running", "done"), states, feed.toString());
        assertEquals(3, feed.stream().filter(d -> d.path("state").asText().equals("running")
                && d.has("progress")).count(), "one event per epoch: " + feed);
        assertEquals("mnist-s", feed.get(feed.size() - 1).path("model_id").asText());
    }

    @Test
    @Order(2)
    void aLiveKdJobTrainsAgainstTheModelTheLiveStatisticsFit() throws Exception {
        for (ConductanceRecord r : EveryLevelRecords.of("train-1", preset, 20, 5)) {
            publish(r);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (reads() < 20 * 1024) {
            assertTrue(System.nanoTime() < deadline, "the statistics applied the reads");
            Thread.sleep(100);
        }

        Queue<TrainingJob> published = new ConcurrentLinkedQueue<>();
        ActorRef<TrainerActor.Command> trainer = trainer("trainer-live", published);
        TrainingJob job = submit(trainer, kd("live-student", BASE_TEACHER, 2, "live"));
        TrainingJob done = await(trainer, job.id(), TrainingJob::finished);
        assertEquals(TrainingJob.DONE, done.state(), done.reason());
        assertTrue(done.device().matches("live statistics: sigma \\d\\.\\d\\d, stuck \\d+\\.\\d/\\d+\\.\\d % from 20\\.5 k reads"),
                done.device());
        ModelMetadata m = store.metadata("live-student");
        assertEquals(done.device(), m.training().get("device"));
        assertEquals(BASE_TEACHER, m.training().get("teacher"));
        double sigma = ((Number) m.training().get("variation_sigma")).doubleValue();
        assertTrue(Math.abs(sigma - 0.5) < 0.15, "the fitted sigma " + sigma + " is what the simulated array has");
        assertTrue(published.stream().anyMatch(j -> j.state().equals(TrainingJob.RUNNING)
                && done.device().equals(j.device())), "the start was published with its device model");

        // a preset by name is taken as it is
        TrainingJob named = await(trainer, submit(trainer, kd("preset-student", BASE_TEACHER, 1,
                "preset:dac2020-65nm")).id(), TrainingJob::finished);
        assertEquals("preset dac2020-65nm: sigma 0.50, stuck 1.8/9.0 %", named.device());
    }

    private void publish(ConductanceRecord r) throws Exception {
        StatusReply<Done> reply = AskPattern.<MeasurementActor.Command, StatusReply<Done>>ask(pipeline.measurement(),
                to -> new MeasurementActor.Publish(r, to), Duration.ofSeconds(60), node.system().scheduler())
                .toCompletableFuture().get();
        assertTrue(reply.isSuccess(), "Kafka acknowledged " + r.arrayId() + "#" + r.sequence());
    }

    private long reads() throws Exception {
        Optional<StatisticsReport> report = AskPattern.<StatisticsActor.Command, Optional<StatisticsReport>>ask(
                pipeline.statistics(), to -> new StatisticsActor.GetReport(null, to), Duration.ofSeconds(10),
                node.system().scheduler()).toCompletableFuture().get();
        return report.map(StatisticsReport::cellsRead).orElse(0L);
    }

    @Test
    @Order(3)
    void aQueuedJobIsCancelledAtOnceAndARunningOneByInterruptingItsThread() throws Exception {
        Queue<TrainingJob> published = new ConcurrentLinkedQueue<>();
        ActorRef<TrainerActor.Command> trainer = trainer("trainer-cancel", published);
        TrainingJob running = submit(trainer, teacher("cancelled-long", 1000, 8));
        TrainingJob queued = submit(trainer, teacher("cancelled-queued", 1, 32));

        StatusReply<TrainingJob> q = ask(trainer, to -> new TrainerActor.Cancel(queued.id(), to));
        assertTrue(q.isSuccess(), () -> q.getError().getMessage());
        assertEquals(TrainingJob.CANCELLED, q.getValue().state());
        assertEquals("cancelled by the operator while it was queued", q.getValue().reason());

        await(trainer, running.id(), j -> j.progress() != null && j.progress().epoch() >= 2);
        long t0 = System.nanoTime();
        StatusReply<TrainingJob> r = ask(trainer, to -> new TrainerActor.Cancel(running.id(), to));
        assertTrue(r.isSuccess(), () -> r.getError().getMessage());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "the thread stopped within a few batches");
        TrainingJob cancelled = r.getValue();
        assertEquals(TrainingJob.CANCELLED, cancelled.state());
        assertTrue(cancelled.reason().startsWith("cancelled by the operator while it ran, after epoch "), cancelled.reason());
        assertTrue(cancelled.progress().epoch() < 1000);
        assertFalse(store.exists("cancelled-long") || store.exists("cancelled-queued"), "no model saved");

        StatusReply<TrainingJob> again = ask(trainer, to -> new TrainerActor.Cancel(running.id(), to));
        assertEquals("job " + running.id() + " already finished (cancelled); nothing to cancel", again.getError().getMessage());
        StatusReply<TrainingJob> unknown = ask(trainer, to -> new TrainerActor.Cancel("job-99", to));
        assertTrue(unknown.getError().getMessage().startsWith("no training job 'job-99'"), unknown.getError().getMessage());

        // the dispatcher's thread is free and not left interrupted: the next job runs to its end
        TrainingJob next = await(trainer, submit(trainer, teacher("after-cancel", 2, 32)).id(), TrainingJob::finished);
        assertEquals(TrainingJob.DONE, next.state(), next.reason());
        assertTrue(published.stream().anyMatch(j -> j.id().equals(running.id())
                && j.state().equals(TrainingJob.CANCELLED)), "the cancel was published");
    }

    @Test
    @Order(4)
    void aJobRunningWhenItsTrainerStopsIsQueuedAgainAndCompletesAfterTheRestart() throws Exception {
        Queue<TrainingJob> published = new ConcurrentLinkedQueue<>();
        PersistenceId id = PersistenceId.ofUniqueId("trainer-restart");
        var settings = new TrainerActor.Settings(dataDir, preset);
        CompletableFuture<ActorRef<TrainerActor.Command>> first = new CompletableFuture<>();
        CompletableFuture<Done> stopped = new CompletableFuture<>();
        ActorRef<String> parent = LabNode.spawn(node.system(), parent(TrainerActor.create(id, settings,
                pipeline.statistics(), published::add), first, stopped), "restart-1").get();
        ActorRef<TrainerActor.Command> trainer = first.get(10, TimeUnit.SECONDS);
        // long enough to be stopped mid-run (the stop comes after its first epoch), short enough for a loaded machine
        TrainingJob a = submit(trainer, teacher("restarted", 20, 8));
        TrainingJob b = submit(trainer, teacher("after-restart", 40, 32));
        await(trainer, a.id(), j -> j.progress() != null && j.progress().epoch() >= 1);

        parent.tell("stop");
        stopped.get(10, TimeUnit.SECONDS);
        CompletableFuture<ActorRef<TrainerActor.Command>> second = new CompletableFuture<>();
        CompletableFuture<Done> stoppedAgain = new CompletableFuture<>();
        ActorRef<String> parent2 = LabNode.spawn(node.system(), parent(TrainerActor.create(id, settings,
                pipeline.statistics(), published::add), second, stoppedAgain), "restart-2").get();
        ActorRef<TrainerActor.Command> again = second.get(10, TimeUnit.SECONDS);

        TrainingJob aDone = await(again, a.id(), TrainingJob::finished);
        TrainingJob bDone = await(again, b.id(), TrainingJob::finished);
        assertEquals(TrainingJob.DONE, aDone.state(), aDone.reason());
        assertEquals(1, aDone.restarts());
        assertEquals(20, aDone.progress().epoch(), "it ran again to its last epoch");
        assertEquals(TrainingJob.DONE, bDone.state(), bDone.reason());
        assertEquals(0, bDone.restarts());
        assertFalse(bDone.startedAt().isBefore(aDone.finishedAt()), "the queue kept its order");
        assertTrue(published.stream().anyMatch(j -> j.id().equals(a.id()) && j.state().equals(TrainingJob.QUEUED)
                && j.restarts() == 1 && "restarted: the node stopped while it ran".equals(j.reason())), published.toString());
        assertTrue(store.exists("restarted") && store.exists("after-restart"));

        // more than 100 events by now: a third start recovers from a snapshot and the events after it
        parent2.tell("stop");
        stoppedAgain.get(10, TimeUnit.SECONDS);
        CompletableFuture<ActorRef<TrainerActor.Command>> third = new CompletableFuture<>();
        LabNode.spawn(node.system(), parent(TrainerActor.create(id, settings, pipeline.statistics(), published::add),
                third, new CompletableFuture<>()), "restart-3").get();
        TrainerActor.Jobs recovered = AskPattern.<TrainerActor.Command, TrainerActor.Jobs>ask(third.get(10,
                TimeUnit.SECONDS), TrainerActor.ListJobs::new, Duration.ofSeconds(10), node.system().scheduler())
                .toCompletableFuture().get();
        assertEquals(List.of(aDone, bDone), recovered.jobs(), "the same jobs after recovery");
    }

    /** Spawns the trainer as its child and stops it on "stop": an actor stop, as when a node goes down. */
    static Behavior<String> parent(Behavior<TrainerActor.Command> child, CompletableFuture<ActorRef<TrainerActor.Command>> ref,
                                   CompletableFuture<Done> stopped) {
        return Behaviors.setup(ctx -> {
            ActorRef<TrainerActor.Command> c = ctx.spawn(child, "trainer");
            ctx.watch(c);
            ref.complete(c);
            return Behaviors.receive(String.class)
                    .onMessageEquals("stop", () -> {
                        ctx.stop(c);
                        return Behaviors.same();
                    })
                    .onSignal(Terminated.class, t -> {
                        stopped.complete(Done.getInstance());
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    @Test
    @Order(5)
    void failuresBecomeFailedJobsThatSayWhatToDoAndTheQueueMovesOn() throws Exception {
        ActorRef<TrainerActor.Command> trainer = trainer("trainer-fail", new ConcurrentLinkedQueue<>());
        // a job that holds the queue: the failing teacher is still queued when the student naming it is
        // submitted (were it first, it could fail before, and the student would rightly be refused)
        TrainingJob holder = submit(trainer, teacher("holds-the-queue", 2, 32));
        TrainingJob noData = submit(trainer, new TrainingJobSpec("teacher", "fashion-mnist", "fm-teacher", null, "mlp",
                1, 32, null, null, null, null, null, null, null));
        TrainingJob noTeacher = submit(trainer, new TrainingJobSpec("kd", "fashion-mnist", "fm-student", "fm-teacher",
                null, 1, 32, null, null, null, null, "preset:dac2020-65nm", null, null));
        TrainingJob ok = submit(trainer, teacher("ok-after-failures", 1, 32));

        TrainingJob a = await(trainer, noData.id(), TrainingJob::finished);
        assertEquals(TrainingJob.FAILED, a.state());
        assertTrue(a.reason().startsWith("dataset fashion-mnist cannot be loaded: ") && a.reason().contains("datasets fetch"),
                a.reason());
        TrainingJob b = await(trainer, noTeacher.id(), TrainingJob::finished);
        assertEquals(TrainingJob.FAILED, b.state());
        assertTrue(b.reason().startsWith("teacher model 'fm-teacher' does not exist in ")
                && b.reason().endsWith("train it first (a job of kind teacher) or name another teacher"), b.reason());
        assertEquals(TrainingJob.DONE, await(trainer, ok.id(), TrainingJob::finished).state());
        assertEquals(TrainingJob.DONE, await(trainer, holder.id(), TrainingJob::finished).state());
    }

    @Test
    @Order(6)
    void badSpecsAreRefusedWithMessagesThatSayWhatToGive() throws Exception {
        ActorRef<TrainerActor.Command> trainer = trainer("trainer-bad", new ConcurrentLinkedQueue<>());
        assertTrue(refusal(trainer, new TrainingJobSpec("teacher", "svhn", "m1", null, null, null, null, null, null,
                null, null, null, null, null)).contains("dataset: give \"mnist\" or \"fashion-mnist\", got \"svhn\""));
        String ghost = refusal(trainer, kd("m2", "ghost", 1, null));
        assertTrue(ghost.contains("teacher: no model 'ghost'") && ghost.contains("train it first"), ghost);
        String badId = refusal(trainer, teacher("bad id!", 1, 32));
        assertTrue(badId.contains("model: give the id to save the result under; \"bad id!\" is not usable"), badId);
        assertTrue(refusal(trainer, teacher("m3", 0, 32)).contains("epochs must be in 1..1000, got 0"));
        assertTrue(refusal(trainer, kd("m4", null, 1, null)).contains("teacher: a kd job needs the id of a trained teacher"));
        assertTrue(refusal(trainer, kd("m5", BASE_TEACHER, 1, "simulated")).contains("device: give \"live\""));
        assertTrue(refusal(trainer, kd("m6", BASE_TEACHER, 1, "preset:nope")).contains("no usable preset \"nope\""));
        assertTrue(refusal(trainer, teacher(BASE_TEACHER, 1, 32)).contains("'" + BASE_TEACHER + "' exists already"));
        String otherData = refusal(trainer, new TrainingJobSpec("kd", "fashion-mnist", "m7", BASE_TEACHER, null, 1, 32,
                null, null, null, null, null, null, null));
        assertTrue(otherData.contains("was trained on mnist, not fashion-mnist"), otherData);
        String arch = refusal(trainer, new TrainingJobSpec("kd", "mnist", "m8", BASE_TEACHER, "lenet5", 1, 32,
                null, null, null, null, null, null, null));
        assertTrue(arch.contains("architecture: the student starts from its teacher's weights, so it is mlp"), arch);
        String quantile = refusal(trainer, new TrainingJobSpec("kd", "mnist", "m10", BASE_TEACHER, null, 1, 32,
                null, null, null, null, null, null, 0.2));
        assertTrue(quantile.contains("w_max_quantile must lie in (0.5, 1]"), quantile);
        String several = refusal(trainer, new TrainingJobSpec("student", null, "m9", null, null, 0, null, null, 2.0,
                null, null, null, null, null));
        assertTrue(several.startsWith("bad training job: kind: give \"teacher\"") && several.contains("dataset: give")
                && several.contains("epochs must be") && several.contains("alpha must lie in [0, 1]"), several);

        TrainerActor.Jobs jobs = AskPattern.<TrainerActor.Command, TrainerActor.Jobs>ask(trainer,
                TrainerActor.ListJobs::new, Duration.ofSeconds(10), node.system().scheduler()).toCompletableFuture().get();
        assertEquals(List.of(), jobs.jobs(), "nothing refused was queued");
    }
}
