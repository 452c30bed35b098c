package org.rramlab.learning.osa;

/**
 * One OSA round: the SRAM budget as a fraction of the RRAM weights, how to place it, the SRAM word
 * (signed fixed point, {@code bits} bits, a power-free scale per layer), and how to train the branch
 * on calibration data (distillation from the teacher when its logits are given), and where the branch
 * starts: at the measured error ({@code startFromError}, rramlab's) or at zero (the paper's: trained from
 * its initial value). With {@code trainOffsets} the round also trains a digital offset per output column,
 * added to the layer's bias in the periphery (the bias registers are there already, so it costs no area).
 * {@code weightScale}: the SRAM word's scale per layer is the layer's max|w| / (2^(bits-1) - 1), what a method
 * knows without measuring (the paper's); otherwise (rramlab's) it spans the largest measured error at the
 * chosen positions.
 */
public record OsaConfig(double sramFraction, Placement placement, int bits, int epochs, int batchSize,
                        double learningRate, long seed, double alpha, double temperature, boolean startFromError,
                        boolean trainOffsets, boolean weightScale) {
    /** A round whose SRAM scale spans the measured error at its positions. */
    public OsaConfig(double sramFraction, Placement placement, int bits, int epochs, int batchSize,
                     double learningRate, long seed, double alpha, double temperature, boolean startFromError,
                     boolean trainOffsets) {
        this(sramFraction, placement, bits, epochs, batchSize, learningRate, seed, alpha, temperature, startFromError,
                trainOffsets, false);
    }

    /** A round whose branch starts at the measured error (intended - measured) at its positions. */
    public OsaConfig(double sramFraction, Placement placement, int bits, int epochs, int batchSize,
                     double learningRate, long seed, double alpha, double temperature) {
        this(sramFraction, placement, bits, epochs, batchSize, learningRate, seed, alpha, temperature, true);
    }

    /** A round that trains no offsets. */
    public OsaConfig(double sramFraction, Placement placement, int bits, int epochs, int batchSize,
                     double learningRate, long seed, double alpha, double temperature, boolean startFromError) {
        this(sramFraction, placement, bits, epochs, batchSize, learningRate, seed, alpha, temperature, startFromError,
                false);
    }

    public OsaConfig {
        if (sramFraction < 0 || sramFraction > 1) {
            throw new IllegalArgumentException("the SRAM fraction must lie in [0, 1], got " + sramFraction);
        }
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("SRAM weights need 2 to 16 bits, got " + bits);
        }
    }

    public static OsaConfig defaults(double sramFraction, Placement placement) {
        return new OsaConfig(sramFraction, placement, 8, 4, 64, 1e-3, 7, 0.5, 2.0);
    }

    public OsaConfig withFraction(double fraction) {
        return new OsaConfig(fraction, placement, bits, epochs, batchSize, learningRate, seed, alpha, temperature,
                startFromError, trainOffsets, weightScale);
    }

    public OsaConfig withPlacement(Placement p) {
        return new OsaConfig(sramFraction, p, bits, epochs, batchSize, learningRate, seed, alpha, temperature,
                startFromError, trainOffsets, weightScale);
    }

    public OsaConfig withOffsets(boolean train) {
        return new OsaConfig(sramFraction, placement, bits, epochs, batchSize, learningRate, seed, alpha, temperature,
                startFromError, train, weightScale);
    }

    public OsaConfig withWeightScale(boolean fromWeights) {
        return new OsaConfig(sramFraction, placement, bits, epochs, batchSize, learningRate, seed, alpha, temperature,
                startFromError, trainOffsets, fromWeights);
    }
}
