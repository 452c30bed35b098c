package org.rramlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The OSA round settings as config/rramlab.conf gives them: the rounds train offsets unless told not to. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OsaSettingsTest {

    @Test
    void theShippedConfigGivesTheDocumentedDefaultsAndRoundsTrainOffsets() {
        OsaSettings shipped = OsaSettings.from(ConfigFactory.parseFile(new java.io.File("../config/rramlab.conf")));
        assertEquals(OsaSettings.defaults(), shipped, "config/rramlab.conf and OsaSettings.defaults() agree");
        assertTrue(shipped.round(DeploymentSpec.of("m"), 1).trainOffsets());
        assertTrue(shipped.round(DeploymentSpec.of("m"), 3).trainOffsets());
    }

    @Test
    void offsetsCanBeTurnedOff() {
        var off = ConfigFactory.parseMap(Map.of(OsaSettings.PATH + ".offsets", false));
        OsaSettings settings = OsaSettings.from(off);
        assertFalse(settings.offsets());
        assertFalse(settings.round(DeploymentSpec.of("m"), 2).trainOffsets());
        assertEquals(OsaSettings.defaults().laterLearningRate(), settings.round(DeploymentSpec.of("m"), 2).learningRate());
    }

    @Test
    void offsetsMustBeTrueOrFalse() {
        var bad = ConfigFactory.parseMap(Map.of(OsaSettings.PATH + ".offsets", "maybe"));
        ConfigException e = assertThrows(ConfigException.class, () -> OsaSettings.from(bad));
        assertTrue(e.getMessage().contains("offsets"), e.getMessage());
    }
}
