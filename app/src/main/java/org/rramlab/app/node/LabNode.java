package org.rramlab.app.node;

import org.rramlab.node.Version;
import org.rramlab.node.NodeLog;
import org.rramlab.node.Readiness;
import org.rramlab.node.Spawner;
import org.rramlab.node.LabSettings;

import static org.rramlab.node.Failures.rootMessage;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.rramlab.livearchive.LabArchive;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.metrics.LabMetrics;
import org.rramlab.metrics.MetricsSampler;
import org.rramlab.streaming.EmbeddedKafka;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lab node: the data-directory lock, the Kafka broker (embedded unless one is configured),
 * the actor system as a cluster member, the JDBC journal and the HTTP server. Parts start
 * concurrently; {@link #readiness()} tells which are up. {@link #stop()} takes them down in order.
 */
public final class LabNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LabNode.class);

    private final LabSettings settings;
    private final DataDirLock lock;
    private final ActorSystem<SpawnProtocol.Command> system;
    private final CompletableFuture<EmbeddedKafka> embeddedKafka;
    private final CompletableFuture<Done> journal;
    private final CompletableFuture<ActorRef<NodeLog.Command>> nodeLog;
    private final CompletableFuture<Admin> admin;
    private ServerBinding binding;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<NodeLog.State> recorded = new CompletableFuture<>();
    private CompletableFuture<LivePipeline> pipeline;
    private LabApi api;
    private LabArchive archive;
    private LabMetrics metrics;
    private final CompletableFuture<Done> stopped = new CompletableFuture<>();

    private LabNode(LabSettings settings, DataDirLock lock, ActorSystem<SpawnProtocol.Command> system,
                    CompletableFuture<EmbeddedKafka> embeddedKafka, CompletableFuture<Done> journal,
                    CompletableFuture<ActorRef<NodeLog.Command>> nodeLog) {
        this.settings = settings;
        this.lock = lock;
        this.system = system;
        this.embeddedKafka = embeddedKafka;
        this.journal = journal;
        this.nodeLog = nodeLog;
        this.admin = brokerStarted().thenApply(LabNode::adminFor).toCompletableFuture();
    }

    /**
     * Starts a node; returns once the HTTP server is bound (parts may still be starting).
     *
     * @throws DataDirLock.DataDirInUseException when another node holds the data directory
     * @throws IllegalStateException             when a part cannot start; the message says why
     */
    public static LabNode start(Config config) {
        LabSettings settings = LabSettings.from(config);
        DataDirLock lock = DataDirLock.acquire(settings.dataDir());
        // uploads and exports a stop cut off: nobody else uses the directory while the lock is held
        org.rramlab.livearchive.ArchiveRoutes.removeLeftovers(settings.dataDir());
        ActorSystem<SpawnProtocol.Command> system = null;
        CompletableFuture<EmbeddedKafka> kafka = null;
        try {
            kafka = startBroker(settings);
            kafka.whenComplete((k, e) -> {
                if (e != null) {
                    log.error("the Kafka broker did not start: {}", rootMessage(e));
                }
            });
            system = ActorSystem.create(SpawnProtocol.create(), "rramlab", config);
            joinCluster(system, settings, settings.bootstrap() ? httpsKeys(config, settings) : null);
            CompletableFuture<Done> journal = createSchema(system, 5);
            // event-sourced actors start once their tables exist
            ActorSystem<SpawnProtocol.Command> sys = system;
            CompletableFuture<ActorRef<NodeLog.Command>> nodeLog =
                    journal.thenCompose(done -> spawn(sys, NodeLog.create(settings.nodeKey()), "node-log"));
            LabNode node = new LabNode(settings, lock, system, kafka, journal, nodeLog);
            CompletableFuture<ActorRef<StatisticsActor.Command>> statistics = new CompletableFuture<>();
            node.api = LabApi.start(system, config, settings.dataDir(), statistics);
            node.pipeline = LivePipeline.start(system, config, node.brokerStarted().toCompletableFuture(), journal,
                    node.api.events()::append);
            node.pipeline.whenComplete((p, e) -> {
                if (e != null) {
                    log.error("the measurement pipeline did not start: {}", rootMessage(e));
                    statistics.completeExceptionally(e);
                } else {
                    statistics.complete(p.statistics());
                }
            });
            node.archive = LabArchive.start(system, config, settings.dataDir(), node.brokerStarted().toCompletableFuture(),
                    node.pipeline.thenApply(LivePipeline::arrays), node.api.events()::append);
            node.metrics = new LabMetrics(node.archive::status);
            node.metrics.disk(org.rramlab.node.DiskSpace.get(system));
            // campaign.status and array.health for the live streams, as docs/http-api.md lists them
            Duration statusEvery = config.getDuration("rramlab.http.events.status-interval");
            node.pipeline.thenAccept(p -> StatusEvents.start(sys, p.arrays(), p.campaigns(),
                    node.api.events()::append, statusEvery));
            Duration sampleEvery = config.getDuration("rramlab.metrics.sample-interval");
            node.pipeline.thenCombine(node.brokerStarted(), (p, servers) ->
                    spawn(sys, MetricsSampler.create(node.metrics, p.forMetrics(), servers, sampleEvery), "metrics-sampler"));
            node.binding = node.bind();
            nodeLog.thenCompose(ref -> node.recordStart(6)).whenComplete((s, e) -> {
                if (e == null) {
                    node.recorded.complete(s);
                } else {
                    node.recorded.completeExceptionally(e);
                    log.error("the journal is not usable: {}", rootMessage(e));
                }
            });
            return node;
        } catch (RuntimeException e) {
            if (system != null) {
                system.terminate();
                waitFor(system.getWhenTerminated(), settings.shutdownTimeout());
            }
            if (kafka != null) {
                kafka.thenAccept(EmbeddedKafka::close);
            }
            lock.close();
            throw e;
        }
    }

    private static CompletableFuture<EmbeddedKafka> startBroker(LabSettings s) {
        if (!s.embeddedKafka()) {
            return CompletableFuture.completedFuture(null);
        }
        // the broker takes seconds to start: let it come up beside the actor system, on a thread of
        // its own that ends when the broker is up (the broker's own threads are closed by stop())
        return CompletableFuture.supplyAsync(() -> EmbeddedKafka.start(s.kafkaDir(), s.kafkaBrokerPort(),
                s.kafkaControllerPort(), s.kafkaPartitions()), runnable -> {
            Thread t = new Thread(runnable, "embedded-kafka-start");
            t.setDaemon(true);
            t.start();
        });
    }

    private static void joinCluster(ActorSystem<?> system, LabSettings s, HttpsContext.Keys https) {
        if (s.bootstrap()) {
            // Kubernetes: find the other pods through the API and form or join their cluster
            var classic = org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system);
            // over HTTPS with the node's pair; a self-signed pair is each node's own, which the others do not trust
            if (https != null && system.settings().config().getString("rramlab.http.tls.cert-file").isBlank()) {
                throw new IllegalStateException("cluster bootstrap over HTTPS needs the same key pair on every node:"
                        + " give --tls-cert and --tls-key (a secret every pod mounts) instead of --tls-self-signed");
            }
            try {
                NodeManagement.start(system, https);
                org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap.get(classic).start();
            } catch (RuntimeException e) {
                throw new IllegalStateException("cluster bootstrap did not start: " + rootMessage(e)
                        + "; it runs in Kubernetes only (a pod with a service account); elsewhere set"
                        + " rramlab.cluster.bootstrap.enabled = false and list rramlab.cluster.seed-nodes", e);
            }
        } else if (s.seedNodes().isEmpty()) {
            Cluster cluster = Cluster.get(system);
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
    }

    /**
     * Creates the journal's tables when missing, with the plugin's own DDL ({@link JournalSchema}). Nodes of a cluster starting together race on the
     * shared database (PostgreSQL's CREATE ... IF NOT EXISTS is not safe against a concurrent one):
     * a failed try is repeated after a pause.
     */
    private static CompletableFuture<Done> createSchema(ActorSystem<?> system, int tries) {
        return JournalSchema.create(system)
                .handle((done, e) -> e == null || tries <= 1 ? CompletableFuture.completedFuture(done)
                        .thenApply(d -> {
                            if (e != null) {
                                throw new java.util.concurrent.CompletionException(e);
                            }
                            return d;
                        })
                        : CompletableFuture.supplyAsync(() -> Done.getInstance(),
                                CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS))
                                .thenCompose(d -> createSchema(system, tries - 1)))
                .thenCompose(f -> f);
    }

    /** Spawns a top-level actor of the node. */
    public static <T> CompletableFuture<ActorRef<T>> spawn(ActorSystem<SpawnProtocol.Command> system,
                                                           Behavior<T> behavior, String name) {
        return Spawner.spawn(system, behavior, name);
    }

    private static Admin adminFor(String bootstrap) {
        return Admin.create(Map.of("bootstrap.servers", bootstrap, "enable.metrics.push", "false",
                "request.timeout.ms", "3000", "default.api.timeout.ms", "5000"));
    }

    /** True when the node serves HTTPS (and nothing else). */
    public boolean https() {
        Config tls = system.settings().config().getConfig("rramlab.http.tls");
        return tls.getBoolean("self-signed") || !tls.getString("cert-file").isBlank();
    }

    private org.apache.pekko.http.javadsl.HttpsConnectionContext httpsContext() {
        return httpsKeys(system.settings().config(), settings).server();
    }

    /** The node's HTTPS key pair; null when it serves plain HTTP. */
    private static HttpsContext.Keys httpsKeys(Config config, LabSettings settings) {
        Config tls = config.getConfig("rramlab.http.tls");
        if (!tls.getBoolean("self-signed") && tls.getString("cert-file").isBlank() && tls.getString("key-file").isBlank()) {
            return null;
        }
        String cert = tls.getString("cert-file").trim();
        String key = tls.getString("key-file").trim();
        if (!cert.isEmpty() || !key.isEmpty()) {
            if (cert.isEmpty() || key.isEmpty()) {
                throw new IllegalStateException("HTTPS needs both a certificate and its key: give --tls-cert FILE and"
                        + " --tls-key FILE (rramlab.http.tls.cert-file, key-file)");
            }
            return HttpsContext.pemKeys(java.nio.file.Path.of(cert), java.nio.file.Path.of(key));
        }
        return HttpsContext.selfSignedKeys(settings.dataDir(), settings.httpInterface());
    }

    private ServerBinding bind() {
        String where = settings.httpInterface() + ":" + settings.httpPort();
        var server = Http.get(system).newServerAt(settings.httpInterface(), settings.httpPort());
        if (https()) {
            try {
                server = server.enableHttps(httpsContext());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        try {
            return server.bind(new NodeRoutes(this).routes())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serve HTTP on " + where + ": " + rootMessage(e)
                    + "; another program may hold the port: pass --port N (0 picks a free one)", e);
        }
    }

    /**
     * Records this start; a journal slow to answer (a loaded host, a database starting beside the
     * node) gets more tries. Before another try the log is asked whether the start is in already
     * (the first write may have gone through after the ask gave up), so that it is not recorded twice.
     */
    private CompletionStage<NodeLog.State> recordStart(int tries) {
        return recordStart().handle((state, e) -> {
            if (e == null || tries <= 1) {
                return e == null ? CompletableFuture.completedFuture(state) : CompletableFuture.<NodeLog.State>failedFuture(e);
            }
            log.warn("recording the node's start is slow ({}); trying again", rootMessage(e));
            return history().toCompletableFuture().thenCompose(h -> {
                boolean in = h.running() && !h.recent().isEmpty()
                        && h.recent().get(h.recent().size() - 1).pid() == ProcessHandle.current().pid();
                return in ? CompletableFuture.completedFuture(h) : recordStart(tries - 1);
            }).exceptionallyCompose(again -> recordStart(tries - 1));
        }).thenCompose(f -> f);
    }

    private CompletionStage<NodeLog.State> recordStart() {
        return AskPattern.<NodeLog.Command, NodeLog.State>ask(nodeLog.join(),
                replyTo -> new NodeLog.RecordStart(Version.current(), ProcessHandle.current().pid(), replyTo),
                Duration.ofSeconds(10), system.scheduler()).thenApply(state -> {
                    if (state.uncleanStops() > 0 && state.recent().size() >= 2) {
                        log.warn("the node did not stop cleanly last time ({} unclean stops in {} starts)",
                                state.uncleanStops(), state.starts());
                    }
                    return state;
                });
    }

    /** The node's start history, from its event-sourced log. */
    public CompletionStage<NodeLog.State> history() {
        return nodeLog.thenCompose(ref -> AskPattern.ask(ref, NodeLog.Get::new, Duration.ofSeconds(5), system.scheduler()));
    }

    /** Probes each part; completes within about the configured readiness timeout. */
    public CompletionStage<Readiness> readiness() {
        Duration timeout = settings.readinessTimeout();
        CompletableFuture<Readiness.Part> broker = brokerState(timeout);
        CompletableFuture<Readiness.Part> journalPart = journalState(timeout);
        Readiness.Part actors = actorSystemState();
        return broker.thenCombine(journalPart, (b, j) -> Readiness.of(b, j, actors).with("archive", archive.readiness())
                .with("disk", org.rramlab.node.DiskSpace.get(system).readiness()));
    }

    private CompletableFuture<Readiness.Part> brokerState(Duration timeout) {
        String where = settings.embeddedKafka() ? "embedded, " : "external, ";
        if (!embeddedKafka.isDone()) {
            return CompletableFuture.completedFuture(Readiness.Part.starting(where + "starting"));
        }
        if (embeddedKafka.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(Readiness.Part.down(where + rootMessage(
                    embeddedKafka.handle((k, e) -> e).join())));
        }
        return admin.thenCompose(a -> a.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                        .nodes().toCompletionStage())
                .toCompletableFuture()
                .handle((nodes, e) -> e == null && !nodes.isEmpty()
                        ? Readiness.Part.up(where + bootstrapServers())
                        : Readiness.Part.down(where + bootstrapServers() + ": "
                                + (e == null ? "no brokers" : rootMessage(e))));
    }

    private CompletableFuture<Readiness.Part> journalState(Duration timeout) {
        String kind = settings.journalKind() == LabSettings.JournalKind.H2
                ? "h2 " + settings.journalDir() : "postgres " + org.rramlab.node.LabConfig.withoutSecrets(settings.postgresUrl());
        if (!journal.isDone()) {
            return CompletableFuture.completedFuture(Readiness.Part.starting(kind + ": creating schema"));
        }
        if (journal.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(Readiness.Part.down(kind + ": "
                    + rootMessage(journal.handle((d, e) -> e).join())));
        }
        if (!recorded.isDone()) {
            return CompletableFuture.completedFuture(Readiness.Part.starting(kind + ": recovering"));
        }
        if (recorded.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(Readiness.Part.down(kind + ": "
                    + rootMessage(recorded.handle((r, e) -> e).join())));
        }
        // a real query through the journal's own connection pool
        JdbcReadJournal reads = PersistenceQuery.get(system)
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        return reads.currentEventsByPersistenceId(NodeLog.idFor(settings.nodeKey()).id(), 0, 1)
                .runWith(Sink.ignore(), system).toCompletableFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((d, e) -> e == null ? Readiness.Part.up(kind)
                        : Readiness.Part.down(kind + ": " + rootMessage(e)));
    }

    private Readiness.Part actorSystemState() {
        MemberStatus status = Cluster.get(system).selfMember().status();
        String detail = "cluster member " + Cluster.get(system).selfMember().address() + " " + status;
        return status == MemberStatus.up() ? Readiness.Part.up(detail) : Readiness.Part.starting(detail);
    }

    public String bootstrapServers() {
        if (!settings.embeddedKafka()) {
            return settings.kafkaBootstrapServers();
        }
        return embeddedKafka.isDone() && !embeddedKafka.isCompletedExceptionally()
                ? embeddedKafka.join().bootstrapServers() : "";
    }

    /** Completes with the bootstrap servers once the broker has started. */
    public CompletionStage<String> brokerStarted() {
        return embeddedKafka.thenApply(k -> k == null ? settings.kafkaBootstrapServers() : k.bootstrapServers());
    }

    /** The measurement and statistics actors, once the broker and the journal are up. */
    public CompletableFuture<LivePipeline> pipeline() {
        return pipeline;
    }

    /** Every read on disk: the archive's index, its progress, its settings. */
    public LabArchive archive() {
        return archive;
    }

    /** The Prometheus registry behind GET /metrics. */
    public LabMetrics metrics() {
        return metrics;
    }

    /** Tokens, the event log and the streams, the dashboard. */
    public LabApi api() {
        return api;
    }

    public int httpPort() {
        return binding.localAddress().getPort();
    }

    public LabSettings settings() {
        return settings;
    }

    public ActorSystem<SpawnProtocol.Command> system() {
        return system;
    }

    /** Stops the node in order: record the stop, unbind HTTP, stop the actors, the broker, the lock. */
    public CompletionStage<Done> stop() {
        if (!stopping.compareAndSet(false, true)) {
            return stopped;
        }
        Duration timeout = settings.shutdownTimeout();
        CompletableFuture.runAsync(() -> {
            try {
                if (nodeLog.isDone() && !nodeLog.isCompletedExceptionally()) {
                    waitFor(AskPattern.<NodeLog.Command, NodeLog.State>ask(nodeLog.join(), NodeLog.RecordStop::new,
                            Duration.ofSeconds(5), system.scheduler()), timeout);
                }
                waitFor(binding.terminate(Duration.ofSeconds(2)), timeout);
                if (pipeline.isDone() && !pipeline.isCompletedExceptionally()) {
                    // the statistics' last checkpoint, so a restart re-reads as little as possible
                    waitFor(AskPattern.<org.rramlab.livestats.StatisticsActor.Command, Done>ask(pipeline.join().statistics(),
                            org.rramlab.livestats.StatisticsActor.CheckpointNow::new, Duration.ofSeconds(5), system.scheduler()), timeout);
                }
                // what the archive buffered goes to disk and its offsets to Kafka before the broker stops
                archive.close();
                if (admin.isDone() && !admin.isCompletedExceptionally()) {
                    admin.join().close(Duration.ofSeconds(2));
                }
                system.terminate();
                waitFor(system.getWhenTerminated(), timeout);
                if (embeddedKafka.isDone() && !embeddedKafka.isCompletedExceptionally() && embeddedKafka.join() != null) {
                    embeddedKafka.join().close();
                }
            } finally {
                lock.close();
                stopped.complete(Done.getInstance());
            }
        });
        return stopped;
    }

    public CompletionStage<Done> whenStopped() {
        return stopped;
    }

    /** True once {@link #stop()} began (Ctrl-C, say): what fails after that is the stop, not a fault. */
    public boolean stopping() {
        return stopping.get();
    }

    @Override
    public void close() {
        waitFor(stop(), settings.shutdownTimeout().multipliedBy(3));
    }

    private static void waitFor(CompletionStage<?> stage, Duration timeout) {
        try {
            stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("a part did not stop in {} s: {}", timeout.toSeconds(), rootMessage(e));
        }
    }
}
