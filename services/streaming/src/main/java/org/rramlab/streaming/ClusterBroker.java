package org.rramlab.streaming;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One broker of a Kafka cluster, combined KRaft broker and controller, in a process of its own
 * ({@code rramlab broker}): the artifacts of the embedded broker, run as a real cluster member.
 * Internal topics and new topics get {@code replication} replicas and need {@code minInsync} of them.
 *
 * @param id        node id, unique in the cluster (1, 2, 3)
 * @param host      the address clients and other brokers reach it at
 * @param voters    the controller quorum, {@code 1@host:port,2@host:port,...}, the same on every broker
 * @param clusterId the cluster's id (22 characters of base64, {@code Uuid.randomUuid()}), the same on every broker
 */
public record ClusterBroker(int id, String host, int brokerPort, int controllerPort, String voters, Path logDir,
                            String clusterId, int partitions, int replication, int minInsync) {

    /** Formats the log directory on first use and starts the broker; returns the running server. */
    public KafkaRaftServer start() {
        return start(properties());
    }

    /** The same with properties of the caller's (the embedded broker's: {@link #properties()} and a change). */
    KafkaRaftServer start(Properties properties) {
        try {
            Files.createDirectories(logDir);
            KafkaConfig config = KafkaConfig.fromProps(properties, false);
            format();
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Kafka broker " + id + " in " + logDir + ": " + e.getMessage()
                    + "; check that the directory is writable", e);
        }
    }

    public String bootstrapServer() {
        return host + ":" + brokerPort;
    }

    Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(id));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("num.partitions", Integer.toString(partitions));
        String r = Integer.toString(replication);
        String isr = Integer.toString(minInsync);
        p.put("default.replication.factor", r);
        p.put("min.insync.replicas", isr);
        p.put("offsets.topic.replication.factor", r);
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", r);
        p.put("transaction.state.log.min.isr", isr);
        p.put("share.coordinator.state.topic.replication.factor", r);
        p.put("share.coordinator.state.topic.min.isr", isr);
        // a replica that fell behind never becomes leader: an acknowledged frame is never lost
        p.put("unclean.leader.election.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        // a lab keeps its measurements: a week by default, compacted by nothing
        p.put("log.retention.hours", "168");
        // topics with short retention (benchmarks) free their disk within a minute
        p.put("log.retention.check.interval.ms", "30000");
        p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        return p;
    }

    private void format() throws IOException {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(clusterId)
                    .setNodeId(id)
                    .addDirectory(logDir.toAbsolutePath().toString())
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IOException("formatting broker " + id + "'s log directory failed: " + e.getMessage(), e);
        }
    }
}
