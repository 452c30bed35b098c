package org.rramlab.livearchive;

import static org.rramlab.node.Failures.rootMessage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.rramlab.archive.ArchiveIndex;
import org.rramlab.archive.ArchiveLayout;
import org.rramlab.archive.ArchiveStatus;
import org.rramlab.archive.Archiver;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySummary;
import org.rramlab.node.Spawner;
import org.rramlab.node.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's archive: the {@link Archiver} on a thread of its own once the broker and the arrays
 * run, the {@link ArchiveMonitor} that raises its alarms, and what /ready, the metrics, campaign
 * status and export read from it.
 */
public final class LabArchive implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LabArchive.class);
    private static final Duration PROVENANCE_TTL = Duration.ofMinutes(1);

    private final ArchiveConfig config;
    private final ArchiveIndex index;
    private volatile Archiver archiver;
    private volatile Thread thread;
    /** Why the archive could not start (the broker or the arrays never came up), shown by status and /ready. */
    private volatile String startFailure;
    private final Map<String, Cached> provenance = new ConcurrentHashMap<>();

    private record Cached(Map<String, Object> attributes, long atNanos) {}

    private LabArchive(ArchiveConfig config, ArchiveIndex index) {
        this.config = config;
        this.index = index;
    }

    /**
     * Opens the index now (export of what is on disk works at once) and starts writing once the
     * broker is up and {@code arrays} (for the provenance of each array) exist.
     */
    public static LabArchive start(ActorSystem<SpawnProtocol.Command> system, com.typesafe.config.Config config,
                                   Path dataDir, CompletableFuture<String> bootstrap,
                                   CompletableFuture<ActorRef<ShardingEnvelope<ArrayActor.Command>>> arrays,
                                   BiConsumer<String, Object> events) {
        ArchiveConfig c = ArchiveConfig.from(config);
        LabArchive archive = new LabArchive(c, ArchiveIndex.open(ArchiveLayout.under(dataDir)));
        if (!c.enabled()) {
            return archive;
        }
        // thenCombine waits for both: a broker that failed must be seen even while the arrays are pending
        bootstrap.whenComplete((servers, e) -> {
            if (e != null) {
                archive.startFailure = rootMessage(e);
            }
        });
        bootstrap.thenCombine(arrays, (servers, regions) -> {
            archive.begin(system, servers, regions);
            return regions;
        }).thenCompose(r -> Spawner.spawn(system, ArchiveMonitor.create(archive::status, c, events), "archive-monitor"))
                .whenComplete((m, e) -> {
                    if (e != null) {
                        archive.startFailure = rootMessage(e);
                        log.error("the archive did not start: {}", archive.startFailure);
                    }
                });
        return archive;
    }

    private synchronized void begin(ActorSystem<?> system, String servers,
                                    ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays) {
        archiver = new Archiver(config.settings(servers), index, id -> provenanceOf(system, arrays, id));
        // A plain thread owned by this archive, not an actor: the archiver's loop blocks in Kafka's poll
        // and in file writes, which no dispatcher thread may. close() stops and joins it; the node calls
        // close() when it stops (LabNode.stop, also from the CLI's shutdown hook "rramlab-stop"), and
        // being a daemon it cannot keep a JVM alive that stopped without it.
        thread = new Thread(archiver, "rramlab-archive");
        thread.setDaemon(true);
        thread.start();
        log.info("archive writing to {}", index.layout().root());
    }

    /** The array's side of the provenance (driver, preset, address, temperature), looked up at most once a minute. */
    private Map<String, ?> provenanceOf(ActorSystem<?> system, ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays,
                                        String arrayId) {
        Cached c = provenance.get(arrayId);
        if (c != null && System.nanoTime() - c.atNanos() < PROVENANCE_TTL.toNanos()) {
            return c.attributes();
        }
        Map<String, Object> m = new LinkedHashMap<>(Provenance.software());
        try {
            // the archive's own thread may wait; no actor does
            ArraySummary s = AskPattern.<ShardingEnvelope<ArrayActor.Command>, ArraySummary>askWithStatus(arrays,
                    r -> new ShardingEnvelope<>(arrayId, new ArrayActor.GetState(r)), Duration.ofSeconds(5),
                    system.scheduler()).toCompletableFuture().get(6, TimeUnit.SECONDS);
            m.putAll(ArrayProvenance.of(s));
        } catch (Exception e) {
            m.put("driver", "unknown (array not registered on this node: imported or from another node)");
        }
        provenance.put(arrayId, new Cached(m, System.nanoTime()));
        return m;
    }

    public ArchiveIndex index() {
        return index;
    }

    public ArchiveConfig config() {
        return config;
    }

    public ArchiveStatus status() {
        Archiver a = archiver;
        if (a == null) {
            String failure = startFailure;
            ArchiveStatus.State state = !config.enabled() ? ArchiveStatus.State.DISABLED
                    : failure != null ? ArchiveStatus.State.FAILED : ArchiveStatus.State.STARTING;
            return new ArchiveStatus(state, 0, 0, 0, 0, 0, 0, index.totals(null).bytes(), 0, 0, false, 0,
                    failure == null ? null : "did not start: " + failure + "; restart the node once the broker answers",
                    index.layout().root().toString());
        }
        return a.status();
    }

    /** For /ready: down when disabled never; down when behind toward the retention or stopped. */
    public Readiness.Part readiness() {
        ArchiveStatus s = status();
        String where = s.directory() + ": ";
        if (!config.enabled()) {
            return Readiness.Part.up("disabled (rramlab.archive.enabled = false): reads are kept only as long as Kafka keeps them");
        }
        if (s.behind()) {
            return Readiness.Part.down(where + "behind: the oldest unarchived record is "
                    + Math.round(s.oldestPendingAgeSeconds()) + " s old, over " + config.alarmFraction()
                    + " of the topic's retention; records will be lost unless the archive catches up");
        }
        return switch (s.state()) {
            case RUNNING -> Readiness.Part.up(where + s.lagRecords() + " records to archive");
            case STARTING -> Readiness.Part.starting(where + "starting");
            default -> Readiness.Part.down(where + s.state().word() + (s.lastError() == null ? "" : ": " + s.lastError()));
        };
    }

    /** Writes what is buffered and stops; a restart goes on from the committed offsets. */
    @Override
    public synchronized void close() {
        if (archiver != null) {
            archiver.close();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
