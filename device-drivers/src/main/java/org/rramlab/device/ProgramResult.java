package org.rramlab.device;

/** What programming a block cost: pulses applied, seconds on the array's clock, cells outside tolerance. */
public record ProgramResult(Block block, long pulses, double seconds, int cellsOutOfTolerance) {}
