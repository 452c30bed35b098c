package org.rramlab.app.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.StatusReply;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySpec;
import org.rramlab.array.ArraySummary;
import org.rramlab.campaign.CampaignActor;
import org.rramlab.campaign.CampaignSpec;
import org.rramlab.campaign.CampaignState;
import org.rramlab.campaign.CampaignStatus;
import org.rramlab.datasets.Dataset;
import org.rramlab.datasets.DatasetStore;
import org.rramlab.deploy.DeploymentEvent;
import org.rramlab.deploy.DeploymentSpec;
import org.rramlab.deploy.DeploymentStatus;
import org.rramlab.deploy.DeploymentState;
import org.rramlab.deploy.OsaSupervisor;
import org.rramlab.learning.model.ModelStore;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LivePipeline;
import org.rramlab.statistics.StatisticsReport;
import org.rramlab.training.TrainerActor;
import org.rramlab.training.TrainingJob;
import org.rramlab.training.TrainingJobSpec;

/**
 * The whole loop on one node, as an operator would run it by hand: MNIST, a characterization
 * campaign that gives the live statistics a device model, a teacher, a KD student trained against
 * that live model, the student deployed onto simulated arrays under an OSA supervisor, and an
 * accelerated drift campaign on those arrays while the supervisor keeps accuracy up. Every step
 * goes through the node's actors, so the dashboard and the API show it as it happens, and a
 * second run takes up what the first left: saved models, the deployment, the running campaign.
 */
public final class Demo {
    static final String CHARACTERIZE = "demo-characterize";
    static final String DRIFT = "demo-drift";
    static final String DEPLOYMENT = "demo";
    static final String CHAR_ARRAY = "demo-char-0";

    /**
     * @param acceleration array seconds per wall-clock second in the drift campaign
     * @param runFor       stop the node after this long (null: run until Ctrl-C)
     */
    public record Options(int teacherEpochs, int studentEpochs, double acceleration, Duration summaryEvery,
                          Duration runFor, double checkIntervalSeconds) {}

    private final LabNode node;
    private final Options options;
    private final PrintStream out;
    private final Duration timeout = Duration.ofMinutes(2);
    private final long t0;
    private final Instant startedAt;

    /** @param startNanos {@link System#nanoTime()} when the command started, for the times it prints */
    public Demo(LabNode node, Options options, PrintStream out, long startNanos) {
        this.node = node;
        this.options = options;
        this.out = out;
        this.t0 = startNanos;
        this.startedAt = Instant.now().minusNanos(System.nanoTime() - startNanos);
    }

    /** Runs the loop; returns when {@code runFor} is over or the node stops. */
    public DemoSummary run() throws Exception {
        LivePipeline lab = node.pipeline().get(2, TimeUnit.MINUTES);
        ModelStore models = new ModelStore(node.settings().dataDir().resolve("models"));
        fetchMnist();
        characterize(lab);
        String teacher = "mnist-lenet5-teacher";
        if (!models.exists(teacher)) {
            train(lab, new TrainingJobSpec(TrainingJobSpec.TEACHER, "mnist", teacher, null, "lenet5",
                    options.teacherEpochs(), null, null, null, null, 1L, null, null, null));
        } else {
            say("teacher: %s is saved (%.2f %% test accuracy)", teacher, 100 * models.metadata(teacher).accuracy());
        }
        String student = "mnist-lenet5-demo-student";
        if (!models.exists(student)) {
            train(lab, new TrainingJobSpec(TrainingJobSpec.KD, "mnist", student, teacher, null,
                    options.studentEpochs(), null, null, null, null, 2L, TrainingJobSpec.LIVE, null, null));
        } else {
            say("KD student: %s is saved (%.2f %% test accuracy in software)", student,
                    100 * models.metadata(student).accuracy());
        }
        DemoSummary summary = new DemoSummary(startedAt);
        deploy(lab, student, summary);
        drift(lab);
        follow(lab, summary);
        return summary;
    }

    private void fetchMnist() {
        DatasetStore store = new DatasetStore(node.settings().dataDir());
        if (store.status(Dataset.MNIST).intact()) {
            say("MNIST: present in %s", store.dir(Dataset.MNIST));
            return;
        }
        say("MNIST: fetching");
        store.fetchMnist(line -> say("  %s", line));
    }

    /** A short every-level campaign on a spare array, so that the live statistics fit a device model. */
    private void characterize(LivePipeline lab) throws InterruptedException {
        ask(lab.arrays(), CHAR_ARRAY, (ActorRef<StatusReply<ArraySummary>> r) -> new ArrayActor.Register(
                ArraySpec.simulated(node.system().settings().config().getString("rramlab.statistics.preset"), 256,
                        256, 100), r));
        CampaignStatus status = campaign(lab, CHARACTERIZE);
        if (status == null) {
            say("characterization: every level on %s, 8 reads over 2 days of array time", CHAR_ARRAY);
            ask(lab.campaigns().region(), CHARACTERIZE, (ActorRef<StatusReply<CampaignStatus>> r) ->
                    new CampaignActor.Start(new CampaignSpec(List.of(CHAR_ARRAY),
                            new CampaignSpec.ProgramPattern("every-level", null, null), null, false, 21_600.0, 8, null,
                            null, 86_400.0, null), r));
        }
        while (status == null || status.state() == CampaignState.Status.RUNNING) {
            Thread.sleep(500);
            status = campaign(lab, CHARACTERIZE);
        }
        StatisticsReport report = statistics(lab);
        if (report != null && report.cellsRead() > 0) {
            say("live device model: sigma %.3f, stuck high %.2f %%, stuck low %.2f %% from %,d cell reads",
                    report.logSigma(), 100 * report.stuckHighFraction(), 100 * report.stuckLowFraction(),
                    report.cellsRead());
        }
    }

    private CampaignStatus campaign(LivePipeline lab, String id) {
        try {
            return ask(lab.campaigns().region(), id, CampaignActor.GetStatus::new);
        } catch (CompletionException e) {
            return null;
        }
    }

    private StatisticsReport statistics(LivePipeline lab) {
        Optional<StatisticsReport> report = AskPattern.<StatisticsActor.Command, Optional<StatisticsReport>>ask(
                lab.statistics(), r -> new StatisticsActor.GetReport(null, r), timeout, node.system().scheduler())
                .toCompletableFuture().join();
        return report.orElse(null);
    }

    /** Submits a training job and follows it epoch by epoch until it ends. */
    private void train(LivePipeline lab, TrainingJobSpec spec) throws InterruptedException {
        TrainingJob job = askTrainer(lab, r -> new TrainerActor.Submit(spec, r));
        say("%s: training %s (job %s)", spec.distills() ? "KD student" : "teacher", spec.model(), job.id());
        boolean deviceShown = false;
        int epochsShown = 0;
        while (!job.finished()) {
            Thread.sleep(1000);
            String id = job.id();
            job = askTrainer(lab, r -> new TrainerActor.GetJob(id, r));
            if (job.device() != null && !deviceShown && spec.distills()) {
                say("  device model: %s", job.device());
                deviceShown = true;
            }
            // the figures are those of the last finished epoch
            TrainingJob.Progress p = job.progress();
            int finished = p == null ? 0 : p.batch() >= p.batches() ? p.epoch() : p.epoch() - 1;
            if (finished > epochsShown && p.testAccuracy() != null) {
                say("  epoch %d/%d: loss %.4f, test %.2f %%%s, %.0f images/s", finished, p.epochs(), p.loss(),
                        100 * p.testAccuracy(), spec.distills() ? " (through device draws)" : "",
                        p.imagesPerSecond() == null ? 0 : p.imagesPerSecond());
                epochsShown = finished;
            }
        }
        if (!TrainingJob.DONE.equals(job.state())) {
            throw new IllegalStateException("training job " + job.id() + " " + job.state() + ": " + job.reason());
        }
        say("  saved %s: %.2f %% test accuracy", job.modelId(), 100 * job.accuracy());
    }

    private void deploy(LivePipeline lab, String model, DemoSummary summary) throws InterruptedException {
        DeploymentSpec spec = new DeploymentSpec(model, null, null, null, null, 1L, null, null, null,
                options.checkIntervalSeconds(), null, null, null, null);
        DeploymentStatus status = existing(lab);
        if (status != null) {
            say("deployment %s: taken up (%s, %d checks, %d OSA rounds so far)", DEPLOYMENT, status.phase().json(),
                    status.checks(), status.rounds());
        } else {
            status = askDeployment(lab, r -> new OsaSupervisor.Start(spec, r));
            say("deployment %s: %s onto %s (%,d weights, %.2f %% in software)", DEPLOYMENT, model, status.arrays(),
                    status.weights(), 100 * status.softwareAccuracy());
        }
        while (status.rounds() == 0 && status.phase() != DeploymentState.Phase.STOPPED) {
            Thread.sleep(500);
            status = askDeployment(lab, OsaSupervisor.GetStatus::new);
        }
        OsaSupervisor.History history = askDeployment(lab, OsaSupervisor.GetHistory::new);
        summary.rounds(history.rounds(), this::round);
    }

    private DeploymentStatus existing(LivePipeline lab) {
        try {
            return askDeployment(lab, OsaSupervisor.GetStatus::new);
        } catch (CompletionException e) {
            return null;
        }
    }

    private void drift(LivePipeline lab) {
        if (campaign(lab, DRIFT) != null) {
            return;
        }
        DeploymentStatus status = askDeployment(lab, OsaSupervisor.GetStatus::new);
        say("drift campaign: the deployed arrays read every %s of array time, %,.0fx faster than real time",
                DemoSummary.arrayTime(options.acceleration()), options.acceleration());
        ask(lab.campaigns().region(), DRIFT, (ActorRef<StatusReply<CampaignStatus>> r) -> new CampaignActor.Start(
                new CampaignSpec(status.arrays(), new CampaignSpec.ProgramPattern("keep", null, null), null, false,
                        options.acceleration(), demoReads(options.acceleration()), null, null, options.acceleration(), null), r));
    }

    /** Prints each new round and a summary line every {@code summaryEvery} until {@code runFor} is over. */
    private void follow(LivePipeline lab, DemoSummary summary) throws InterruptedException {
        long end = options.runFor() == null ? Long.MAX_VALUE : t0 + options.runFor().toNanos();
        long nextLine = System.nanoTime();
        while (System.nanoTime() < end && !node.whenStopped().toCompletableFuture().isDone()) {
            try {
                OsaSupervisor.History history = askDeployment(lab, OsaSupervisor.GetHistory::new);
                summary.rounds(history.rounds(), this::round);
                summary.decisions(history.decisions(), this::decision);
                summary.refreshes(history.refreshes(), this::refresh);
                if (System.nanoTime() >= nextLine) {
                    DeploymentStatus status = askDeployment(lab, OsaSupervisor.GetStatus::new);
                    say("%s", summary.line(status));
                    nextLine = System.nanoTime() + options.summaryEvery().toNanos();
                }
            } catch (CompletionException e) {
                say("the deployment did not answer (%s); trying again", e.getCause() == null ? e : e.getCause().getMessage());
            }
            Thread.sleep(1000);
        }
    }

    private void decision(DeploymentEvent.Decided d) {
        say("drift policy at check %d, array time %s: %s (%s)", d.check(), DemoSummary.arrayTime(d.arrayTimeSeconds()),
                d.action().id(), d.reason());
    }

    private void refresh(DeploymentEvent.Refresh r) {
        say("refresh %d (decided at check %d), array time %s: %,d devices written with write-verify, %,d pulses,"
                        + " %d out of tolerance, %.1f s", r.number(), r.check(), DemoSummary.arrayTime(r.arrayTimeSeconds()),
                r.devices(), r.pulses(), r.outOfTolerance(), r.seconds());
    }

    private void round(DeploymentEvent.Round r) {
        say("OSA round %d (%s) at array time %s: HIL %.2f %% -> %.2f %%%s (RRAM alone %.2f %%), %,d SRAM weights"
                        + " = %.2f %% of the weights, area %.2f %% of the macro (%.1f %% in cells), %.1f s",
                r.number(), r.trigger(), DemoSummary.arrayTime(r.arrayTimeSeconds()), 100 * r.accuracyBefore(),
                100 * r.accuracyAfter(), r.applied() ? "" : " (not better: kept the previous corrections)",
                100 * r.rawAccuracy(), r.positions(), 100 * r.sramFraction(), 100 * r.areaCostMacro(),
                100 * r.areaCostCell(), r.seconds());
    }

    private void say(String format, Object... args) {
        out.println(DemoSummary.clock(System.nanoTime() - t0) + "  " + String.format(format, args));
    }

    private <T> T askTrainer(LivePipeline lab, Function<ActorRef<StatusReply<T>>, TrainerActor.Command> command) {
        return AskPattern.askWithStatus(lab.trainer(), command, timeout, node.system().scheduler())
                .toCompletableFuture().join();
    }

    private <T> T askDeployment(LivePipeline lab, Function<ActorRef<StatusReply<T>>, OsaSupervisor.Command> command) {
        return ask(lab.deployments().region(), DEPLOYMENT, command);
    }

    private <C, T> T ask(RecipientRef<ShardingEnvelope<C>> region, String id,
                         Function<ActorRef<StatusReply<T>>, C> command) {
        return AskPattern.<ShardingEnvelope<C>, T>askWithStatus(region,
                        r -> new ShardingEnvelope<>(id, command.apply(r)), timeout, node.system().scheduler())
                .toCompletableFuture().join();
    }

    /** As many reads as a campaign may hold: at most MAX_READS and MAX_ARRAY_SECONDS of array time. */
    static int demoReads(double intervalSeconds) {
        return (int) Math.max(1, Math.min(CampaignSpec.MAX_READS,
                Math.floor(CampaignSpec.MAX_ARRAY_SECONDS / intervalSeconds) - 1));
    }
}
