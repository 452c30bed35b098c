package org.rramlab.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;

/**
 * The Pekko settings for TLS between cluster nodes, from rramlab.cluster.tls: Artery over
 * tls-tcp with the lab's PKCS12 key and trust stores (TLS 1.3, mutual authentication, as Pekko's
 * ConfigSSLEngineProvider does by default). The stores are opened here once, so that a wrong path
 * or password stops the node at start with a message instead of every handshake failing later.
 */
public final class ArteryTls {
    private static final String SSL = "pekko.remote.artery.ssl.config-ssl-engine.";
    private static final String KEY = "rramlab.cluster.tls.";

    private ArteryTls() {}

    /** Empty when no key store is set (cleartext TCP); otherwise transport tls-tcp and the stores. */
    public static Config derive(Config c) {
        String keyStore = c.getString(KEY + "key-store").trim();
        if (keyStore.isEmpty()) {
            return ConfigFactory.empty();
        }
        String password = password(c);
        String trustStore = c.getString(KEY + "trust-store").trim();
        trustStore = trustStore.isEmpty() ? keyStore : trustStore;
        String trustPassword = c.getString(KEY + "trust-store-password");
        trustPassword = trustPassword.isEmpty() ? password : trustPassword;
        Path keys = Path.of(keyStore).toAbsolutePath();
        Path trust = Path.of(trustStore).toAbsolutePath();
        KeyStore k = open(keys, password, "key-store");
        if (!hasKey(k)) {
            throw invalid("key-store", keys + " holds no private key; make the stores with `rramlab cluster keys`");
        }
        if (!hasCertificate(open(trust, trustPassword, "trust-store"))) {
            throw invalid("trust-store", trust + " holds no certificate to trust");
        }
        return ConfigFactory.empty("derived from rramlab.cluster.tls")
                .withValue("pekko.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
                .withValue(SSL + "key-store", ConfigValueFactory.fromAnyRef(keys.toString()))
                .withValue(SSL + "key-store-password", ConfigValueFactory.fromAnyRef(password))
                .withValue(SSL + "key-password", ConfigValueFactory.fromAnyRef(password))
                .withValue(SSL + "trust-store", ConfigValueFactory.fromAnyRef(trust.toString()))
                .withValue(SSL + "trust-store-password", ConfigValueFactory.fromAnyRef(trustPassword))
                .withValue(SSL + "require-mutual-authentication", ConfigValueFactory.fromAnyRef(true));
    }

    private static String password(Config c) {
        String file = c.getString(KEY + "key-store-password-file").trim();
        if (file.isEmpty()) {
            return c.getString(KEY + "key-store-password");
        }
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            throw invalid("key-store-password-file", "cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "); mount the secret there or leave the setting empty");
        }
    }

    private static KeyStore open(Path file, String password, String setting) {
        if (!Files.isReadable(file)) {
            throw invalid(setting, file + " is not a readable file; make the stores with `rramlab cluster keys --out DIR`"
                    + " (docs/operator-guide.md#cluster-tls)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            // a wrong password shows as an IOException whose cause is an UnrecoverableKeyException
            throw invalid(setting, "cannot open " + file + " as PKCS12 (" + e.getMessage()
                    + "); check rramlab.cluster.tls.key-store-password(-file)");
        }
    }

    private static boolean hasKey(KeyStore ks) {
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean hasCertificate(KeyStore ks) {
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.getCertificate(alias) != null) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static IllegalArgumentException invalid(String setting, String what) {
        return new IllegalArgumentException("invalid configuration: " + KEY + setting + ": " + what);
    }
}
