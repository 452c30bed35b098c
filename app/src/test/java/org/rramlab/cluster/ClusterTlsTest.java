package org.rramlab.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.app.cluster.ClusterKeys;
import org.rramlab.app.cluster.LocalCluster;
import org.rramlab.app.cluster.NodeClient;

/**
 * TLS between cluster nodes: two lab node processes given the stores `rramlab cluster keys` makes
 * form one cluster over Artery tls-tcp (their cluster port speaks TLS 1.3 and wants a client
 * certificate), and a third node with keys of its own, pointed at the same seed nodes, never
 * becomes a member.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ClusterTlsTest {
    @TempDir
    Path dir;

    @Test
    void nodesWithTheSharedKeysFormAClusterAndANodeWithOtherKeysCannotJoin() throws Exception {
        assertTrue(Files.isDirectory(Path.of("/usr/lib/postgresql")), "PostgreSQL is not installed: apt-get install -y"
                + " postgresql (as root; ./rramlab test installs it when run as root)");
        Path keys = dir.resolve("keys");
        ClusterKeys.make(keys, 30);
        Path otherKeys = dir.resolve("other-keys");
        ClusterKeys.make(otherKeys, 30);
        Map<String, String> tls = tls(keys);
        try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), new LocalCluster.Options(2, 1, 2,
                "-Xmx448m", "-Xmx320m", tls), System.out::println, Duration.ofMinutes(4))) {
            NodeClient first = new NodeClient(cluster.url(cluster.nodes().get(0)), cluster.operatorToken());
            JsonNode view = first.await("/api/cluster", v -> upMembers(v) == 2, Duration.ofSeconds(60));
            System.out.println("cluster over TLS: " + view.get("members"));
            int clusterPort = cluster.nodes().get(1).ports().get("cluster");

            // the cluster port speaks TLS 1.3 to a holder of the keys, and refuses any other certificate
            assertEquals("TLSv1.3", handshake(clusterPort, keys, keys), "the cluster port speaks TLS");
            assertThrows(java.io.IOException.class, () -> handshake(clusterPort, otherKeys, keys),
                    "a certificate the cluster does not trust is refused");

            // a third node with keys of its own, the same seeds: it never becomes a member
            Process outsider = startOutsider(cluster, otherKeys);
            try {
                // its HTTP server answers once its actor system runs, and with it the attempts to join
                long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
                while (!answers(outsiderHttp) && System.nanoTime() < started) {
                    assertTrue(outsider.isAlive(), "the outsider stopped: " + Files.readString(dir.resolve("outsider.log")));
                    Thread.sleep(500);
                }
                assertTrue(answers(outsiderHttp), "the outsider did not start in 150 s");
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
                while (System.nanoTime() < until) {
                    assertTrue(outsider.isAlive(), "the outsider runs on, trying to join (see outsider.log)");
                    JsonNode now = first.get("/api/cluster");
                    assertEquals(2, now.get("members").size(), "a node without the cluster's keys joined: " + now);
                    Thread.sleep(2000);
                }
                assertFalse(readyOk(outsiderHttp), "the outsider is not ready: it is in no cluster");
                String log = Files.readString(dir.resolve("outsider.log"));
                System.out.println("outsider's log, last lines: "
                        + log.substring(Math.max(0, log.length() - 1500)));
                assertTrue(java.util.regex.Pattern.compile("(?i)SSLHandshake|CertPath|certificate").matcher(log).find(),
                        "the outsider was refused by TLS: " + log.substring(Math.max(0, log.length() - 3000)));
            } finally {
                outsider.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            // the members still agree with each other
            assertEquals(2, upMembers(new NodeClient(cluster.url(cluster.nodes().get(1)), cluster.operatorToken())
                    .get("/api/cluster")));
        }
    }

    private int outsiderHttp;

    private static Map<String, String> tls(Path keys) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("rramlab.cluster.tls.key-store", "\"" + keys.resolve(ClusterKeys.KEY_STORE) + "\"");
        c.put("rramlab.cluster.tls.trust-store", "\"" + keys.resolve(ClusterKeys.TRUST_STORE) + "\"");
        c.put("rramlab.cluster.tls.key-store-password-file", "\"" + keys.resolve(ClusterKeys.PASSWORD) + "\"");
        return c;
    }

    private static int upMembers(JsonNode view) {
        int up = 0;
        for (JsonNode m : view.get("members")) {
            up += "Up".equals(m.get("status").asText()) ? 1 : 0;
        }
        return up;
    }

    /** A node process like the cluster's, but with {@code keys}; its output goes to outsider.log. */
    private Process startOutsider(LocalCluster cluster, Path keys) throws Exception {
        outsiderHttp = LocalCluster.freePort();
        List<String> seeds = new ArrayList<>();
        for (LocalCluster.Part n : cluster.nodes()) {
            seeds.add("\"pekko://rramlab@127.0.0.1:" + n.ports().get("cluster") + "\"");
        }
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("rramlab.node-name", "outsider");
        conf.put("rramlab.data-dir", "\"" + dir.resolve("outsider") + "\"");
        conf.put("rramlab.http.port", Integer.toString(outsiderHttp));
        conf.put("rramlab.cluster.port", Integer.toString(LocalCluster.freePort()));
        conf.put("rramlab.cluster.seed-nodes", "[" + String.join(",", seeds) + "]");
        conf.put("rramlab.kafka.bootstrap-servers", "127.0.0.1:" + cluster.brokers().get(0).ports().get("kafka"));
        conf.put("rramlab.statistics.topic-partitions", "2");
        conf.put("rramlab.journal.kind", "postgres");
        conf.put("rramlab.journal.postgres.url", cluster.postgres().url());
        conf.put("rramlab.journal.postgres.user", org.rramlab.app.cluster.LocalPostgres.USER);
        conf.putAll(tls(keys));
        List<String> args = new ArrayList<>(List.of("run"));
        conf.forEach((k, v) -> {
            args.add("--config");
            args.add(k + "=" + v);
        });
        ProcessBuilder pb = new ProcessBuilder(LocalCluster.java("-Xmx448m", args.toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(dir.resolve("outsider.log").toFile());
        LocalCluster.withoutInheritedSettings(pb.environment());
        pb.environment().put("RRAMLAB_HTTP_TOKENS_OPERATOR", "[\"" + cluster.operatorToken() + "\"]");
        pb.environment().put("RRAMLAB_HTTP_TOKENS_VIEWER", "[\"" + cluster.viewerToken() + "\"]");
        pb.environment().put("DJL_OFFLINE", "true");
        return pb.start();
    }

    private static boolean answers(int port) {
        try {
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean readyOk(int port) {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A TLS connection to the cluster port, presenting the key of {@code clientKeys} and trusting the
     * cluster's certificate; the protocol agreed once the server accepted the client's certificate.
     */
    private static String handshake(int port, Path clientKeys, Path clusterKeys) throws Exception {
        char[] password = Files.readString(clientKeys.resolve(ClusterKeys.PASSWORD)).strip().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(clientKeys.resolve(ClusterKeys.KEY_STORE))) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(clusterKeys.resolve(ClusterKeys.TRUST_STORE))) {
            trust.load(in, Files.readString(clusterKeys.resolve(ClusterKeys.PASSWORD)).strip().toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLSv1.3");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(3000);
            s.startHandshake();
            // TLS 1.3: the server judges the client's certificate after the client's side of the
            // handshake is done; a refusal arrives as an alert on the first read
            try {
                if (s.getInputStream().read() < 0) {
                    throw new java.io.EOFException("the server closed the connection");
                }
            } catch (java.net.SocketTimeoutException quiet) {
                // the server waits for the first Artery frame: the connection was accepted
            }
            return s.getSession().getProtocol();
        }
    }
}
