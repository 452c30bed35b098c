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
