package org.rramlab.device.sim;

import org.rramlab.device.DevicePreset;

/** The shipped preset and variants of it for tests. */
public final class TestPresets {
    private TestPresets() {}

    public static DevicePreset dac() {
        return DevicePreset.load(DevicePreset.DEFAULT);
    }

    public static DevicePreset withReadNoise(DevicePreset p, double readNoise) {
        return new DevicePreset(p.name(), p.description(), p.levels(), p.gMaxSiemens(), p.onOffRatio(),
                p.variationSigma(), p.stuckAtHighFraction(), p.stuckAtLowFraction(), readNoise, p.drift(),
                p.writeVerify());
    }

    /** Levels i mod L over a rows x cols block, row-major. */
    public static int[] levelPattern(int cells, int levels) {
        int[] out = new int[cells];
        for (int i = 0; i < cells; i++) out[i] = i % levels;
        return out;
    }
}
