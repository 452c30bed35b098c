package org.rramlab.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import kafka.server.KafkaRaftServer;
import org.rramlab.streaming.ClusterBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs one broker of a Kafka cluster in this process until it is stopped (SIGTERM, Ctrl-C). */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Run one Kafka broker (KRaft, broker and controller) of a lab's Kafka cluster.",
            "Three of them, with the same --voters and --cluster-id, make a cluster that survives one's loss."})
public final class BrokerCommand implements Callable<Integer> {
    @Option(names = "--id", required = true, description = "Node id, unique in the cluster (1, 2, 3).")
    int id;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on and advertise (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", required = true, description = "Port for clients.")
    int port;

    @Option(names = "--controller-port", required = true, description = "Port of the KRaft controller.")
    int controllerPort;

    @Option(names = "--voters", required = true, description = "The controller quorum: 1@host:port,2@host:port,3@host:port.")
    String voters;

    @Option(names = "--cluster-id", required = true, description = "The cluster's id, the same on every broker"
            + " (22 characters of base64, e.g. from `rramlab broker --new-cluster-id`).")
    String clusterId;

    @Option(names = "--dir", required = true, description = "The broker's log directory (formatted on first use).")
    Path dir;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of new topics (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication", defaultValue = "3", description = "Replicas of new topics (default ${DEFAULT-VALUE}).")
    int replication;

    @Option(names = "--min-insync", defaultValue = "2", description = "Replicas an acks=all write needs (default ${DEFAULT-VALUE}).")
    int minInsync;

    @Override
    public Integer call() throws Exception {
        if (minInsync > replication) {
            throw new IllegalArgumentException("--min-insync " + minInsync + " exceeds --replication " + replication
                    + ": no write could succeed; lower it");
        }
        ClusterBroker broker = new ClusterBroker(id, host, port, controllerPort, voters, dir, clusterId, partitions,
                replication, minInsync);
        KafkaRaftServer server = broker.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
            stopped.countDown();
        }, "broker-stop"));
        System.out.println("Kafka broker " + id + " on " + broker.bootstrapServer() + " (controller "
                + host + ":" + controllerPort + ", log " + dir + ")");
        stopped.await();
        return 0;
    }
}
