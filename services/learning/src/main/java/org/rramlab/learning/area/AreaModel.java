package org.rramlab.learning.area;

/**
 * Area of the SRAM correction branch against the RRAM macro it corrects, in two views:
 * <ul>
 *   <li><b>cell only</b>: SRAM bit cells (value and index bits) against the RRAM weights' 1T1R cells;</li>
 *   <li><b>macro</b>: each side with its circuits. RRAM: 128 x 128 subarrays with cells, one ADC and
 *       shift-adder per {@code columns-per-adc} columns, row and column circuits, per weight stored.
 *       SRAM: its subarray (cells, row and column circuits), pro rata, plus whole logic units (MAC,
 *       routing mux, adder into the columns), one per SRAM subarray's worth of corrections.</li>
 * </ul>
 * The scheme and every parameter's source are in {@code config/area/neurosim-65nm.conf}.
 */
public final class AreaModel {
    private final AreaParameters p;
    /** RRAM tiles of the mapping the corrections are spread over (0: unknown, routing charged per logic unit). */
    private final int tiles;

    public AreaModel(AreaParameters parameters) {
        this(parameters, 0);
    }

    /**
     * @param tiles the mapping's RRAM tiles: each tile that holds a correction gets its own routing mux (picking
     *              the correction's input among the tile's rows) and adder into the tile's columns; the
     *              corrections are taken to reach min(corrections, tiles) tiles, the worst case, which
     *              importance and measured placement both come close to
     */
    public AreaModel(AreaParameters parameters, int tiles) {
        this.p = parameters;
        this.tiles = tiles;
    }

    public AreaReport report(long rramWeights, long sramWeights) {
        if (rramWeights <= 0 || sramWeights < 0) {
            throw new IllegalArgumentException("need a positive number of RRAM weights and a non-negative number"
                    + " of SRAM weights, got " + rramWeights + " and " + sramWeights);
        }
        double cellOnly = sramWeights * sramBitsPerWeight() * p.value("sram-cell-f2")
                / (rramWeights * p.value("cells-per-rram-weight") * p.value("rram-cell-f2"));
        double macro = sramMacroF2(sramWeights) / (rramWeights * rramMacroPerWeightF2());
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
        double f2 = gainRegisters * (double) gainBits * p.value("sram-cell-f2") + multipliers * p.value("shift-add-f2");
        return f2 / (rramWeights * rramMacroPerWeightF2());
    }

    private double cells() {
        return p.value("subarray-rows") * p.value("subarray-cols");
    }

    /** One RRAM subarray with its circuits, in F^2. */
    public double rramSubarrayF2() {
        double adcs = Math.ceil(p.value("subarray-cols") / p.value("columns-per-adc"));
        return cells() * p.value("rram-cell-f2") + adcs * (p.value("adc-f2") + p.value("shift-add-f2"))
                + p.value("subarray-rows") * p.value("rram-row-f2") + p.value("subarray-cols") * p.value("rram-column-f2");
    }

    public double rramMacroPerWeightF2() {
        return rramSubarrayF2() / (cells() / p.value("cells-per-rram-weight"));
    }

    /** Share of the RRAM subarray taken by circuits other than cells. */
    public double rramPeripheralShare() {
        return 1 - cells() * p.value("rram-cell-f2") / rramSubarrayF2();
    }

    /** Value and index bits of one correction. */
    public int sramBitsPerWeight() {
        return p.intValue("sram-bits") + p.intValue("sram-index-bits");
    }

    /** Corrections one SRAM subarray holds, and one logic unit serves. */
    public long correctionsPerUnit() {
        return (long) Math.floor(cells() / sramBitsPerWeight());
    }

    /** SRAM subarray (cells and row/column circuits) per correction, in F^2. */
    public double sramArrayPerWeightF2() {
        double subarray = cells() * p.value("sram-cell-f2") + p.value("subarray-rows") * p.value("sram-row-f2")
                + p.value("subarray-cols") * p.value("sram-column-f2");
        return subarray / correctionsPerUnit();
    }

    /** One logic unit: MAC, routing mux and the adder into the columns, in F^2. */
    public double logicUnitF2() {
        return (p.value("mac-unit-ge") + p.value("routing-mux-ge") + p.value("column-adder-ge"))
                * p.value("gate-equivalent-f2");
    }

    /** Routing mux and column adder of one tile that holds corrections, in F^2. */
    public double tileRoutingF2() {
        return (p.value("routing-mux-ge") + p.value("column-adder-ge")) * p.value("gate-equivalent-f2");
    }

    /** Tiles charged for routing when {@code k} corrections are spread over the mapping. */
    public long routedTiles(long k) {
        return tiles > 0 ? Math.min(k, tiles) : 0;
    }

    /** The whole SRAM side for {@code k} corrections, in F^2. */
    public double sramMacroF2(long k) {
        if (k == 0) {
            return 0;
        }
        long units = (k + correctionsPerUnit() - 1) / correctionsPerUnit();
        if (tiles <= 0) {
            return k * sramArrayPerWeightF2() + units * logicUnitF2();
        }
        return k * sramArrayPerWeightF2() + units * p.value("mac-unit-ge") * p.value("gate-equivalent-f2")
                + routedTiles(k) * tileRoutingF2();
    }

    public int tiles() {
        return tiles;
    }

    /** The same model with one parameter changed (a sensitivity row). */
    public AreaModel with(String parameter, double value) {
        return new AreaModel(p.with(parameter, value, "sensitivity: " + p.parameters().get(parameter).source()), tiles);
    }

    /** The largest number of corrections whose macro cost stays within {@code cost} of the RRAM macro. */
    public long weightsForMacroCost(long rramWeights, double cost) {
        double budget = cost * rramWeights * rramMacroPerWeightF2();
        long lo = 0;
        long hi = rramWeights;
        while (lo < hi) {
            long mid = (lo + hi + 1) >>> 1;
            if (sramMacroF2(mid) <= budget) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** As {@link #weightsForMacroCost}, as a fraction of the RRAM weights. */
    public double fractionForMacroCost(long rramWeights, double cost) {
        return (double) weightsForMacroCost(rramWeights, cost) / rramWeights;
    }

    /** The same model with another number of index bits per correction (the sensitivity). */
    public AreaModel withIndexBits(int bits) {
        return new AreaModel(p.with("sram-index-bits", bits, "sensitivity: " + bits + " index bits per correction"), tiles);
    }

    public AreaParameters parameters() {
        return p;
    }
}
