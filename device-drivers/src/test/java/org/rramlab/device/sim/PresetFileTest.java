package org.rramlab.device.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.DevicePreset;

/** A preset written from fitted statistics loads back to the same values. */
class PresetFileTest {
    @Test
    void writtenPresetLoadsBackExactly(@TempDir Path dir) throws Exception {
        DevicePreset fitted = TestPresets.dac().withFit("fitted-1", "fitted from array \"a\"", 0.4871234567, 0.0181, 0.0899);
        Path file = fitted.writeTo(dir.resolve("sub/fitted-1.conf"));
        DevicePreset loaded = DevicePreset.load(file.toString());
        assertEquals(fitted.withFit("fitted-1", "fitted from array 'a'", 0.4871234567, 0.0181, 0.0899), loaded);
    }
}
