package org.rramlab.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rramlab.app.cluster.LocalCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A lab cluster on this machine, to try one. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Lab clusters (docs/cluster.md).",
        subcommands = {ClusterCommand.Local.class, ClusterCommand.Keys.class})
public final class ClusterCommand {

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = {"Make the key store, trust store and password every node of a cluster shares for TLS between",
                "nodes (rramlab.cluster.tls; docs/operator-guide.md#cluster-tls). Copy them to each node, readable by",
                "the node's user only. Existing files are never overwritten."})
    static final class Keys implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the files.")
        Path out;

        @Option(names = "--days", defaultValue = "3650", description = "Validity of the certificate (default ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() throws Exception {
            org.rramlab.app.cluster.ClusterKeys.make(out, days);
            System.out.println("made " + out.resolve(org.rramlab.app.cluster.ClusterKeys.KEY_STORE) + ", "
                    + org.rramlab.app.cluster.ClusterKeys.TRUST_STORE + ", " + org.rramlab.app.cluster.ClusterKeys.CERTIFICATE
                    + " and " + org.rramlab.app.cluster.ClusterKeys.PASSWORD + "; on each node: rramlab run --cluster-key-store "
                    + out.resolve(org.rramlab.app.cluster.ClusterKeys.KEY_STORE) + " --cluster-trust-store "
                    + out.resolve(org.rramlab.app.cluster.ClusterKeys.TRUST_STORE) + " --cluster-password-file "
                    + out.resolve(org.rramlab.app.cluster.ClusterKeys.PASSWORD));
            return 0;
        }
    }

    @Command(name = "local", mixinStandardHelpOptions = true,
            description = {"Start a cluster on this machine: three Kafka brokers, a PostgreSQL server of its own and",
                "N lab nodes, each a process; print where each listens; stop them all on Ctrl-C."})
    static final class Local implements Callable<Integer> {
        @Option(names = "--nodes", defaultValue = "3", description = "Lab nodes (default ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--dir", description = "Where the parts keep their data and logs"
                + " (default <data-dir>/cluster-local; kept between runs).")
        Path dir;

        @Option(names = "--node-heap", defaultValue = "-Xmx1g", description = "Heap of each node (default ${DEFAULT-VALUE}).")
        String nodeHeap;

        @Override
        public Integer call() throws Exception {
            if (nodes < 1 || nodes > 9) {
                throw new IllegalArgumentException("--nodes must be 1..9 on one machine, got " + nodes);
            }
            Path where = dir != null ? dir : new DataDirOption().resolve().resolve("cluster-local");
            LocalCluster.Options o = LocalCluster.Options.defaults(nodes);
            o = new LocalCluster.Options(nodes, o.brokers(), o.partitions(), nodeHeap, o.brokerHeap(), o.nodeConfig());
            System.out.println("starting a local cluster in " + where + " ...");
            LocalCluster cluster = LocalCluster.start(where, o, System.out::println, Duration.ofMinutes(3));
            System.out.println("operator token " + cluster.operatorToken() + ", viewer token " + cluster.viewerToken()
                    + " (this run only)");
            System.out.println("dashboard: " + cluster.url(cluster.nodes().get(0)) + "?token=" + cluster.viewerToken()
                    + "  (any node answers for the whole cluster); Ctrl-C stops everything");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("stopping the nodes, the brokers and PostgreSQL ...");
                try {
                    cluster.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.println("stopped");
                stopped.countDown();
            }, "cluster-stop"));
            stopped.await();
            return 0;
        }
    }
}
