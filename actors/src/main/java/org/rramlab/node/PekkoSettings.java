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
        return c.withValue(db + "db.numThreads", ConfigValueFactory.fromAnyRef(s.journalPoolSize()))
                .withValue(db + "db.maxConnections", ConfigValueFactory.fromAnyRef(s.journalPoolSize()))
                .withValue(db + "db.minConnections", ConfigValueFactory.fromAnyRef(1))
                .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(s.clusterHostname()))
                .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(s.clusterPort()))
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds));
    }
}
