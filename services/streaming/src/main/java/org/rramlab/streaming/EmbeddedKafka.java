package org.rramlab.streaming;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Apache Kafka broker running in this JVM: KRaft, combined broker and controller, one node,
 * loopback only, its log under a directory of ours. Used when no external cluster is configured.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path logDir;
    private final int brokerPort;
    private final KafkaRaftServer server;
    private volatile boolean running;

    private EmbeddedKafka(Path logDir, int brokerPort, KafkaRaftServer server) {
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.server = server;
    }

    /**
     * Formats the log directory on first use and starts the broker.
     *
     * @param brokerPort     port for clients, 0 for a free one
     * @param controllerPort port for the KRaft controller, 0 for a free one
     * @param partitions     default partitions of new topics
     */
    public static EmbeddedKafka start(Path logDir, int brokerPort, int controllerPort, int partitions) {
        try {
            Files.createDirectories(logDir);
            int broker = brokerPort > 0 ? brokerPort : freePort();
            int controller = controllerPort > 0 ? controllerPort : freePort();
            Properties props = brokerProperties(logDir, broker, controller, partitions);
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            format(logDir);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(logDir, broker, server);
            kafka.running = true;
            log.info("embedded Kafka broker on 127.0.0.1:{} (log {})", broker, logDir);
            return kafka;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker in " + logDir
                    + ": " + e.getMessage() + "; check that the directory is writable", e);
        }
    }

    private static Properties brokerProperties(Path logDir, int broker, int controller, int partitions) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + broker + ",CONTROLLER://127.0.0.1:" + controller);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + broker);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("num.partitions", Integer.toString(partitions));
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        // a lab node keeps its measurements: a week by default, compacted by nothing
        p.put("log.retention.hours", "168");
        // topics with short retention (benchmarks) free their disk within a minute
        p.put("log.retention.check.interval.ms", "30000");
        p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        return p;
    }

    /** Writes meta.properties and the bootstrap metadata once; a formatted directory is left as it is. */
    private static void format(Path logDir) throws IOException {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .addDirectory(logDir.toAbsolutePath().toString())
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IOException("formatting the broker's log directory failed: " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path logDir() {
        return logDir;
    }

    public boolean isRunning() {
        return running;
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        server.shutdown();
        server.awaitShutdown();
        log.info("embedded Kafka broker stopped");
    }
}
