package org.rramlab.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The API's bearer tokens. Configured ones ({@value #OPERATOR_KEY}, {@value #VIEWER_KEY}) win;
 * when none is configured, one operator and one viewer token are generated at the first start,
 * handed out once through {@link #generated()}, and only their salted SHA-256 hashes are kept, in
 * {@code <data-dir>/tokens.json} (mode 0600). Later starts read the hashes: a lost token is
 * replaced by deleting the file and restarting.
 */
public final class Tokens {
    public static final String OPERATOR_KEY = "rramlab.http.tokens.operator";
    public static final String VIEWER_KEY = "rramlab.http.tokens.viewer";
    public static final String FILE = "tokens.json";

    /** One stored token: its role, salt and SHA-256(salt || token), hex. */
    public record Entry(String role, String salt, String sha256) {}

    /** Tokens generated at this start, in clear: print them once, they are not stored. */
    public record Generated(String operator, String viewer, Path file) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<Hashed> hashed;
    private final Generated generated;
    private final String source;

    private record Hashed(Role role, byte[] salt, byte[] hash) {}

    private Tokens(List<Hashed> hashed, Generated generated, String source) {
        this.hashed = List.copyOf(hashed);
        this.generated = generated;
        this.source = source;
    }

    /**
     * The tokens of a node: from the configuration when it lists any, else from
     * {@code <dataDir>/tokens.json}, generated there when missing.
     *
     * @throws IllegalStateException when the file cannot be read or written; the message says which and why
     */
    public static Tokens open(Config config, Path dataDir) {
        List<String> operators = list(config, OPERATOR_KEY);
        List<String> viewers = list(config, VIEWER_KEY);
        if (!operators.isEmpty() || !viewers.isEmpty()) {
            List<Hashed> h = new ArrayList<>();
            operators.forEach(t -> h.add(hash(Role.OPERATOR, t)));
            viewers.forEach(t -> h.add(hash(Role.VIEWER, t)));
            return new Tokens(h, null, "configuration (" + OPERATOR_KEY + ", " + VIEWER_KEY + " and their -file)");
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return new Tokens(read(file), null, file.toString());
            }
            Generated g = new Generated(newToken("op"), newToken("vw"), file);
            List<Hashed> h = List.of(hash(Role.OPERATOR, g.operator()), hash(Role.VIEWER, g.viewer()));
            if (!write(file, h)) {
                // another process wrote it first: use its tokens, ours were never handed out
                return new Tokens(read(file), null, file.toString());
            }
            return new Tokens(h, g, file.toString());
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot use the token file " + file + ": " + e.getMessage()
                    + "; check the data directory's permissions, or configure tokens under rramlab.http.tokens", e);
        }
    }

    /** Fixed tokens, for tests and embedding. */
    public static Tokens of(List<String> operators, List<String> viewers) {
        List<Hashed> h = new ArrayList<>();
        operators.forEach(t -> h.add(hash(Role.OPERATOR, t)));
        viewers.forEach(t -> h.add(hash(Role.VIEWER, t)));
        return new Tokens(h, null, "code");
    }

    /** The tokens generated at this start (print them once), empty when they came from config or an earlier start. */
    public Optional<Generated> generated() {
        return Optional.ofNullable(generated);
    }

    /** Where the tokens came from, for the log. */
    public String source() {
        return source;
    }

    /** The role of a presented token; empty when it is not one of ours. Compares every entry in constant time. */
    public Optional<Role> roleOf(String token) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            return Optional.empty();
        }
        Role best = null;
        for (Hashed h : hashed) {
            if (MessageDigest.isEqual(h.hash(), sha256(h.salt(), token)) && (best == null || h.role() == Role.OPERATOR)) {
                best = h.role();
            }
        }
        return Optional.ofNullable(best);
    }

    private static List<String> list(Config config, String key) {
        List<String> given = new ArrayList<>(config.hasPath(key) ? config.getStringList(key) : List.of());
        given.addAll(fromFile(config, key + "-file"));
        List<String> out = new ArrayList<>();
        for (String t : given) {
            if (t.isBlank()) {
                continue;
            }
            if (t.length() < 16) {
                throw new IllegalStateException(key + " holds a token of " + t.length()
                        + " characters: use at least 16 random characters (for example: openssl rand -hex 24)");
            }
            out.add(t.strip());
        }
        return out;
    }

    /**
     * Tokens from the file a {@code *-file} setting names (a Docker or Kubernetes secret): one a
     * line, blank lines and lines starting with '#' skipped. Nothing when the setting is empty.
     */
    private static List<String> fromFile(Config config, String key) {
        String name = config.hasPath(key) ? config.getString(key).trim() : "";
        if (name.isEmpty()) {
            return List.of();
        }
        try {
            return Files.readAllLines(Path.of(name), StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException(key + ": cannot read the token file " + name + " ("
                    + e.getClass().getSimpleName() + "); mount the secret there or leave the setting empty", e);
        }
    }

    private static String newToken(String prefix) {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static Hashed hash(Role role, String token) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return new Hashed(role, salt, sha256(salt, token));
    }

    private static byte[] sha256(byte[] salt, String token) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(salt);
            return d.digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Hashed> read(Path file) throws IOException {
        List<Entry> entries = Json.mapper().readValue(file.toFile(), new TypeReference<List<Entry>>() {});
        List<Hashed> out = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        for (Entry e : entries) {
            Role role;
            try {
                role = Role.valueOf(e.role().toUpperCase(java.util.Locale.ROOT));
                out.add(new Hashed(role, hex.parseHex(e.salt()), hex.parseHex(e.sha256())));
            } catch (RuntimeException bad) {
                throw new IOException("entry " + e + " is damaged (" + bad.getMessage()
                        + "); delete the file to generate new tokens at the next start");
            }
        }
        return out;
    }

    /** Writes the hashes readable by the owner only; false when the file appeared meanwhile. */
    private static boolean write(Path file, List<Hashed> hashed) throws IOException {
        HexFormat hex = HexFormat.of();
        List<Entry> entries = hashed.stream()
                .map(h -> new Entry(h.role().label(), hex.formatHex(h.salt()), hex.formatHex(h.hash()))).toList();
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".tokens", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the file system has no modes: the data directory's own protection applies
            }
            Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(entries));
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                return false;
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (Files.exists(file)) {
                    return false;
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file);
                }
            }
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
