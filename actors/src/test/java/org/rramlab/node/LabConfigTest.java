package org.rramlab.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabConfigTest {
    @Test
    void defaultsComeFromRramlabConf() {
        LabSettings s = LabSettings.from(LabConfig.load(Map.of(), Map.of()));
        assertEquals(8080, s.httpPort());
        assertEquals("127.0.0.1", s.httpInterface());
        assertTrue(s.embeddedKafka());
        assertEquals(LabSettings.JournalKind.H2, s.journalKind());
        assertEquals(Path.of(System.getProperty("user.home"), ".local/share/rramlab"), s.dataDir());
    }

    @Test
    void environmentVariablesOverrideTheFile() {
        Config c = LabConfig.load(Map.of(), Map.of(
                "RRAMLAB_HTTP_PORT", "9191",
                "RRAMLAB_KAFKA_EMBEDDED_BROKER__PORT", "19092",
                "RRAMLAB_READINESS__TIMEOUT", "7s"));
        LabSettings s = LabSettings.from(c);
        assertEquals(9191, s.httpPort());
        assertEquals(19092, s.kafkaBrokerPort());
        assertEquals(Duration.ofSeconds(7), s.readinessTimeout());
    }

    @Test
    void flagsOverrideTheEnvironmentAndReachPekkoSettings() {
        Config c = LabConfig.load(
                Map.of("http.port", "7070", "rramlab.journal.kind", "postgres", "pekko.loglevel", "DEBUG"),
                Map.of("RRAMLAB_HTTP_PORT", "9191"));
        LabSettings s = LabSettings.from(c);
        assertEquals(7070, s.httpPort(), "--config beats the environment");
        assertEquals(LabSettings.JournalKind.POSTGRES, s.journalKind());
        assertEquals("slick.jdbc.PostgresProfile$",
                c.getString("pekko-persistence-jdbc.shared-databases.default.profile"), "journal follows the kind");
        assertEquals("DEBUG", c.getString("pekko.loglevel"));
    }

    @Test
    void theDataDirectoryDecidesWhereTheJournalLives() {
        Config c = LabConfig.load(Map.of("data-dir", "\"/srv/lab one\""), Map.of());
        assertEquals(Path.of("/srv/lab one"), LabSettings.from(c).dataDir());
        assertTrue(c.getString("pekko-persistence-jdbc.shared-databases.default.db.url")
                .startsWith("jdbc:h2:file:/srv/lab one/journal/"));
    }

    @Test
    void anUnknownKeyNamesItselfAndSaysWhatToDo() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LabConfig.load(Map.of("htp.port", "1"), Map.of()));
        assertTrue(e.getMessage().contains("rramlab.htp.port"), e.getMessage());
        assertTrue(e.getMessage().contains("--print-config"), e.getMessage());
        var env = assertThrows(IllegalArgumentException.class,
                () -> LabConfig.load(Map.of(), Map.of("RRAMLAB_HTTP_PROT", "1")));
        assertTrue(env.getMessage().contains("RRAMLAB_HTTP_PROT"), env.getMessage());
    }

    @Test
    void aBadValueNamesTheSetting() {
        var port = assertThrows(IllegalArgumentException.class,
                () -> LabConfig.load(Map.of("http.port", "eighty"), Map.of()));
        assertTrue(port.getMessage().contains("http.port"), port.getMessage());
        var range = assertThrows(IllegalArgumentException.class,
                () -> LabConfig.load(Map.of("http.port", "70000"), Map.of()));
        assertTrue(range.getMessage().contains("0..65535"), range.getMessage());
        var kind = assertThrows(IllegalArgumentException.class,
                () -> LabConfig.load(Map.of("journal.kind", "oracle"), Map.of()));
        assertTrue(kind.getMessage().contains("h2 or postgres"), kind.getMessage());
    }

    @Test
    void printConfigShowsTheDerivedJournalAndHidesThePassword() {
        String text = LabConfig.render(LabConfig.load(
                Map.of("http.port", "7171", "journal.postgres.password", "hunter2"), Map.of()));
        assertTrue(text.contains("port=7171"), text);
        assertTrue(!text.contains("hunter2") && text.contains("(set, not shown)"), "password hidden: " + text);
        assertTrue(text.contains("pekko-persistence-jdbc.shared-databases.default.db.url"), text);
    }
}
