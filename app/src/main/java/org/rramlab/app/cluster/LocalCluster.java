package org.rramlab.app.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.Uuid;

/**
 * A lab cluster on one machine, every part a process of its own: three Kafka brokers, a
 * PostgreSQL server ({@link LocalPostgres}) and N lab nodes forming one Pekko cluster. The
 * processes run this program's own classpath ({@code rramlab broker}, {@code rramlab run}). Parts
 * can be killed (SIGKILL) and started again, which is what the cluster tests and the cluster
 * benchmark do; {@link #close} stops everything, nodes first.
 */
public final class LocalCluster implements AutoCloseable {
    /** How a node or broker process is run. */
    public record Options(int nodes, int brokers, int partitions, String nodeHeap, String brokerHeap,
                          Map<String, String> nodeConfig) {
        public static Options defaults(int nodes) {
            return new Options(nodes, 3, 6, "-Xmx1g", "-Xmx384m", Map.of());
        }
    }

    /** One child process and where it listens. */
    public static final class Part {
        final String name;
        final List<String> command;
        final Map<String, String> env;
        final Path log;
        final Map<String, Integer> ports;
        Process process;

        Part(String name, List<String> command, Map<String, String> env, Path log, Map<String, Integer> ports) {
            this.name = name;
            this.command = command;
            this.env = env;
            this.log = log;
            this.ports = ports;
        }

        public String name() {
            return name;
        }

        public Map<String, Integer> ports() {
            return ports;
        }

        public Path log() {
            return log;
        }

        public boolean alive() {
            return process != null && process.isAlive();
        }

        public long pid() {
            return process == null ? -1 : process.pid();
        }
    }

    private final Path dir;
    private final Options options;
    private final Consumer<String> say;
    private final String operatorToken = "op-" + UUID.randomUUID();
    private final String viewerToken = "view-" + UUID.randomUUID();
    private final List<Part> brokers = new ArrayList<>();
    private final List<Part> nodes = new ArrayList<>();
    private LocalPostgres postgres;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalCluster(Path dir, Options options, Consumer<String> say) {
        this.dir = dir;
        this.options = options;
        this.say = say;
    }

    /** Starts PostgreSQL, the brokers, then the nodes; returns once every node answers /ready with 200. */
    public static LocalCluster start(Path dir, Options options, Consumer<String> say, Duration readyWithin)
            throws IOException, InterruptedException {
        LocalCluster c = new LocalCluster(dir, options, say);
        try {
            c.startAll(readyWithin);
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void startAll(Duration readyWithin) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        postgres = LocalPostgres.start(dir.resolve("postgres"), freePort());
        say.accept("PostgreSQL   " + postgres.url() + "  (pid " + postgres.pid() + ")");
        String clusterId = Uuid.randomUuid().toString();
        List<int[]> brokerPorts = new ArrayList<>();
        StringBuilder voters = new StringBuilder();
        for (int i = 1; i <= options.brokers(); i++) {
            int[] p = {freePort(), freePort()};
            brokerPorts.add(p);
            voters.append(i > 1 ? "," : "").append(i).append("@127.0.0.1:").append(p[1]);
        }
        int replication = Math.min(3, options.brokers());
        int minInsync = Math.max(1, replication - 1);
        for (int i = 1; i <= options.brokers(); i++) {
            int[] p = brokerPorts.get(i - 1);
            List<String> cmd = java(options.brokerHeap(), "broker", "--id", Integer.toString(i), "--port",
                    Integer.toString(p[0]), "--controller-port", Integer.toString(p[1]), "--voters", voters.toString(),
                    "--cluster-id", clusterId, "--dir", dir.resolve("broker-" + i).toString(), "--partitions",
                    Integer.toString(options.partitions()), "--replication", Integer.toString(replication),
                    "--min-insync", Integer.toString(minInsync));
            Part b = new Part("broker-" + i, cmd, Map.of(), dir.resolve("broker-" + i + ".log"),
                    Map.of("kafka", p[0], "controller", p[1]));
            brokers.add(b);
            launch(b);
        }
        String bootstrap = String.join(",", brokers.stream().map(b -> "127.0.0.1:" + b.ports.get("kafka")).toList());
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < options.nodes(); i++) {
            clusterPorts.add(freePort());
        }
        // the first two nodes are the seeds (one alone would make the first node a single point of joining)
        List<String> seeds = clusterPorts.subList(0, Math.min(2, clusterPorts.size())).stream()
                .map(p -> "\"pekko://rramlab@127.0.0.1:" + p + "\"").toList();
        for (int i = 1; i <= options.nodes(); i++) {
            int httpPort = freePort();
            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("rramlab.node-name", "node-" + i);
            conf.put("rramlab.data-dir", "\"" + dir.resolve("node-" + i) + "\"");
            conf.put("rramlab.http.port", Integer.toString(httpPort));
            conf.put("rramlab.cluster.port", Integer.toString(clusterPorts.get(i - 1)));
            conf.put("rramlab.cluster.seed-nodes", "[" + String.join(",", seeds) + "]");
            conf.put("rramlab.kafka.bootstrap-servers", bootstrap);
            conf.put("rramlab.kafka.replication-factor", Integer.toString(replication));
            conf.put("rramlab.kafka.min-insync-replicas", Integer.toString(minInsync));
            conf.put("rramlab.statistics.topic-partitions", Integer.toString(options.partitions()));
            conf.put("rramlab.journal.kind", "postgres");
            conf.put("rramlab.journal.postgres.url", postgres.url());
            conf.put("rramlab.journal.postgres.user", LocalPostgres.USER);
            conf.putAll(options.nodeConfig());
            List<String> args = new ArrayList<>(List.of("run"));
            conf.forEach((k, v) -> {
                args.add("--config");
                args.add(k + "=" + v);
            });
            List<String> cmd = java(options.nodeHeap(), args.toArray(String[]::new));
            Map<String, String> env = Map.of("RRAMLAB_HTTP_TOKENS_OPERATOR", "[\"" + operatorToken + "\"]",
                    "RRAMLAB_HTTP_TOKENS_VIEWER", "[\"" + viewerToken + "\"]");
            Part n = new Part("node-" + i, cmd, env, dir.resolve("node-" + i + ".log"),
                    Map.of("http", httpPort, "cluster", clusterPorts.get(i - 1)));
            nodes.add(n);
        }
        for (Part b : brokers) {
            say.accept(String.format("%-12s kafka 127.0.0.1:%d, controller 127.0.0.1:%d  (pid %d, log %s)", b.name,
                    b.ports.get("kafka"), b.ports.get("controller"), b.pid(), b.log));
        }
        for (Part n : nodes) {
            launch(n);
        }
        for (Part n : nodes) {
            awaitReady(n, readyWithin);
            say.accept(String.format("%-12s http://127.0.0.1:%d/, cluster 127.0.0.1:%d  (pid %d, log %s)", n.name,
                    n.ports.get("http"), n.ports.get("cluster"), n.pid(), n.log));
        }
    }

    /** The command line that runs the CLI in a new JVM on this process's classpath. */
    public static List<String> java(String heap, String... args) {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(javaBin, heap, "-XX:+UseSerialGC", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), "org.rramlab.app.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Drops the RRAMLAB_* variables this process inherited: each is a setting to a node (its data
     * directory, its ports, its seeds), and each node of the local cluster gets exactly the settings
     * the launcher gives it, not the launcher's own.
     */
    public static void withoutInheritedSettings(java.util.Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("RRAMLAB_"));
    }

    private static void launch(Part p) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(p.command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(p.log.toFile()));
        withoutInheritedSettings(pb.environment());
        pb.environment().putAll(p.env);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("DJL_OFFLINE", "true");
        p.process = pb.start();
    }

    /** Waits until the node's /ready says 200. */
    public void awaitReady(Part n, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!n.alive()) {
                throw new IllegalStateException(n.name + " exited (" + n.process.exitValue() + "); see " + n.log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + n.ports.get("http") + "/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.body();
            } catch (IOException e) {
                last = e.getMessage();
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(n.name + " not ready in " + within.toSeconds() + " s: " + last + "; see " + n.log);
    }

    /** SIGKILL: the process gets no chance to record anything. */
    public void kill(Part p) throws InterruptedException {
        p.process.destroyForcibly();
        p.process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts a killed or stopped part again with the same ports and directory. */
    public void restart(Part p) throws IOException {
        if (p.alive()) {
            throw new IllegalStateException(p.name + " still runs");
        }
        launch(p);
    }

    /** SIGTERM and wait: a node stops cleanly (records its stop), a broker shuts down in order. */
    public void stop(Part p) throws InterruptedException {
        if (p.process == null || !p.process.isAlive()) {
            return;
        }
        p.process.destroy();
        if (!p.process.waitFor(60, TimeUnit.SECONDS)) {
            p.process.destroyForcibly().waitFor();
        }
    }

    public List<Part> nodes() {
        return nodes;
    }

    public List<Part> brokers() {
        return brokers;
    }

    public LocalPostgres postgres() {
        return postgres;
    }

    public String operatorToken() {
        return operatorToken;
    }

    public String viewerToken() {
        return viewerToken;
    }

    public String url(Part node) {
        return "http://127.0.0.1:" + node.ports.get("http") + "/";
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws InterruptedException {
        for (Part n : nodes) {
            n.process = n.process == null ? null : n.process;
            if (n.alive()) {
                n.process.destroy();
            }
        }
        for (Part n : nodes) {
            stop(n);
        }
        for (Part b : brokers) {
            if (b.alive()) {
                b.process.destroy();
            }
        }
        for (Part b : brokers) {
            stop(b);
        }
        if (postgres != null) {
            postgres.stop(false);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
