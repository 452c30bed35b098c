package org.rramlab.training;

import static org.rramlab.node.Failures.rootMessage;
import static org.rramlab.node.Failures.unwrap;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.rramlab.api.Refusal;
import org.rramlab.device.DevicePreset;
import org.rramlab.learning.kd.TrainingEvent;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.node.Provenance;
import org.rramlab.serialization.CborSerializable;

/**
 * The training jobs of a node, event-sourced: one job at a time, first in first out, its tensor
 * work on the {@value #DISPATCHER} (one thread), never on the actor's. Progress comes back from
 * that thread as messages; epochs and state changes are recorded and published, per-batch progress
 * is only kept in memory. A job that was running when the node stopped is queued again when the
 * node starts and runs from the beginning; nothing queued is lost.
 */
public final class TrainerActor extends EventSourcedBehavior<TrainerActor.Command, TrainerEvent, TrainerState> {
    /** Fixed: there is one trainer per node, and a restarted node must find its jobs. */
    public static final PersistenceId ID = PersistenceId.ofUniqueId("Trainer");
    /** The dispatcher the tensor work runs on: top-level in rramlab.conf, one thread. */
    public static final String DISPATCHER = "training-dispatcher";
    public static final String NO_SUCH_JOB = "no training job";
    public static final String ALREADY_FINISHED = "already finished";
    public static final String QUEUE_FULL = "the queue is full";
    static final int MAX_ACTIVE = 100;

    public sealed interface Command extends CborSerializable {}

    public record Submit(TrainingJobSpec spec, ActorRef<StatusReply<TrainingJob>> replyTo) implements Command {}

    /** A queued job is cancelled at once, a running one once its thread has stopped (within a batch). */
    public record Cancel(String jobId, ActorRef<StatusReply<TrainingJob>> replyTo) implements Command {}

    public record GetJob(String jobId, ActorRef<StatusReply<TrainingJob>> replyTo) implements Command {}

    public record ListJobs(ActorRef<Jobs> replyTo) implements Command {}

    /** Every job kept (the active ones and the last finished ones), oldest first. */
    public record Jobs(List<TrainingJob> jobs) implements CborSerializable {}

    private enum Next implements Command { INSTANCE }

    private enum Recovered implements Command { INSTANCE }

    /** The files a submitted spec needs have been looked at (off this thread). */
    private record FilesChecked(Submit submit, boolean teacherQueued, TrainerChecks.Files files, Throwable failure)
            implements Command {}

    private record DeviceReady(String jobId, DeviceChoice device, Throwable failure) implements Command {}

    /** Told by the training thread to the trainer itself, never to another node: not checked by serialize-messages. */
    private record Report(String jobId, TrainingEvent event)
            implements Command, org.apache.pekko.actor.NoSerializationVerificationNeeded {}

    private record WorkEnded(String jobId, TrainingRun.Result result, Throwable failure) implements Command {}

    /**
     * @param dataDir    datasets are read from {@code <dataDir>/datasets}, models saved in {@code <dataDir>/models}
     * @param basePreset the device model of a "live" job while the live statistics have no reads
     */
    public record Settings(Path dataDir, DevicePreset basePreset) {}

    /**
     * @param statistics the live statistics "live" jobs fit their device model from; null: none on this node
     * @param publish    receives the job after every change of state and every epoch (the event feed)
     */
    public static Behavior<Command> create(Settings settings, ActorRef<StatisticsActor.Command> statistics,
                                           Consumer<TrainingJob> publish) {
        return create(ID, settings, statistics, publish);
    }

    /** With another persistence id: for tests that run several trainers on one journal. */
    static Behavior<Command> create(PersistenceId id, Settings settings, ActorRef<StatisticsActor.Command> statistics,
                                    Consumer<TrainingJob> publish) {
        return Behaviors.setup(ctx -> new TrainerActor(ctx, id, settings, statistics, publish));
    }

    private final ActorContext<Command> context;
    private final Settings settings;
    private final ActorRef<StatisticsActor.Command> statistics;
    private final Consumer<TrainingJob> publish;
    private final Executor executor;
    /** File reads (model store, presets): never on this actor's thread. */
    private final Executor blocking;
    /** The last submission's file check: the next one runs after it, so replies keep the order of submission. */
    private CompletableFuture<?> lastCheck = CompletableFuture.completedFuture(null);
    /** The job whose device model is being looked up, before it is recorded as started. */
    private String starting;
    private JobThread worker;
    /** Per-batch progress of the running job: shown, not recorded. */
    private TrainingJob.Progress live;
    private final Map<String, List<ActorRef<StatusReply<TrainingJob>>>> cancelling = new HashMap<>();

    private TrainerActor(ActorContext<Command> context, PersistenceId id, Settings settings,
                         ActorRef<StatisticsActor.Command> statistics, Consumer<TrainingJob> publish) {
        super(id);
        this.context = context;
        this.settings = settings;
        this.statistics = statistics;
        this.publish = publish;
        this.executor = context.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(DISPATCHER));
        this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    }

    @Override
    public TrainerState emptyState() {
        return TrainerState.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }

    @Override
    public SignalHandler<TrainerState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    if (!state.active().isEmpty()) {
                        context.getLog().info("training: {} job(s) to run after the start, {} of them again",
                                state.active().size(), state.running().isPresent() ? 1 : 0);
                    }
                    context.getSelf().tell(Recovered.INSTANCE);
                })
                // the thread must not go on training for an actor that is gone; the job stays
                // "running" in the journal and is queued again at the next start
                .onSignal(PostStop.instance(), state -> {
                    if (worker != null) {
                        context.getLog().info("training: stopped while {} ran; it runs again at the next start",
                                worker.jobId);
                        worker.cancel();
                    }
                })
                .build();
    }

    @Override
    public EventHandler<TrainerState, TrainerEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(TrainerEvent.Queued.class, TrainerState::queued)
                .onEvent(TrainerEvent.Started.class, TrainerState::started)
                .onEvent(TrainerEvent.EpochDone.class, TrainerState::epochDone)
                .onEvent(TrainerEvent.Requeued.class, TrainerState::requeued)
                .onEvent(TrainerEvent.Done.class, TrainerState::done)
                .onEvent(TrainerEvent.Failed.class, TrainerState::failed)
                .onEvent(TrainerEvent.Cancelled.class, TrainerState::cancelled)
                .build();
    }

    /**
     * In the order Pekko tries them: what any state answers, then what starts a job (nothing runs),
     * then what a running job's thread reports, last the late messages no state expects.
     */
    @Override
    public CommandHandler<Command, TrainerEvent, TrainerState> commandHandler() {
        CommandHandlerBuilder<Command, TrainerEvent, TrainerState> builder = newCommandHandlerBuilder();
        builder.forAnyState()
                .onCommand(Recovered.class, (s, r) -> onRecovered(s))
                .onCommand(Submit.class, this::onSubmit)
                .onCommand(FilesChecked.class, this::onFilesChecked)
                .onCommand(Cancel.class, this::onCancel)
                .onCommand(GetJob.class, this::onGetJob)
                .onCommand(ListJobs.class, this::onListJobs);
        builder.forState(s -> s.running().isEmpty())
                .onCommand(Next.class, (s, n) -> startNext(s))
                .onCommand(DeviceReady.class, this::onDeviceReady);
        builder.forState(s -> s.running().isPresent())
                .onCommand(Report.class, this::onReport)
                .onCommand(WorkEnded.class, this::onWorkEnded);
        // a job runs already (Next, DeviceReady: started only while none runs), or the job these
        // came from has ended (Report, WorkEnded)
        builder.forAnyState()
                .onAnyCommand((s, c) -> Effect().none());
        return builder.build();
    }

    // ---- queries ----

    private Effect<TrainerEvent, TrainerState> onGetJob(TrainerState s, GetJob g) {
        g.replyTo().tell(s.job(g.jobId()).map(j -> StatusReply.success(view(j)))
                .orElseGet(() -> Refusal.reply(Refusal.Kind.NOT_FOUND, unknown(g.jobId()))));
        return Effect().none();
    }

    private Effect<TrainerEvent, TrainerState> onListJobs(TrainerState s, ListJobs l) {
        l.replyTo().tell(new Jobs(s.all().stream().map(this::view).toList()));
        return Effect().none();
    }

    // ---- operator commands ----

    private Effect<TrainerEvent, TrainerState> onSubmit(TrainerState s, Submit submit) {
        List<String> problems = TrainerChecks.specProblems(submit.spec());
        if (s.active().size() >= MAX_ACTIVE || !problems.isEmpty()) {
            return refuse(s, submit, problems);
        }
        CompletableFuture<TrainerChecks.Files> files = lastCheck.handle((x, e) -> null)
                .thenApplyAsync(x -> TrainerChecks.files(submit.spec(), settings.dataDir()), blocking);
        lastCheck = files;
        // a teacher queued now counts even if its job has ended by the time the files are read
        boolean teacherQueued = TrainerChecks.teacherQueued(submit.spec(), s);
        context.pipeToSelf(files, (f, e) -> new FilesChecked(submit, teacherQueued, f, e));
        return Effect().none();
    }

    private Effect<TrainerEvent, TrainerState> onFilesChecked(TrainerState s, FilesChecked checked) {
        Submit submit = checked.submit();
        if (checked.failure() != null) {
            submit.replyTo().tell(Refusal.reply(Refusal.Kind.UNAVAILABLE, "the node's files could not be read: "
                    + rootMessage(checked.failure()) + "; submit again"));
            return Effect().none();
        }
        List<String> problems = TrainerChecks.problems(submit.spec(), checked.files(), settings.dataDir(), s,
                checked.teacherQueued());
        if (s.active().size() >= MAX_ACTIVE || !problems.isEmpty()) {
            return refuse(s, submit, problems);
        }
        String id = TrainerState.idOf(s.lastNumber() + 1);
        return Effect().persist(new TrainerEvent.Queued(Instant.now(), id, submit.spec()))
                .thenRun(ns -> submit.replyTo().tell(StatusReply.success(ns.job(id).orElseThrow())))
                .thenRun(ns -> changed(ns, id))
                .thenRun(ns -> context.getSelf().tell(Next.INSTANCE));
    }

    private Effect<TrainerEvent, TrainerState> refuse(TrainerState s, Submit submit, List<String> problems) {
        submit.replyTo().tell(s.active().size() >= MAX_ACTIVE
                ? Refusal.reply(Refusal.Kind.CONFLICT, QUEUE_FULL + ": " + MAX_ACTIVE
                        + " jobs wait or run already; submit again when some have finished")
                : Refusal.reply(Refusal.Kind.BAD_INPUT, "bad training job: " + String.join("; ", problems)));
        return Effect().none();
    }

    private Effect<TrainerEvent, TrainerState> onCancel(TrainerState s, Cancel cancel) {
        TrainingJob job = s.job(cancel.jobId()).orElse(null);
        if (job == null) {
            cancel.replyTo().tell(Refusal.reply(Refusal.Kind.NOT_FOUND, unknown(cancel.jobId())));
            return Effect().none();
        }
        if (job.finished()) {
            cancel.replyTo().tell(Refusal.reply(Refusal.Kind.CONFLICT, finished(job)));
            return Effect().none();
        }
        if (worker != null && worker.jobId.equals(job.id())) {
            // answered when the thread has stopped: the job may still finish first
            cancelling.computeIfAbsent(job.id(), k -> new ArrayList<>()).add(cancel.replyTo());
            worker.cancel();
            return Effect().none();
        }
        String where = job.state() == TrainingJob.RUNNING ? "while it ran" : "while it was queued";
        if (job.id().equals(starting)) {
            starting = null;
        }
        return Effect().persist(new TrainerEvent.Cancelled(Instant.now(), job.id(), "cancelled by the operator " + where))
                .thenRun(ns -> cancel.replyTo().tell(StatusReply.success(ns.job(job.id()).orElseThrow())))
                .thenRun(ns -> changed(ns, job.id()))
                .thenRun(ns -> context.getSelf().tell(Next.INSTANCE));
    }

    // ---- running the queue ----

    /** After a restart: a job that was running starts over; then the queue goes on. */
    private Effect<TrainerEvent, TrainerState> onRecovered(TrainerState s) {
        List<TrainerEvent> requeued = new ArrayList<>();
        for (TrainingJob j : s.active()) {
            if (j.state() == TrainingJob.RUNNING && worker == null) {
                requeued.add(new TrainerEvent.Requeued(Instant.now(), j.id(), "restarted: the node stopped while it ran"));
            }
        }
        return Effect().persist(requeued)
                .thenRun(ns -> requeued.forEach(e -> changed(ns, e.jobId())))
                .thenRun(ns -> context.getSelf().tell(Next.INSTANCE));
    }

    /** Starts the first queued job when nothing runs: its device model first, then its thread. */
    private Effect<TrainerEvent, TrainerState> startNext(TrainerState s) {
        if (worker != null || starting != null || s.running().isPresent()) {
            return Effect().none();
        }
        TrainingJob job = s.nextQueued().orElse(null);
        if (job == null) {
            return Effect().none();
        }
        starting = job.id();
        CompletionStage<DeviceChoice> device;
        try {
            TrainingJobSpec spec = job.spec();
            if (!spec.distills()) {
                device = CompletableFuture.completedFuture(DeviceChoice.none());
            } else if (spec.presetName() != null) {
                device = CompletableFuture.supplyAsync(() -> DeviceChoice.preset(spec.presetName(), settings.dataDir()),
                        blocking);
            } else {
                device = DeviceChoice.live(statistics, settings.basePreset(), "live-" + job.id(),
                        context.getSystem().scheduler());
            }
        } catch (RuntimeException e) {
            device = CompletableFuture.failedFuture(e);
        }
        context.pipeToSelf(device, (d, e) -> new DeviceReady(job.id(), d, e));
        return Effect().none();
    }

    private Effect<TrainerEvent, TrainerState> onDeviceReady(TrainerState s, DeviceReady ready) {
        if (!ready.jobId().equals(starting)) {
            return Effect().none(); // cancelled meanwhile
        }
        starting = null;
        if (ready.failure() != null) {
            return fail(ready.jobId(), rootMessage(ready.failure()));
        }
        String id = ready.jobId();
        TrainingJobSpec spec = s.job(id).orElseThrow().spec();
        return Effect().persist(new TrainerEvent.Started(Instant.now(), id, ready.device().description(),
                        Provenance.of(ready.device().preset())))
                .thenRun(ns -> changed(ns, id))
                .thenRun(ns -> launch(id, spec, ready.device()));
    }

    private void launch(String jobId, TrainingJobSpec spec, DeviceChoice device) {
        JobThread w = new JobThread(jobId);
        worker = w;
        live = null;
        ActorRef<Command> self = context.getSelf();
        CompletableFuture<TrainingRun.Result> work = CompletableFuture.supplyAsync(() -> w.run(() ->
                TrainingRun.run(jobId, spec, device, settings.dataDir(), e -> self.tell(new Report(jobId, e)))),
                executor);
        context.pipeToSelf(work, (r, e) -> new WorkEnded(jobId, r, e));
    }

    private Effect<TrainerEvent, TrainerState> onReport(TrainerState s, Report report) {
        if (worker == null || !worker.jobId.equals(report.jobId())) {
            return Effect().none();
        }
        TrainingJob.Progress last = s.job(report.jobId()).map(TrainingJob::progress).orElse(null);
        if (report.event() instanceof TrainingEvent.Started e) {
            worker.batches = e.batchesPerEpoch();
            live = new TrainingJob.Progress(1, e.epochs(), 0, e.batchesPerEpoch(), null, null, null, null);
        } else if (report.event() instanceof TrainingEvent.Progress p) {
            int epochs = s.job(report.jobId()).map(j -> j.spec().epochsOrDefault()).orElse(0);
            live = new TrainingJob.Progress(p.epoch(), epochs, p.batch(), p.batches(), p.loss(),
                    last == null ? null : last.trainAccuracy(), last == null ? null : last.testAccuracy(),
                    last == null ? null : last.imagesPerSecond());
        } else if (report.event() instanceof TrainingEvent.EpochFinished f) {
            live = null;
            return Effect().persist(new TrainerEvent.EpochDone(Instant.now(), report.jobId(), f.epoch(), f.epochs(),
                            worker.batches, f.loss(), f.trainAccuracy(), f.testAccuracy(), f.imagesPerSecond()))
                    .thenRun(ns -> changed(ns, report.jobId()));
        }
        return Effect().none();
    }

    private Effect<TrainerEvent, TrainerState> onWorkEnded(TrainerState s, WorkEnded ended) {
        if (worker == null || !worker.jobId.equals(ended.jobId())) {
            return Effect().none();
        }
        boolean cancelRequested = worker.cancelled;
        worker = null;
        live = null;
        String id = ended.jobId();
        List<ActorRef<StatusReply<TrainingJob>>> waiting = cancelling.getOrDefault(id, List.of());
        cancelling.remove(id);
        Throwable failure = ended.failure() == null ? null : unwrap(ended.failure());
        TrainerEvent event;
        if (failure == null) {
            TrainingRun.Result r = ended.result();
            event = new TrainerEvent.Done(Instant.now(), id, r.modelId(), r.accuracy(), r.seconds());
        } else if (failure instanceof CancellationException || cancelRequested) {
            TrainingJob.Progress p = s.job(id).map(TrainingJob::progress).orElse(null);
            event = new TrainerEvent.Cancelled(Instant.now(), id, "cancelled by the operator while it ran"
                    + (p == null ? ", before the first epoch ended" : ", after epoch " + p.epoch() + " of " + p.epochs()));
        } else {
            event = new TrainerEvent.Failed(Instant.now(), id, reason(failure));
        }
        return Effect().persist(event)
                .thenRun(ns -> {
                    TrainingJob job = ns.job(id).orElseThrow();
                    waiting.forEach(r -> r.tell(job.state() == TrainingJob.CANCELLED
                            ? StatusReply.success(job) : Refusal.reply(Refusal.Kind.CONFLICT, finished(job))));
                })
                .thenRun(ns -> changed(ns, id))
                .thenRun(ns -> context.getSelf().tell(Next.INSTANCE));
    }

    private Effect<TrainerEvent, TrainerState> fail(String id, String reason) {
        context.getLog().warn("training {} failed: {}", id, reason);
        return Effect().persist(new TrainerEvent.Failed(Instant.now(), id, reason))
                .thenRun(ns -> changed(ns, id))
                .thenRun(ns -> context.getSelf().tell(Next.INSTANCE));
    }

    private String reason(Throwable failure) {
        if (failure instanceof TrainingRun.JobFailure) {
            context.getLog().warn("training failed: {}", failure.getMessage());
            return failure.getMessage();
        }
        context.getLog().error("training failed", failure);
        return "training failed: " + rootMessage(failure) + "; see the node's log for details";
    }

    // ---- views ----

    private TrainingJob view(TrainingJob j) {
        return live != null && worker != null && worker.jobId.equals(j.id()) ? j.withProgress(live) : j;
    }

    private void changed(TrainerState s, String id) {
        s.job(id).ifPresent(j -> {
            try {
                publish.accept(view(j));
            } catch (RuntimeException e) {
                context.getLog().warn("training job {} not published: {}", id, e.getMessage());
            }
        });
    }

    private static String unknown(String id) {
        return NO_SUCH_JOB + " '" + id + "'; GET /api/training-jobs lists the jobs";
    }

    private static String finished(TrainingJob j) {
        return "job " + j.id() + " " + ALREADY_FINISHED + " (" + j.state() + "); nothing to cancel";
    }
}
