package org.rramlab.learning.area;

/**
 * SRAM area against RRAM area, two views always reported together.
 *
 * @param sramFraction   SRAM weights / RRAM weights
 * @param cellOnlyCost   SRAM bit-cell area / RRAM cell area
 * @param macroCost      SRAM macro area / RRAM macro area (arrays with their peripherals)
 */
public record AreaReport(long rramWeights, long sramWeights, double sramFraction, double cellOnlyCost,
                         double macroCost) {}
