package org.rramlab.learning.mapping;

import java.util.List;
import java.util.Random;
import org.rramlab.device.DevicePreset;

/** Test fixture: one 64 x 8 layer of random levels on one array "a", all that gains and refresh need of a network. */
public final class OneLayerMapping {
    public static final int IN = 64;
    public static final int OUT = 8;

    private OneLayerMapping() {}

    public static WeightMapping of(DevicePreset preset) {
        byte[] levels = new byte[IN * OUT];
        Random r = new Random(5);
        for (int i = 0; i < levels.length; i++) {
            levels[i] = (byte) (r.nextInt(2 * preset.levels() - 1) - (preset.levels() - 1));
        }
        LayerMapping layer = new LayerMapping("fc", 0, IN, OUT, 1.0, levels,
                List.of(new TilePlacement("a", 0, 0, 0, IN, 0, OUT)));
        return new WeightMapping(preset.name(), preset.levels(), preset.gMinSiemens(), preset.gMaxSiemens(),
                MappingConfig.defaults(), List.of("a"), List.of(layer));
    }
}
