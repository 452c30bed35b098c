package org.rramlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The drift settings as config/rramlab.conf gives them, and what a wrong value is told. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DriftSettingsTest {

    @Test
    void theShippedConfigGivesTheDocumentedDefaults() {
        DriftSettings shipped = DriftSettings.from(ConfigFactory.parseFile(new java.io.File("../config/rramlab.conf")));
        assertEquals(DriftSettings.defaults(), shipped, "config/rramlab.conf and DriftSettings.defaults() agree");
        assertEquals("layer", shipped.gains());
        assertTrue(shipped.refresh().steady());
        assertEquals(2, shipped.refresh().maxWritesPerDevice());
    }

    @Test
    void aNegativeWriteLimitIsRefusedWithItsKey() {
        var bad = ConfigFactory.parseMap(Map.of(DriftSettings.PATH + ".refresh.max-writes-per-device", -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DriftSettings.from(bad));
        assertTrue(e.getMessage().contains("max-writes-per-device") && e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void steadyMustBeTrueOrFalse() {
        var bad = ConfigFactory.parseMap(Map.of(DriftSettings.PATH + ".refresh.steady", "sometimes"));
        ConfigException e = assertThrows(ConfigException.class, () -> DriftSettings.from(bad));
        assertTrue(e.getMessage().contains("steady"), e.getMessage());
    }
}
