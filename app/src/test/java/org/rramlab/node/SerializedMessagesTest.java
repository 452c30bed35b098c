package org.rramlab.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.app.node.LivePipeline;
import org.rramlab.api.Refusal;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySpec;
import org.rramlab.array.ArraySummary;
import org.rramlab.array.LabFixture;
import org.rramlab.campaign.CampaignActor;
import org.rramlab.campaign.CampaignSpec;
import org.rramlab.campaign.CampaignStatus;
import org.rramlab.deploy.DeploymentSpec;
import org.rramlab.deploy.DeploymentStatus;
import org.rramlab.deploy.OsaSupervisor;
import org.rramlab.device.Block;
import org.rramlab.learning.TestData;
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
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.statistics.StatisticsReport;
import org.rramlab.training.TrainerActor;
import org.rramlab.training.TrainingJob;
import org.rramlab.training.TrainingJobSpec;

/**
 * Every message that may cross nodes serializes: a node with {@code serialize-messages = on}
 * (each message, replies included, goes through its serializer and back before delivery) runs
 * the arrays', a campaign's, a deployment's, the trainer's and the statistics' protocols,
 * refusals included. A message that does not serialize never arrives, and the asks time out.
 * (serialize-creators does not apply: typed actors are spawned from behaviors, never sent.)
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SerializedMessagesTest {
    static final Map<String, String> SERIALIZE = Map.of("pekko.actor.serialize-messages", "on",
            // a message that fails the check is dropped; say so loudly
            "pekko.actor.warn-about-java-serializer-usage", "on");
    static final Duration ASK = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    static <M, T> T ask(LabFixture lab, RecipientRef<M> to, Function<ActorRef<StatusReply<T>>, M> command) {
        return AskPattern.<M, T>askWithStatus(to, command::apply, ASK, lab.node.system().scheduler())
                .toCompletableFuture().join();
    }

    static <M, T> T askPlain(LabFixture lab, RecipientRef<M> to, Function<ActorRef<T>, M> command) {
        return AskPattern.<M, T>ask(to, command::apply, ASK, lab.node.system().scheduler()).toCompletableFuture().join();
    }

    static <C, T> T sharded(LabFixture lab, ActorRef<ShardingEnvelope<C>> region, String id,
                            Function<ActorRef<StatusReply<T>>, C> command) {
        return ask(lab, region, r -> new ShardingEnvelope<>(id, command.apply(r)));
    }

    /** The refusal an ask ended with (it must end with one, not with a timeout). */
    static Refusal.Kind refused(Runnable ask) {
        try {
            ask.run();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            assertTrue(cause instanceof Refusal, "a refusal, not " + cause);
            return ((Refusal) cause).kind();
        }
        throw new AssertionError("the command was not refused");
    }

    static <T> T await(String what, java.util.function.Supplier<T> status, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = status.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; last: " + last);
    }

    @Test
    void theProtocolsOfArraysCampaignsDeploymentsTrainingAndStatisticsSerialize() throws Exception {
        drive(SERIALIZE);
    }

    /**
     * A cluster of one (its own seed node): the statistics are sharded partition owners merged by a
     * view, the trainer and the registries are cluster singletons, the shards remember their
     * entities in the journal — the messages a lab of several nodes sends between them.
     */
    @Test
    void inAClusterThePartitionOwnersSingletonsAndRememberedEntitiesSerializeToo() throws Exception {
        int port = LabFixture.freePort();
        String seed = "pekko://rramlab@127.0.0.1:" + port;
        Map<String, Object> cluster = new java.util.HashMap<>(SERIALIZE);
        cluster.put("rramlab.cluster.port", Integer.toString(port));
        cluster.put("rramlab.cluster.seed-nodes", List.of(seed));
        // what the node derives from rramlab.cluster.* when it is given at start
        cluster.put("pekko.remote.artery.canonical.port", Integer.toString(port));
        cluster.put("pekko.cluster.seed-nodes", List.of(seed));
        cluster.put("pekko.cluster.sharding.remember-entities", "on");
        cluster.put("pekko.cluster.sharding.remember-entities-store", "eventsourced");
        cluster.put("pekko.cluster.sharding.distributed-data.durable.keys", List.of());
        drive(cluster);
    }

    private void drive(Map<String, ?> settings) throws Exception {
        saveTinyModel();
        // a message that fails the check is logged and dropped by its sender ("swallowing exception"): collect them
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        root.addAppender(seen);
        try (LabFixture lab = LabFixture.start(dataDir, null, settings, Duration.ofSeconds(30))) {
            LivePipeline p = lab.node.pipeline().join();
            assertEquals("on", lab.node.system().settings().config().getString("pekko.actor.serialize-messages"));
            if (settings.containsKey("rramlab.cluster.seed-nodes")) {
                assertTrue(LabSettings.from(lab.node.system().settings().config()).joinsOthers(), "a node of a cluster");
                assertEquals(org.apache.pekko.cluster.MemberStatus.up(),
                        org.apache.pekko.cluster.typed.Cluster.get(lab.node.system()).selfMember().status());
            }

            // arrays: every command, a refusal
            ArraySummary a = sharded(lab, p.arrays(), "ser-a", r -> new ArrayActor.Register(ArraySpec.simulated(null, 8, 8, 5), r));
            assertEquals(64, a.rows() * a.cols());
            Block all = new Block(0, 0, 8, 8);
            int[] levels = new int[64];
            ArrayActor.ProgramDone programmed = sharded(lab, p.arrays(), "ser-a",
                    r -> new ArrayActor.Program(all, levels, null, true, "t1", r));
            assertEquals(1, programmed.sequence());
            ArrayActor.ReadDone read = sharded(lab, p.arrays(), "ser-a", r -> new ArrayActor.Read(all, "r1", r));
            assertEquals(64, read.frame().conductances().length);
            ArraySummary moved = sharded(lab, p.arrays(), "ser-a", r -> new ArrayActor.AdvanceClock(10, r));
            assertEquals(10, moved.clockSeconds(), 1e-9);
            moved = sharded(lab, p.arrays(), "ser-a", r -> new ArrayActor.AdvanceClockTo(20, r));
            assertEquals(20, moved.clockSeconds(), 1e-9);
            ArraySummary warm = sharded(lab, p.arrays(), "ser-a", r -> new ArrayActor.SetTemperature(350, r));
            assertEquals(350, warm.temperatureKelvin(), 1e-9);
            ArraySummary state = sharded(lab, p.arrays(), "ser-a", ArrayActor.GetState::new);
            assertEquals(1, state.reads());
            assertEquals(Refusal.Kind.BAD_INPUT, refused(() -> SerializedMessagesTest.<ArrayActor.Command, ArrayActor.ReadDone>sharded(
                    lab, p.arrays(), "ser-a", r -> new ArrayActor.Read(new Block(0, 0, 9, 9), null, r))));
            assertEquals(Refusal.Kind.NOT_FOUND, refused(() -> SerializedMessagesTest.<ArrayActor.Command, ArraySummary>sharded(
                    lab, p.arrays(), "ser-none", ArrayActor.GetState::new)));

            // a campaign from start to end, and the commands it refuses when done
            CampaignSpec spec = new CampaignSpec(List.of("ser-a"), new CampaignSpec.ProgramPattern("every-level", null, null),
                    null, false, 60.0, 3, null, null, 6000.0, null);
            CampaignStatus started = sharded(lab, p.campaigns().region(), "ser-c", r -> new CampaignActor.Start(spec, r));
            assertEquals("ser-c", started.id());
            CampaignStatus done = await("the campaign", () -> campaign(lab, p),
                    s -> s.state() == org.rramlab.campaign.CampaignState.Status.COMPLETED);
            assertEquals(3, done.step());
            assertEquals(Refusal.Kind.CONFLICT, refused(() -> SerializedMessagesTest.<CampaignActor.Command, CampaignStatus>sharded(
                    lab, p.campaigns().region(), "ser-c", CampaignActor.Pause::new)));

            // the statistics saw the campaign's reads
            StatisticsReport report = await("statistics of ser-a", () -> askPlain(lab, p.statistics(),
                    (ActorRef<Optional<StatisticsReport>> r) -> new StatisticsActor.GetReport("ser-a", r)), Optional::isPresent)
                    .orElseThrow();
            assertTrue(report.toString().contains("ser-a"), report.toString());

            // a deployment: planned, programmed, checked; its history; a bad spec refused
            OsaSupervisor.Deployments deployments = p.deployments();
            DeploymentSpec deploy = new DeploymentSpec("tiny", null, null, null, null, 11L, 0.02, null, 0.5, 600.0, 200, 200, 1, null);
            DeploymentStatus created = sharded(lab, deployments.region(), "ser-d", r -> new OsaSupervisor.Start(deploy, r));
            assertEquals("ser-d", created.id());
            DeploymentStatus supervising = await("the deployment", () -> SerializedMessagesTest.<OsaSupervisor.Command,
                    DeploymentStatus>sharded(lab, deployments.region(), "ser-d", OsaSupervisor.GetStatus::new),
                    s -> s.phase() == org.rramlab.deploy.DeploymentState.Phase.SUPERVISING && s.checks() >= 1);
            assertTrue(supervising.checks() >= 1, supervising.toString());
            DeploymentStatus checked = sharded(lab, deployments.region(), "ser-d", r -> new OsaSupervisor.CheckNow(true, r));
            assertEquals(org.rramlab.deploy.DeploymentState.Phase.SUPERVISING, checked.phase());
            OsaSupervisor.History history = sharded(lab, deployments.region(), "ser-d", OsaSupervisor.GetHistory::new);
            assertTrue(!history.checks().isEmpty(), history.toString());
            DeploymentStatus stopped = sharded(lab, deployments.region(), "ser-d", r -> new OsaSupervisor.Stop("test over", r));
            assertEquals(org.rramlab.deploy.DeploymentState.Phase.STOPPED, stopped.phase());
            assertEquals(Refusal.Kind.BAD_INPUT, refused(() -> SerializedMessagesTest.<OsaSupervisor.Command, DeploymentStatus>sharded(
                    lab, deployments.region(), "ser-e", r -> new OsaSupervisor.Start(DeploymentSpec.of("ghost"), r))));

            // a training job to its end; the list of jobs
            TrainingJobSpec job = new TrainingJobSpec("teacher", "mnist", "ser-teacher", null, "mlp", 1, 64, 3e-3, null,
                    null, 1L, null, null, null);
            TrainingJob submitted = ask(lab, p.trainer(), r -> new TrainerActor.Submit(job, r));
            TrainingJob finished = await("the training job", () -> ask(lab, p.trainer(),
                    r -> new TrainerActor.GetJob(submitted.id(), r)), j -> j.finishedAt() != null);
            assertEquals(TrainingJob.State.DONE, finished.state(), finished.toString());
            TrainerActor.Jobs jobs = askPlain(lab, p.trainer(), TrainerActor.ListJobs::new);
            assertTrue(jobs.jobs().stream().anyMatch(j -> j.id().equals(submitted.id())));
        } finally {
            root.detachAppender(seen);
        }
        List<String> failed = seen.list.stream().filter(e -> e.getThrowableProxy() != null
                        && e.getThrowableProxy().getClassName().endsWith("SerializationCheckFailedException"))
                .map(e -> e.getThrowableProxy().getMessage()).distinct().toList();
        assertEquals(List.of(), failed, "messages that did not serialize");
    }

    private CampaignStatus campaign(LabFixture lab, LivePipeline p) {
        return sharded(lab, p.campaigns().region(), "ser-c", CampaignActor.GetStatus::new);
    }

    private void saveTinyModel() throws Exception {
        TestData.writeMnistLike(dataDir, 1200, false, 5);
        DataSplit data = new DatasetRepository(dataDir).load(DatasetKind.MNIST);
        try (Network net = Network.create(Architecture.MLP, 1, 28, 10, 3)) {
            Trainer.train("teacher", net, WeightSource.MASTER, data.train(), null, TrainConfig.plain(2, 64, 2e-3, 3),
                    null, null, e -> { });
            new ModelStore(dataDir.resolve("models")).save("tiny", net, new ModelMetadata("mlp", 1, 28, 10, "mnist",
                    Evaluator.accuracy(net, data.test(), WeightSource.MASTER), Map.of("epochs", 2), Instant.now().toString()));
        }
    }
}
