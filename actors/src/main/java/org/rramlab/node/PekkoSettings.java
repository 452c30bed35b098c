package org.rramlab.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;

/** The Pekko settings that follow from rramlab.*: the journal's database and the cluster address. */
final class PekkoSettings {
    private PekkoSettings() {}

    static Config derive(LabSettings s) {
        String db = "pekko-persistence-jdbc.shared-databases.default.";
        Config c = ConfigFactory.empty("derived from rramlab.*");
        if (s.journalKind() == LabSettings.JournalKind.H2) {
            // AUTO_SERVER=FALSE: one process owns the file; the node's lock says so before H2 does
            // DB_CLOSE_ON_EXIT=FALSE: H2 must not close itself in its own shutdown hook while the node
            // is still recording its clean stop; the node closes the pool when the actor system ends
            String url = "jdbc:h2:file:" + s.journalDir().resolve("rramlab") + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE";
            c = c.withValue(db + "profile", ConfigValueFactory.fromAnyRef("slick.jdbc.H2Profile$"))
                    .withValue(db + "db.url", ConfigValueFactory.fromAnyRef(url))
                    .withValue(db + "db.driver", ConfigValueFactory.fromAnyRef("org.h2.Driver"))
                    .withValue(db + "db.user", ConfigValueFactory.fromAnyRef("sa"))
                    .withValue(db + "db.password", ConfigValueFactory.fromAnyRef(""));
        } else {
            c = c.withValue(db + "profile", ConfigValueFactory.fromAnyRef("slick.jdbc.PostgresProfile$"))
                    .withValue(db + "db.url", ConfigValueFactory.fromAnyRef(s.postgresUrl()))
                    .withValue(db + "db.driver", ConfigValueFactory.fromAnyRef("org.postgresql.Driver"))
                    .withValue(db + "db.user", ConfigValueFactory.fromAnyRef(s.postgresUser()))
                    .withValue(db + "db.password", ConfigValueFactory.fromAnyRef(s.postgresPassword()));
        }
        List<String> seeds = s.seedNodes();
        c = c.withValue(db + "db.numThreads", ConfigValueFactory.fromAnyRef(s.journalPoolSize()))
                .withValue(db + "db.maxConnections", ConfigValueFactory.fromAnyRef(s.journalPoolSize()))
                .withValue(db + "db.minConnections", ConfigValueFactory.fromAnyRef(1))
                .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(s.clusterHostname()))
                .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(s.clusterPort()))
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds))
                .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(s.roles()))
                // keep-majority: after a partition the side with more nodes downs the other; a lone
                // node that lost the rest downs itself rather than run the arrays twice
                .withValue("pekko.cluster.split-brain-resolver.active-strategy", ConfigValueFactory.fromAnyRef("keep-majority"))
                .withValue("pekko.cluster.split-brain-resolver.stable-after", duration(s.downUnreachableAfter()))
                .withValue("pekko.cluster.failure-detector.acceptable-heartbeat-pause", duration(s.heartbeatPause()))
                // failover timings for a small lab cluster (docs/decisions/0067-failover-timings.md): without an
                // explicit margin Pekko waits stable-after a second time before a downed node's shards move
                .withValue("pekko.cluster.failure-detector.heartbeat-interval", duration(s.heartbeatInterval()))
                .withValue("pekko.cluster.down-removal-margin", duration(s.downRemovalMargin()))
                .withValue("pekko.cluster.split-brain-resolver.down-all-when-unstable",
                        s.downAllWhenUnstable().isZero() ? ConfigValueFactory.fromAnyRef("off") : duration(s.downAllWhenUnstable()));
        if (s.joinsOthers()) {
            // entities of a node that died start again on the others at once, not at the next request;
            // remembered in the journal (the replicated store would need LMDB on every node)
            c = c.withValue("pekko.cluster.sharding.remember-entities", ConfigValueFactory.fromAnyRef(true))
                    .withValue("pekko.cluster.sharding.remember-entities-store", ConfigValueFactory.fromAnyRef("eventsourced"))
                    .withValue("pekko.cluster.sharding.distributed-data.durable.keys", ConfigValueFactory.fromIterable(List.of()));
        }
        if (s.bootstrap()) {
            c = c.withValue("pekko.management.http.port", ConfigValueFactory.fromAnyRef(s.managementPort()))
                    .withValue("pekko.management.http.hostname", ConfigValueFactory.fromAnyRef(s.clusterHostname()))
                    // the node's own address, not every interface: bootstrap probes it on the pod's IP
                    .withValue("pekko.management.http.bind-hostname", ConfigValueFactory.fromAnyRef(s.clusterHostname()))
                    .withValue("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method",
                            ConfigValueFactory.fromAnyRef("kubernetes-api"))
                    .withValue("pekko.management.cluster.bootstrap.contact-point-discovery.service-name",
                            ConfigValueFactory.fromAnyRef(s.bootstrapServiceName()))
                    .withValue("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr",
                            ConfigValueFactory.fromAnyRef(s.requiredContactPoints()))
                    .withValue("pekko.discovery.kubernetes-api.pod-label-selector",
                            ConfigValueFactory.fromAnyRef("app=%s"));
        }
        return c;
    }

    private static com.typesafe.config.ConfigValue duration(java.time.Duration d) {
        return ConfigValueFactory.fromAnyRef(d.toMillis() + "ms");
    }
}
