package org.rramlab.device.scpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.rramlab.device.DevicePreset;

/** The station block of the configuration: keys override defaults, bad values are refused by name. */
class StationSettingsTest {
    @Test
    void keysOverrideDefaultsAndReachTheOptions() {
        StationSettings s = StationSettings.from(ConfigFactory.parseString(
                "bit-smus = 8, settle = 2ms, matrix-model = e5250a, portmapper-port = 1111, motion-timeout = 90s"));
        assertEquals(8, s.bitSmus());
        assertEquals(SwitchMatrix.Model.E5250A, s.matrixModel());
        PhysicalArray.Options o = s.apply(PhysicalArray.Options.defaults(DevicePreset.load(DevicePreset.DEFAULT), 8, 8), 8, 8,
                LinkOptions.defaults(), Duration.ofMinutes(3));
        assertEquals(8, o.wiring().bitChannels().length);
        assertEquals(Duration.ofMillis(2), o.settle());
        assertEquals(1111, o.link().portmapperPort());
        assertEquals(Duration.ofSeconds(90), o.prober().motionTimeout());
        assertEquals(0.001, o.pulseSeconds(), 1e-12);
        assertEquals(StationSettings.defaults(), StationSettings.from(ConfigFactory.empty()));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> StationSettings.from(ConfigFactory.parseString("matrix-model = B9999")));
        assertTrue(bad.getMessage().contains("station.matrix-model must be B2200A or E5250A"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StationSettings.from(ConfigFactory.parseString("bit-smus = 12")));
    }
}
