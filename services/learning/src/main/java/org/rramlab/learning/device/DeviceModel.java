package org.rramlab.learning.device;

import org.rramlab.device.DevicePreset;

/**
 * The parts of a {@link DevicePreset} that the weight mapping and device-aware training use, with
 * conductances normalized to Gmax (so Gmax = 1, Gmin = 1 / on-off ratio).
 */
public record DeviceModel(int levels, double gMinRelative, double variationSigma, double stuckAtHighFraction,
                          double stuckAtLowFraction) {
    public static DeviceModel of(DevicePreset p) {
        return new DeviceModel(p.levels(), 1.0 / p.onOffRatio(), p.variationSigma(), p.stuckAtHighFraction(),
                p.stuckAtLowFraction());
    }

    /** The same model without variation and faults: quantization only. */
    public DeviceModel ideal() {
        return new DeviceModel(levels, gMinRelative, 0, 0, 0);
    }
}
