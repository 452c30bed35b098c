package org.rramlab.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.Uri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.app.cluster.LocalCluster;
import org.rramlab.node.LabConfig;

/**
 * Pekko Management's endpoint (Kubernetes bootstrap) as the node configures and starts it: bound to the
 * node's cluster address only, and over HTTPS with the node's HTTPS key pair when it has one; the
 * bootstrap's probe of another node (Pekko HTTP's default client, as the bootstrap makes it) trusts
 * that pair, a client that does not know it is refused, and plain HTTP gets no answer.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ManagementTlsTest {
    @TempDir
    Path dir;

    @Test
    void theManagementEndpointServesHttpsWithTheNodesPairOnTheNodesAddressOnly() throws Exception {
        int port = LocalCluster.freePort();
        Map<String, String> o = new HashMap<>();
        o.put("rramlab.data-dir", "\"" + dir.resolve("data") + "\"");
        o.put("rramlab.cluster.hostname", "127.0.0.1");
        o.put("rramlab.cluster.port", Integer.toString(LocalCluster.freePort()));
        o.put("rramlab.cluster.seed-nodes", "[]");
        o.put("rramlab.cluster.bootstrap.enabled", "true");
        o.put("rramlab.cluster.bootstrap.management-port", Integer.toString(port));
        Config config = LabConfig.load(o, Map.of());
        assertEquals("127.0.0.1", config.getString("pekko.management.http.bind-hostname"), "not every interface");
        HttpsContext.Keys keys = HttpsContext.selfSignedKeys(dir.resolve("data"), "127.0.0.1");
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "rramlab", config);
        try {
            Uri self = NodeManagement.start(system, keys).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals("https", self.scheme(), "the bootstrap probes the others with its own scheme: " + self);
            String url = "https://127.0.0.1:" + port + "/bootstrap/seed-nodes";

            // a client that trusts the node's certificate gets the seed nodes
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(dir.resolve("data").resolve("tls")
                    .resolve(HttpsContext.SELF_SIGNED))).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("selfNode"), r.body());

            // the bootstrap's own probe: Pekko HTTP's default client, which now trusts the lab's pair
            var classic = Adapter.toClassic(system);
            var probe = Http.get(classic).singleRequest(org.apache.pekko.http.javadsl.model.HttpRequest.create(url))
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals(200, probe.status().intValue());
            probe.discardEntityBytes(classic);

            // a client with only the JDK's trusted CAs refuses the certificate; plain HTTP gets no HTTP answer
            HttpClient stranger = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThrows(SSLHandshakeException.class, () -> stranger.send(HttpRequest.newBuilder(URI.create(url))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()));
            assertThrows(IOException.class, () -> stranger.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + port + "/bootstrap/seed-nodes")).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));

            // bound to 127.0.0.1 only: another loopback address of the same host is not served
            try (Socket s = new Socket()) {
                assertThrows(IOException.class, () -> s.connect(new InetSocketAddress("127.0.0.2", port), 5000));
            }
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static SSLContext trusting(Path store) throws Exception {
        Path passwordFile = store.resolveSibling("self-signed.password");
        char[] password = Files.readString(passwordFile).strip().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("node", ks.getCertificate("rramlab"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
