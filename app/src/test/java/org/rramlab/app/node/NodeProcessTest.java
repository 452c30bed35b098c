package org.rramlab.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `rramlab run` as a service manager runs it, in its own process: HTTPS only with a key pair made
 * as the operator guide says (openssl), and a SIGTERM stop that exits 0. A self-signed pair is
 * made once and kept.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NodeProcessTest {
    @TempDir
    Path dir;

    @Test
    void runServesHttpsOnlyWithTheGivenPairAndStopsWithExitZeroOnSigterm() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        // as docs/operator-guide.md#security shows
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "30", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1").redirectErrorStream(true).start();
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, openssl.exitValue(), new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder launch = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.rramlab.app.cli.Main", "run", "--data-dir", dir.resolve("data").toString(), "--port", "0",
                "--tls-cert", cert.toString(), "--tls-key", key.toString())
                .redirectErrorStream(true);
        Process node = launch.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        StringBuilder all = new StringBuilder();
        Thread reader = new Thread(() -> drain(node.getInputStream(), lines, all), "node-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String url = null;
            Pattern on = Pattern.compile("rramlab node on (\\S+)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (url == null && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                Matcher m = line == null ? null : on.matcher(line);
                if (m != null && m.find()) {
                    url = m.group(1);
                }
            }
            assertTrue(url != null && url.startsWith("https://127.0.0.1:"), "the node says where it serves: " + all);
            String base = url;
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(cert))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(URI.create(url + "health"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            String plain = url.replace("https://", "http://");
            assertThrows(java.io.IOException.class, () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .build().send(HttpRequest.newBuilder(URI.create(plain + "health")).timeout(Duration.ofSeconds(10))
                            .build(), HttpResponse.BodyHandlers.ofString()), "no cleartext HTTP on the port");
            assertThrows(javax.net.ssl.SSLException.class, () -> HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create(base + "health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()), "an unknown certificate is not trusted by default");
            // wait until the node's start is recorded, so the stop is a stop of a running node
            waitUntil(lines, all, "ready in", 90);
            // SIGTERM as a service manager sends it (Process.destroy would also close the output pipes)
            assertEquals(0, new ProcessBuilder("kill", "-TERM", String.valueOf(node.pid())).start().waitFor());
            assertTrue(node.waitFor(90, TimeUnit.SECONDS), "stopped in time: " + all);
            reader.join(10_000);
            assertEquals(0, node.exitValue(), "a SIGTERM stop is a clean stop: " + all);
            assertTrue(all.toString().contains("stopped"), all.toString());
        } finally {
            node.destroyForcibly();
        }
    }

    @Test
    void aSelfSignedPairIsMadeOnceAndKept() throws Exception {
        Path data = dir.resolve("data");
        HttpsContext.selfSigned(data, "lab-host.example");
        Path store = data.resolve("tls").resolve(HttpsContext.SELF_SIGNED);
        assertTrue(Files.isRegularFile(store));
        byte[] first = Files.readAllBytes(store);
        HttpsContext.selfSigned(data, "lab-host.example");
        assertEquals(List.of(first.length), List.of(Files.readAllBytes(store).length));
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(store)), "the pair is kept, not made again");
        assertFalse(Files.getPosixFilePermissions(data.resolve("tls").resolve("self-signed.password"))
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ), "its password is the owner's only");
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("node", c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static void waitUntil(BlockingQueue<String> lines, StringBuilder all, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            synchronized (all) {
                if (all.toString().contains(text)) {
                    return;
                }
            }
            lines.poll(1, TimeUnit.SECONDS);
        }
        throw new AssertionError("the node never said \"" + text + "\": " + all);
    }

    private static void drain(InputStream in, BlockingQueue<String> lines, StringBuilder all) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (all) {
                    all.append(line).append('\n');
                }
                lines.add(line);
            }
        } catch (java.io.IOException e) {
            // the process ended
        }
    }
}
