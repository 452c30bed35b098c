package org.rramlab.learning.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How an OSA grid grows when its best candidate sits at an edge, and how the chosen value is flagged. */
@Timeout(10)
class SelectionGridTest {
    @Test
    void learningRatesStepAlongTheOneThreeTenLadder() {
        assertEquals(0.03, Selection.ladder(0.01, true), 1e-15);
        assertEquals(0.1, Selection.ladder(0.03, true), 1e-15);
        assertEquals(0.01, Selection.ladder(0.003, true), 1e-15);
        assertEquals(3e-4, Selection.ladder(0.001, false), 1e-18);
        assertEquals(0.001, Selection.ladder(0.003, false), 1e-15);
    }

    @Test
    void anEdgeGrowsOutwardAndAnInteriorChoiceStops() {
        // the 2026-12-07 quick run: rramlab chose 2 epochs (fewest) at 0.01 (highest)
        TreeSet<Integer> epochs = new TreeSet<>(List.of(2, 4));
        TreeSet<Double> rates = new TreeSet<>(List.of(0.001, 0.003, 0.01));
        assertTrue(Selection.grow(epochs, rates, 2, 0.01));
        assertEquals(List.of(1, 2, 4), List.copyOf(epochs));
        assertEquals(List.of(0.001, 0.003, 0.01, 0.03), List.copyOf(rates));
        // the paper's choice of 4 epochs (most) grows upward
        TreeSet<Integer> paper = new TreeSet<>(List.of(2, 4));
        assertTrue(Selection.grow(paper, new TreeSet<>(List.of(0.001, 0.003, 0.01)), 4, 0.003));
        assertEquals(List.of(2, 4, 8), List.copyOf(paper));
        // interior on both axes: nothing to grow
        assertFalse(Selection.grow(epochs, rates, 2, 0.003));
        // 1 epoch is the floor; a single candidate was fixed by the caller
        TreeSet<Integer> floor = new TreeSet<>(List.of(1, 2));
        assertFalse(Selection.grow(floor, new TreeSet<>(List.of(0.01)), 1, 0.01));
        assertEquals(List.of(1, 2), List.copyOf(floor));
    }

    @Test
    void theChosenValueIsFlaggedAgainstTheGrownGrid() {
        assertEquals("edge", Selection.interior(List.of(2.0, 4.0), 2.0));
        assertEquals("interior", Selection.interior(List.of(1.0, 2.0, 4.0), 2.0));
        assertEquals("single", Selection.interior(List.of(4.0), 4.0));
    }
}
