package org.rramlab.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The typed rramlab.* settings; building one validates them and names what is wrong. */
public record LabSettings(
        Path dataDir,
        String nodeName,
        String httpInterface,
        int httpPort,
        String kafkaBootstrapServers,
        int kafkaBrokerPort,
        int kafkaControllerPort,
        int kafkaPartitions,
        JournalKind journalKind,
        String postgresUrl,
        String postgresUser,
        String postgresPassword,
        int journalPoolSize,
        String clusterHostname,
        int clusterPort,
        List<String> seedNodes,
        List<String> roles,
        Duration downUnreachableAfter,
        Duration heartbeatPause,
        Duration heartbeatInterval,
        Duration downRemovalMargin,
        Duration downAllWhenUnstable,
        boolean bootstrap,
        String bootstrapServiceName,
        int managementPort,
        int requiredContactPoints,
        int replicationFactor,
        int minInsyncReplicas,
        Duration readinessTimeout,
        Duration shutdownTimeout) {

    public enum JournalKind { H2, POSTGRES }

    private static final java.util.regex.Pattern NODE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public LabSettings {
        if (!NODE_NAME.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("invalid configuration: rramlab.node-name '" + nodeName + "' must be"
                    + " letters, digits, '.', '_' or '-' (at most 63), unique in the cluster");
        }
        if (minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("invalid configuration: rramlab.kafka.min-insync-replicas ("
                    + minInsyncReplicas + ") exceeds rramlab.kafka.replication-factor (" + replicationFactor
                    + "): no write could ever succeed; lower it");
        }
        if (!(heartbeatInterval.toMillis() > 0) || heartbeatPause.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("invalid configuration: rramlab.cluster.heartbeat-pause (" + heartbeatPause
                    + ") must be longer than rramlab.cluster.heartbeat-interval (" + heartbeatInterval + "), which must be"
                    + " above 0; a pause shorter than one heartbeat would mark every node unreachable");
        }
        // Pekko reads a removal margin of 0 as "not set" and waits down-unreachable-after instead
        if (!(downUnreachableAfter.toMillis() > 0) || !(downRemovalMargin.toMillis() > 0) || downAllWhenUnstable.isNegative()) {
            throw new IllegalArgumentException("invalid configuration: rramlab.cluster.down-unreachable-after and"
                    + " down-removal-margin must be at least 1ms, down-all-when-unstable 0 (off) or more (docs/cluster.md)");
        }
        if (bootstrap && !seedNodes.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: rramlab.cluster.bootstrap.enabled and"
                    + " rramlab.cluster.seed-nodes exclude each other; keep one way of forming the cluster");
        }
    }

    public static LabSettings from(Config c) {
        try {
            Config r = c.getConfig("rramlab");
            return new LabSettings(
                    Path.of(r.getString("data-dir")).toAbsolutePath().normalize(),
                    r.getString("node-name"),
                    r.getString("http.interface"),
                    port(r, "http.port"),
                    r.getString("kafka.bootstrap-servers").trim(),
                    port(r, "kafka.embedded.broker-port"),
                    port(r, "kafka.embedded.controller-port"),
                    positive(r, "kafka.embedded.partitions"),
                    journalKind(r.getString("journal.kind")),
                    r.getString("journal.postgres.url"),
                    r.getString("journal.postgres.user"),
                    postgresPassword(r),
                    positive(r, "journal.pool-size"),
                    r.getString("cluster.hostname"),
                    port(r, "cluster.port"),
                    r.getStringList("cluster.seed-nodes"),
                    r.getStringList("cluster.roles"),
                    r.getDuration("cluster.down-unreachable-after"),
                    r.getDuration("cluster.heartbeat-pause"),
                    r.getDuration("cluster.heartbeat-interval"),
                    r.getDuration("cluster.down-removal-margin"),
                    r.getDuration("cluster.down-all-when-unstable"),
                    r.getBoolean("cluster.bootstrap.enabled"),
                    r.getString("cluster.bootstrap.service-name"),
                    port(r, "cluster.bootstrap.management-port"),
                    positive(r, "cluster.bootstrap.required-contact-points"),
                    positive(r, "kafka.replication-factor"),
                    positive(r, "kafka.min-insync-replicas"),
                    r.getDuration("readiness-timeout"),
                    r.getDuration("shutdown-timeout"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage()
                    + "; fix the value (run `rramlab run --print-config` to see them all)", e);
        }
    }

    /** True when the node joins others (seed nodes or bootstrap) rather than forming a cluster of its own. */
    public boolean joinsOthers() {
        return bootstrap || !seedNodes.isEmpty();
    }

    /**
     * The persistence id suffix of this node's own actors (its start log, its statistics): the
     * default node keeps the ids it always had, so that an existing journal reads on.
     */
    public String nodeKey() {
        return "lab-node".equals(nodeName) ? "" : "-" + nodeName;
    }

    public boolean embeddedKafka() {
        return kafkaBootstrapServers.isEmpty();
    }

    public Path journalDir() {
        return dataDir.resolve("journal");
    }

    public Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    private static int port(Config c, String path) {
        int p = c.getInt(path);
        if (p < 0 || p > 65535) {
            throw new ConfigException.BadValue(path, "a port must be 0..65535, got " + p);
        }
        return p;
    }

    private static int positive(Config c, String path) {
        int v = c.getInt(path);
        if (v <= 0) {
            throw new ConfigException.BadValue(path, "must be positive, got " + v);
        }
        return v;
    }

    /** The password given, or read from journal.postgres.password-file (a container secret); never printed. */
    private static String postgresPassword(Config r) {
        String file = r.getString("journal.postgres.password-file").trim();
        if (file.isEmpty()) {
            return r.getString("journal.postgres.password");
        }
        try {
            return java.nio.file.Files.readString(Path.of(file)).strip();
        } catch (java.io.IOException e) {
            throw new ConfigException.BadValue("rramlab.journal.postgres.password-file", "cannot read " + file
                    + " (" + e.getClass().getSimpleName() + "); mount the secret there or leave the setting empty");
        }
    }

    private static JournalKind journalKind(String kind) {
        return switch (kind.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "h2" -> JournalKind.H2;
            case "postgres", "postgresql" -> JournalKind.POSTGRES;
            default -> throw new ConfigException.BadValue("rramlab.journal.kind",
                    "must be h2 or postgres, got '" + kind + "'");
        };
    }
}
