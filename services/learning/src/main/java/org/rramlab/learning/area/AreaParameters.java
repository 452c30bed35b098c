package org.rramlab.learning.area;

/**
 * Inputs of the area model, in units of F^2 (F = feature size). Where each default comes from is
 * in {@link #neurosim65nm()} and docs/learning.md.
 *
 * @param sramCellF2           one SRAM bit cell
 * @param rramCellF2           one 1T1R cell
 * @param cellsPerRramWeight   RRAM cells per weight (2: differential pair)
 * @param bitsPerSramWeight    SRAM bits per correction weight (the fixed-point word)
 * @param indexBitsPerSramWeight bits to store a correction's position, if the hardware stores it (0: not counted, as the paper)
 * @param subarrayRows         rows of an RRAM or SRAM subarray
 * @param subarrayCols         columns of a subarray
 * @param columnsPerReadCircuit RRAM columns sharing one ADC / multilevel sense amplifier (column mux)
 * @param adcF2                one ADC (multilevel sense amplifier) with its references
 * @param shiftAddF2           one shift-and-add accumulator behind an ADC
 * @param rramRowF2            per RRAM row: word-line decoder share and switch matrix
 * @param rramColumnF2         per RRAM column: column mux, bit/source-line switch matrix, write driver share
 * @param sramRowF2            per SRAM row: decoder share and word-line driver
 * @param sramColumnF2         per SRAM column: precharge, sense amplifier, write driver
 */
public record AreaParameters(String source, double featureSizeNm, double sramCellF2, double rramCellF2,
                             int cellsPerRramWeight, int bitsPerSramWeight, int indexBitsPerSramWeight,
                             int subarrayRows, int subarrayCols, int columnsPerReadCircuit, double adcF2,
                             double shiftAddF2, double rramRowF2, double rramColumnF2, double sramRowF2,
                             double sramColumnF2) {

    /**
     * Defaults for 65 nm. Cell sizes and subarray organization are DNN+NeuroSim V1.0's defaults
     * (Param.cpp of github.com/neurosim/DNN_NeuroSim_V1.0; Peng et al., IEDM 2019): SRAM cell
     * 7.69 F x 23.23 F, 1T1R cell 4 F x 4 F, 128 x 128 subarrays, 8 columns per read circuit with a
     * 16-level (4-bit) multilevel sense amplifier. The peripheral areas are this project's estimates in
     * the same style (transistor count x about 40 F^2 per transistor with wiring), not NeuroSim outputs;
     * put a NeuroSim run's breakdown here for a calibrated figure.
     */
    public static AreaParameters neurosim65nm() {
        return new AreaParameters(
                "cells and organization: DNN+NeuroSim V1.0 Param.cpp defaults; peripherals: rramlab estimates, 65 nm",
                65, 7.69 * 23.23, 4 * 4, 2, 8, 0, 128, 128, 8,
                10_500, 12_000, 900, 900, 600, 900);
    }

    public AreaParameters withBits(int bits) {
        return new AreaParameters(source, featureSizeNm, sramCellF2, rramCellF2, cellsPerRramWeight, bits,
                indexBitsPerSramWeight, subarrayRows, subarrayCols, columnsPerReadCircuit, adcF2, shiftAddF2,
                rramRowF2, rramColumnF2, sramRowF2, sramColumnF2);
    }
}
