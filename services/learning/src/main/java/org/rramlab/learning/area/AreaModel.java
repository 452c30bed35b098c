package org.rramlab.learning.area;

/**
 * NeuroSim-style area of the SRAM branch against the RRAM arrays it corrects. Cell view: bit cells
 * against 1T1R cells. Macro view: each side's subarray with its peripherals, per weight stored; the
 * RRAM subarray carries ADCs, shift-adders, row and column circuits, the SRAM subarray its decoders,
 * drivers and sense amplifiers. Areas are per weight, so partial subarrays count pro rata.
 */
public final class AreaModel {
    private final AreaParameters p;

    public AreaModel(AreaParameters parameters) {
        this.p = parameters;
    }

    public AreaReport report(long rramWeights, long sramWeights) {
        if (rramWeights <= 0 || sramWeights < 0) {
            throw new IllegalArgumentException("need a positive number of RRAM weights and a non-negative number"
                    + " of SRAM weights, got " + rramWeights + " and " + sramWeights);
        }
        double cellOnly = sramWeights * sramBits() * p.sramCellF2()
                / (rramWeights * (double) p.cellsPerRramWeight() * p.rramCellF2());
        double macro = sramWeights * sramMacroPerWeightF2() / (rramWeights * rramMacroPerWeightF2());
        return new AreaReport(rramWeights, sramWeights, (double) sramWeights / rramWeights, cellOnly, macro);
    }

    /**
     * Digital drift compensation against the RRAM macro: {@code gainRegisters} gains of
     * {@code gainBits} bits held in SRAM bit cells, and {@code multipliers} bit-serial multipliers.
     * A gain scales a neuron's output once its partial sums are added, so one multiplier per array
     * serves all its outputs in turn; a bit-serial multiply by a stored gain is one more
     * shift-and-add unit, and is counted as one.
     */
    public double compensationCost(long rramWeights, long gainRegisters, int gainBits, int multipliers) {
        if (rramWeights <= 0 || gainRegisters <= 0) {
            return 0;
        }
        double f2 = gainRegisters * (double) gainBits * p.sramCellF2() + multipliers * p.shiftAddF2();
        return f2 / (rramWeights * rramMacroPerWeightF2());
    }

    /** One RRAM subarray with its peripherals, in F^2. */
    public double rramSubarrayF2() {
        int cells = p.subarrayRows() * p.subarrayCols();
        int readCircuits = (int) Math.ceil((double) p.subarrayCols() / p.columnsPerReadCircuit());
        return cells * p.rramCellF2() + readCircuits * (p.adcF2() + p.shiftAddF2())
                + p.subarrayRows() * p.rramRowF2() + p.subarrayCols() * p.rramColumnF2();
    }

    /** One SRAM subarray with its peripherals, in F^2. */
    public double sramSubarrayF2() {
        int cells = p.subarrayRows() * p.subarrayCols();
        return cells * p.sramCellF2() + p.subarrayRows() * p.sramRowF2() + p.subarrayCols() * p.sramColumnF2();
    }

    public double rramMacroPerWeightF2() {
        return rramSubarrayF2() / ((double) p.subarrayRows() * p.subarrayCols() / p.cellsPerRramWeight());
    }

    public double sramMacroPerWeightF2() {
        return sramSubarrayF2() / ((double) p.subarrayRows() * p.subarrayCols() / sramBits());
    }

    /** Share of the RRAM subarray taken by peripherals. */
    public double rramPeripheralShare() {
        return 1 - p.subarrayRows() * p.subarrayCols() * p.rramCellF2() / rramSubarrayF2();
    }

    /** The largest SRAM fraction whose macro cost stays within {@code cost}. */
    public double fractionForMacroCost(double cost) {
        return cost * rramMacroPerWeightF2() / sramMacroPerWeightF2();
    }

    private int sramBits() {
        return p.bitsPerSramWeight() + p.indexBitsPerSramWeight();
    }

    public AreaParameters parameters() {
        return p;
    }
}
