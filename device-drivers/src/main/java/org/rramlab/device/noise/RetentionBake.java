package org.rramlab.device.noise;

/**
 * Accelerated retention on real devices: a bake at a higher temperature stands for a longer time
 * at the use temperature, by the Arrhenius law with a stated activation energy (as labs report
 * it: "1 h at 150 C stands for 239 h at 85 C with Ea = 1.1 eV"). A physical array is never "accelerated"
 * by its clock: its devices age in wall time.
 *
 * @param activationEnergyEv activation energy of the retention loss, in eV
 * @param useKelvin          the temperature the equivalent time is stated for
 */
public record RetentionBake(double activationEnergyEv, double useKelvin) {
    public RetentionBake {
        if (!(activationEnergyEv > 0 && activationEnergyEv < 10)) {
            throw new IllegalArgumentException("activation energy must be in 0..10 eV, got " + activationEnergyEv);
        }
        if (!(useKelvin >= 1 && useKelvin <= 2000)) {
            throw new IllegalArgumentException("use temperature must be in 1..2000 K, got " + useKelvin);
        }
    }

    /** How many times faster retention loss runs at {@code bakeKelvin} than at the use temperature. */
    public double acceleration(double bakeKelvin) {
        if (!(bakeKelvin >= 1 && bakeKelvin <= 2000)) {
            throw new IllegalArgumentException("bake temperature must be in 1..2000 K, got " + bakeKelvin);
        }
        return DeviceNoise.arrhenius(activationEnergyEv, useKelvin, bakeKelvin);
    }

    /** Seconds at the use temperature that {@code bakeSeconds} at {@code bakeKelvin} stand for. */
    public double equivalentSeconds(double bakeSeconds, double bakeKelvin) {
        return bakeSeconds * acceleration(bakeKelvin);
    }

    /** Bake seconds at {@code bakeKelvin} that stand for {@code equivalentSeconds} at the use temperature. */
    public double bakeSeconds(double equivalentSeconds, double bakeKelvin) {
        return equivalentSeconds / acceleration(bakeKelvin);
    }
}
