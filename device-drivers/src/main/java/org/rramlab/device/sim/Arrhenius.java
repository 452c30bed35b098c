package org.rramlab.device.sim;

/** Arrhenius acceleration: how much faster drift time runs at a temperature than at the reference. */
final class Arrhenius {
    /** Boltzmann constant in eV/K. */
    static final double BOLTZMANN_EV = 8.617333262e-5;

    private Arrhenius() {}

    static double factor(double activationEnergyEv, double referenceKelvin, double kelvin) {
        return StrictMath.exp(activationEnergyEv / BOLTZMANN_EV * (1.0 / referenceKelvin - 1.0 / kelvin));
    }
}
