package org.rramlab.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.http.Role;
import org.rramlab.http.Tokens;

/** Tokens: generated once and stored hashed, read back on later starts, or taken from the configuration. */
class TokensTest {
    @TempDir
    Path dataDir;

    @Test
    void generatedAtTheFirstStartStoredHashedOwnerOnlyAndKnownAgainLater() throws Exception {
        Tokens first = Tokens.open(ConfigFactory.empty(), dataDir);
        Tokens.Generated g = first.generated().orElseThrow();
        assertEquals(Optional.of(Role.OPERATOR), first.roleOf(g.operator()));
        assertEquals(Optional.of(Role.VIEWER), first.roleOf(g.viewer()));
        Path file = dataDir.resolve(Tokens.FILE);
        assertEquals(file, g.file());
        String stored = Files.readString(file);
        assertFalse(stored.contains(g.operator()) || stored.contains(g.viewer()), "only hashes are stored");
        assertTrue(stored.contains("sha256"));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));

        Tokens again = Tokens.open(ConfigFactory.empty(), dataDir);
        assertTrue(again.generated().isEmpty(), "printed once: a later start has nothing to print");
        assertEquals(Optional.of(Role.OPERATOR), again.roleOf(g.operator()));
        assertEquals(Optional.of(Role.VIEWER), again.roleOf(g.viewer()));
        assertTrue(again.roleOf(g.viewer() + "x").isEmpty());
        assertTrue(again.roleOf("").isEmpty());
        assertTrue(again.roleOf(null).isEmpty());
    }

    @Test
    void configuredTokensWinAndShortOnesAreRefused() {
        var config = ConfigFactory.parseMap(Map.of(
                Tokens.OPERATOR_KEY, java.util.List.of("operator-token-0000000001"),
                Tokens.VIEWER_KEY, java.util.List.of("viewer-token-000000000001", "viewer-token-000000000002")));
        Tokens t = Tokens.open(config, dataDir);
        assertTrue(t.generated().isEmpty());
        assertFalse(Files.exists(dataDir.resolve(Tokens.FILE)), "nothing generated when tokens are configured");
        assertEquals(Optional.of(Role.OPERATOR), t.roleOf("operator-token-0000000001"));
        assertEquals(Optional.of(Role.VIEWER), t.roleOf("viewer-token-000000000002"));
        var bad = assertThrows(IllegalStateException.class, () -> Tokens.open(ConfigFactory.parseMap(
                Map.of(Tokens.OPERATOR_KEY, java.util.List.of("short"))), dataDir));
        assertTrue(bad.getMessage().contains("at least 16"), bad.getMessage());
    }

    @Test
    void aDamagedFileSaysWhatToDo() throws Exception {
        Files.writeString(dataDir.resolve(Tokens.FILE), "[{\"role\":\"king\",\"salt\":\"00\",\"sha256\":\"00\"}]");
        var e = assertThrows(IllegalStateException.class, () -> Tokens.open(ConfigFactory.empty(), dataDir));
        assertTrue(e.getMessage().contains("delete the file"), e.getMessage());
    }
}
