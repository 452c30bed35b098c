package org.rramlab.learning.device;

import org.rramlab.device.DevicePreset;
import org.rramlab.device.noise.DeviceNoise;

/**
 * The device law the weight mapping and device-aware training use: the simulator's own
 * {@link DeviceNoise}, with conductances normalized to Gmax (so Gmax = 1, Gmin = 1 / on-off ratio).
 */
public record DeviceModel(DeviceNoise noise) {
    public static DeviceModel of(DevicePreset p) {
        return new DeviceModel(DeviceNoise.of(p).normalized());
    }

    /** The same model without variation and faults: quantization only. */
    public DeviceModel ideal() {
        return new DeviceModel(noise.ideal());
    }

    public int levels() {
        return noise.levels();
    }

    public double gMinRelative() {
        return noise.gMin();
    }

    public double variationSigma() {
        return noise.variationSigma();
    }

    public double stuckAtHighFraction() {
        return noise.stuckAtHighFraction();
    }

    public double stuckAtLowFraction() {
        return noise.stuckAtLowFraction();
    }
}
