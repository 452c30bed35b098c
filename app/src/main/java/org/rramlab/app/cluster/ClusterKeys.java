package org.rramlab.app.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The files every node of a cluster shares for TLS between nodes (rramlab.cluster.tls), made with
 * the JDK's keytool exactly as docs/operator-guide.md#cluster-tls shows: a random password
 * ({@value #PASSWORD}, mode 600), an RSA 3072 key pair and its self-signed certificate in a PKCS12
 * key store ({@value #KEY_STORE}), the certificate alone ({@value #CERTIFICATE}) and a PKCS12 trust
 * store holding it ({@value #TRUST_STORE}). Existing files are never overwritten.
 */
public final class ClusterKeys {
    public static final String PASSWORD = "cluster-password";
    public static final String KEY_STORE = "cluster-keystore.p12";
    public static final String TRUST_STORE = "cluster-truststore.p12";
    public static final String CERTIFICATE = "cluster.crt";

    private ClusterKeys() {}

    /** Makes the four files in {@code dir}; the message of a failure says which step and why. */
    public static void make(Path dir, int validityDays) throws IOException {
        Files.createDirectories(dir);
        for (String f : List.of(PASSWORD, KEY_STORE, TRUST_STORE, CERTIFICATE)) {
            if (Files.exists(dir.resolve(f))) {
                throw new FileAlreadyExistsException(dir.resolve(f) + " exists: the nodes may use it; move it away"
                        + " to make new keys (then every node needs the new ones)");
            }
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        Path password = dir.resolve(PASSWORD);
        Files.writeString(password, HexFormat.of().formatHex(random) + "\n", StandardCharsets.US_ASCII);
        restrict(password);
        String pass = "-storepass:file";
        keytool(List.of("-genkeypair", "-alias", "rramlab-cluster", "-keyalg", "RSA", "-keysize", "3072",
                "-validity", Integer.toString(validityDays), "-dname", "CN=rramlab-cluster", "-storetype", "PKCS12",
                "-keystore", dir.resolve(KEY_STORE).toString(), pass, password.toString()));
        keytool(List.of("-exportcert", "-rfc", "-alias", "rramlab-cluster", "-keystore", dir.resolve(KEY_STORE).toString(),
                pass, password.toString(), "-file", dir.resolve(CERTIFICATE).toString()));
        keytool(List.of("-importcert", "-noprompt", "-alias", "rramlab-cluster", "-file", dir.resolve(CERTIFICATE).toString(),
                "-storetype", "PKCS12", "-keystore", dir.resolve(TRUST_STORE).toString(), pass, password.toString()));
        restrict(dir.resolve(KEY_STORE));
    }

    private static void keytool(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!done || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool " + args.get(0) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }

    private static void restrict(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own permissions protect it
        }
    }
}
