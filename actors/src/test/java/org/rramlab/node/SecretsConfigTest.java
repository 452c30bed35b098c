package org.rramlab.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets stay secret in what the node prints (--print-config), passwords can come from a mounted
 * secret file, and the environment variables the reference file shows as examples are accepted.
 */
class SecretsConfigTest {
    @TempDir
    Path dir;

    @Test
    void printConfigShowsNoTokenNorPassword() {
        Config c = LabConfig.load(Map.of(
                "rramlab.http.tokens.operator", "[operator-secret-0001]",
                "rramlab.http.tokens.viewer", "[viewer-secret-0001, viewer-secret-0002]",
                "rramlab.journal.postgres.password", "pg-secret-0001",
                "rramlab.journal.postgres.url", "\"jdbc:postgresql://db:5432/rramlab?user=x&password=url-secret-0001\""),
                Map.of());
        String shown = LabConfig.render(c);
        for (String secret : new String[] {"operator-secret", "viewer-secret", "pg-secret", "url-secret"}) {
            assertFalse(shown.contains(secret), secret + " printed:\n" + shown);
        }
        assertTrue(shown.contains("1 set, not shown") && shown.contains("2 set, not shown"), shown);
        assertTrue(shown.contains("jdbc:postgresql://db:5432/rramlab"), "the rest of the URL stays: " + shown);
    }

    @Test
    void aPasswordFileIsReadAndWinsOverThePassword() throws Exception {
        Path secret = Files.writeString(dir.resolve("postgres-password"), "from-the-file\n");
        Config c = LabConfig.load(Map.of(), Map.of("RRAMLAB_JOURNAL_POSTGRES_PASSWORD", "given",
                "RRAMLAB_JOURNAL_POSTGRES_PASSWORD__FILE", secret.toString()));
        assertEquals("from-the-file", LabSettings.from(c).postgresPassword());
        assertFalse(LabConfig.render(c).contains("from-the-file"));
    }

    @Test
    void apiTokensAreReadFromSecretFilesAndNeverPrinted() throws Exception {
        Path operators = Files.writeString(dir.resolve("operator-token"), "# rotated 2026-12\noperator-from-file-0001\n\n");
        Path viewers = Files.writeString(dir.resolve("viewer-token"), "viewer-from-file-0001\nviewer-from-file-0002\n");
        Config c = LabConfig.load(Map.of(), Map.of("RRAMLAB_HTTP_TOKENS_OPERATOR__FILE", operators.toString(),
                "RRAMLAB_HTTP_TOKENS_VIEWER__FILE", viewers.toString()));
        org.rramlab.http.Tokens tokens = org.rramlab.http.Tokens.open(c, dir.resolve("data"));
        assertEquals(java.util.Optional.of(org.rramlab.http.Role.OPERATOR), tokens.roleOf("operator-from-file-0001"));
        assertEquals(java.util.Optional.of(org.rramlab.http.Role.VIEWER), tokens.roleOf("viewer-from-file-0002"));
        assertTrue(tokens.roleOf("# rotated 2026-12").isEmpty(), "comment lines are no tokens");
        assertTrue(tokens.generated().isEmpty(), "configured tokens: none generated");
        assertFalse(Files.exists(dir.resolve("data").resolve(org.rramlab.http.Tokens.FILE)));
        assertFalse(LabConfig.render(c).contains("from-file"), "a file's tokens are not printed");

        Config missing = LabConfig.load(Map.of(), Map.of("RRAMLAB_HTTP_TOKENS_OPERATOR__FILE", dir.resolve("nope").toString()));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> org.rramlab.http.Tokens.open(missing, dir.resolve("data")));
        assertTrue(e.getMessage().contains("operator-file") && e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void clusterTlsNeedsReadableStoresAndSaysWhichSetting() throws Exception {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LabConfig.load(Map.of("rramlab.cluster.tls.key-store", "\"" + dir.resolve("none.p12") + "\""), Map.of()));
        assertTrue(e.getMessage().contains("rramlab.cluster.tls.key-store") && e.getMessage().contains("cluster keys"),
                e.getMessage());
        assertEquals("tcp", LabConfig.load(Map.of(), Map.of()).getString("pekko.remote.artery.transport"),
                "no key store: cleartext TCP as before");
    }

    @Test
    void theVariablesTheReferenceFileShowsAreAccepted() throws Exception {
        String conf = Files.readString(Path.of("..", "config", "rramlab.conf"));
        Matcher m = Pattern.compile("(RRAMLAB_[A-Z_]+)=(\\S+?)[),]? sets\\s+(?:#\\s+)?([a-z.-]+)").matcher(conf);
        Map<String, String> examples = new LinkedHashMap<>();
        Map<String, String> keys = new LinkedHashMap<>();
        while (m.find()) {
            examples.put(m.group(1), m.group(2));
            keys.put(m.group(1), m.group(3));
        }
        assertFalse(examples.isEmpty(), "rramlab.conf shows how a variable names a setting");
        for (var e : examples.entrySet()) {
            Config c = LabConfig.load(Map.of(), Map.of(e.getKey(), e.getValue()));
            assertEquals(e.getValue(), c.getValue(keys.get(e.getKey())).unwrapped().toString(), e.getKey());
        }
    }
}
