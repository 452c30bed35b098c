package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rramlab.learning.area.AreaModel;
import org.rramlab.learning.area.AreaParameters;
import org.rramlab.learning.area.AreaReport;

class AreaModelTest {
    @Test
    void cellOnlyViewOnKnownNumbers() {
        AreaReport r = new AreaModel(AreaParameters.neurosim65nm()).report(100_000, 1_000);
        // 1000 x 8 bits x (7.69 x 23.23) F^2 against 100000 x 2 cells x 16 F^2
        double expected = 1_000 * 8 * 7.69 * 23.23 / (100_000 * 2 * 16.0);
        assertEquals(expected, r.cellOnlyCost(), 1e-12);
        assertEquals(0.01, r.sramFraction(), 1e-12);
    }

    @Test
    void macroViewOnKnownNumbers() {
        // a 4 x 4 subarray, 2 columns per ADC: easy to add up by hand
        AreaParameters p = new AreaParameters("test", 65, 100, 10, 2, 8, 0, 4, 4, 2, 50, 30, 5, 7, 3, 4);
        AreaModel m = new AreaModel(p);
        double rram = 16 * 10 + 2 * (50 + 30) + 4 * 5 + 4 * 7; // 368 F^2 for 8 weights
        double sram = 16 * 100 + 4 * 3 + 4 * 4;                // 1628 F^2 for 2 weights
        assertEquals(rram, m.rramSubarrayF2(), 1e-9);
        assertEquals(sram, m.sramSubarrayF2(), 1e-9);
        AreaReport r = m.report(800, 10);
        assertEquals(10 * (sram / 2) / (800 * (rram / 8)), r.macroCost(), 1e-12);
        assertEquals(r.sramFraction(), m.fractionForMacroCost(r.macroCost()), 1e-12);
        assertEquals(1 - 160 / rram, m.rramPeripheralShare(), 1e-12);
    }
}
