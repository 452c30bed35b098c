package org.rramlab.streaming;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
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
            // a cluster of one: one replica of everything; the cluster id counts only when formatting
            ClusterBroker one = new ClusterBroker(1, "127.0.0.1", broker, controller, "1@127.0.0.1:" + controller,
                    logDir, Uuid.randomUuid().toString(), partitions, 1, 1);
            Properties props = one.properties();
            props.put("auto.create.topics.enable", "true");
            KafkaRaftServer server = one.start(props);
            EmbeddedKafka kafka = new EmbeddedKafka(logDir, broker, server);
            kafka.running = true;
            log.info("embedded Kafka broker on 127.0.0.1:{} (log {})", broker, logDir);
            return kafka;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker in " + logDir
                    + ": " + e.getMessage() + "; check that the directory is writable", e);
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
