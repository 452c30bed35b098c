package org.rramlab.app.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;

/**
 * The node's HTTPS key pair: a PEM certificate chain and PEM (PKCS#8) private key the lab made
 * (openssl, its CA), or a self-signed pair the node makes once with the JDK's keytool and keeps
 * under {@code <data-dir>/tls/} for a first try. Errors say which file and what to do.
 */
public final class HttpsContext {
    static final String SELF_SIGNED = "self-signed.p12";
    private static final String ALIAS = "rramlab";

    private HttpsContext() {}

    /**
     * The node's key pair, held in a key store. {@link #server} serves with it; {@link #peerClient} is for
     * the node's own calls to other nodes that serve the same pair (or one signed by a CA in its chain).
     */
    public static final class Keys {
        private final KeyStore store;
        private final char[] password;

        Keys(KeyStore store, char[] password) {
            this.store = store;
            this.password = password;
        }

        public HttpsConnectionContext server() {
            try {
                return context(store, password);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the TLS key pair cannot serve HTTPS: " + e.getMessage(), e);
            }
        }

        /**
         * A client that trusts the certificates of this pair's chain and nothing else, without a host name
         * check: the peers are the lab's own nodes, known by the key they hold (as the cluster port's TLS,
         * decision 0064), and their pod addresses change.
         */
        public HttpsConnectionContext peerClient() {
            try {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                int i = 0;
                for (Certificate c : store.getCertificateChain(ALIAS)) {
                    trusted.setCertificateEntry("peer-" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted);
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, tmf.getTrustManagers(), new SecureRandom());
                return ConnectionContext.httpsClient((host, port) -> {
                    SSLEngine engine = ssl.createSSLEngine(host, port);
                    engine.setUseClientMode(true);
                    return engine;
                });
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("the TLS key pair cannot make a client context: " + e.getMessage(), e);
            }
        }
    }

    /** A context from PEM files: the certificate (chain, leaf first) and its unencrypted PKCS#8 key. */
    public static HttpsConnectionContext fromPem(Path certFile, Path keyFile) {
        return pemKeys(certFile, keyFile).server();
    }

    /** The data directory's self-signed pair, made at the first call (10 years, for the node's host names). */
    public static HttpsConnectionContext selfSigned(Path dataDir, String host) {
        return selfSignedKeys(dataDir, host).server();
    }

    /** The pair of PEM files: the certificate (chain, leaf first) and its unencrypted PKCS#8 key. */
    public static Keys pemKeys(Path certFile, Path keyFile) {
        try {
            List<Certificate> chain;
            try (InputStream in = Files.newInputStream(certFile)) {
                chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("--tls-cert " + certFile + " holds no PEM certificate");
            }
            PrivateKey key = privateKey(keyFile);
            char[] password = randomPassword();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password, chain.toArray(Certificate[]::new));
            return new Keys(store, password);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the TLS files (" + e.getMessage() + "); check --tls-cert and --tls-key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the TLS files do not make a key pair: " + e.getMessage()
                    + "; give a PEM certificate and its PEM private key (PKCS#8, `openssl pkcs8 -topk8 -nocrypt` converts)", e);
        }
    }

    /** The data directory's self-signed pair, made at the first call (10 years, for the node's host names). */
    public static Keys selfSignedKeys(Path dataDir, String host) {
        Path dir = dataDir.resolve("tls");
        Path store = dir.resolve(SELF_SIGNED);
        Path passwordFile = dir.resolve("self-signed.password");
        try {
            if (!Files.isRegularFile(store) || !Files.isRegularFile(passwordFile)) {
                make(dir, store, passwordFile, host);
            }
            char[] password = Files.readString(passwordFile).strip().toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, password);
            }
            return new Keys(ks, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the self-signed TLS pair in " + dir + " is not usable (" + e.getMessage()
                    + "); delete that folder to have a new one made, or give --tls-cert and --tls-key", e);
        }
    }

    private static void make(Path dir, Path store, Path passwordFile, String host) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(store);
        String password = new String(randomPassword());
        Files.writeString(passwordFile, password, StandardCharsets.US_ASCII);
        restrict(passwordFile);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        String san = "dns:localhost,ip:127.0.0.1" + (host == null || host.isBlank() || host.equals("0.0.0.0")
                || host.equals("localhost") || host.equals("127.0.0.1") ? "" : "," + (host.matches("[0-9.]+|.*:.*")
                ? "ip:" : "dns:") + host);
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname",
                "secp256r1", "-validity", "3650", "-dname", "CN=rramlab self-signed", "-ext", "san=" + san,
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool did not make the pair: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool made the pair", e);
        }
        restrict(store);
    }

    private static void restrict(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: the data directory's own permissions protect it
        }
    }

    private static PrivateKey privateKey(Path keyFile) throws IOException, GeneralSecurityException {
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        if (pem.contains("ENCRYPTED PRIVATE KEY")) {
            throw new GeneralSecurityException("--tls-key " + keyFile + " is encrypted; give an unencrypted key"
                    + " readable by the node's user only");
        }
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException("--tls-key " + keyFile + " is not a PEM PKCS#8 private key"
                    + " (-----BEGIN PRIVATE KEY-----)");
        }
        String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"))
                .replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body));
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("--tls-key " + keyFile + " is neither an RSA, EC nor Ed25519 key", last);
    }

    private static HttpsConnectionContext context(KeyStore store, char[] password) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, new SecureRandom());
        return ConnectionContext.httpsServer(ssl);
    }

    private static char[] randomPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b).toCharArray();
    }
}
