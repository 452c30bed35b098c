package org.rramlab.device.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Arrhenius conversion of a bake: 1 at the use temperature, symmetric, and the textbook figure. */
class RetentionBakeTest {
    @Test
    void arrheniusConversion() {
        RetentionBake b = new RetentionBake(1.1, 358.15);
        assertEquals(1.0, b.acceleration(358.15), 1e-12);
        // 1.1 eV, 85 C use, 150 C bake: exp(1.1 / k (1/358.15 - 1/423.15)) = 238.6
        assertEquals(238.6, b.acceleration(423.15), 0.1);
        assertEquals(3600.0, b.bakeSeconds(b.equivalentSeconds(3600, 423.15), 423.15), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new RetentionBake(0, 300));
        assertThrows(IllegalArgumentException.class, () -> b.acceleration(0));
    }
}
