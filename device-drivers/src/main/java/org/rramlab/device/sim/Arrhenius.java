package org.rramlab.device.sim;

import org.rramlab.device.noise.DeviceNoise;

/** Arrhenius acceleration of drift time at a temperature against the reference: {@link DeviceNoise#arrhenius}. */
final class Arrhenius {
    private Arrhenius() {}

    static double factor(double activationEnergyEv, double referenceKelvin, double kelvin) {
        return DeviceNoise.arrhenius(activationEnergyEv, referenceKelvin, kelvin);
    }
}
