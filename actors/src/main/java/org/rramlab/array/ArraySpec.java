package org.rramlab.array;

import org.rramlab.serialization.CborSerializable;

/**
 * What an array is: simulated (preset, shape, fabrication seed) or physical (one VISA address per
 * instrument of its probe station, die, shape, and the preset that gives its level conductances).
 *
 * @param kind     "simulated" or "physical"
 * @param address  no longer accepted (one address served every instrument); kept so that old events still read
 * @param die      physical only: the die index of the wafer map holding the array (default 0)
 * @param analyzer physical only: the B1500's VISA address, e.g. {@code TCPIP0::10.0.0.5::5025::SOCKET}
 * @param matrix   physical only: the switch matrix's address (or give {@code board})
 * @param board    physical only: the array board's address, for arrays larger than a matrix reaches
 * @param prober   physical only: the Velox message server, e.g. {@code TCPIP0::10.0.0.7::1412::SOCKET}
 */
public record ArraySpec(String kind, String preset, int rows, int cols, Long seed, String address, Integer die,
                        String analyzer, String matrix, String board, String prober)
        implements CborSerializable {
    public static final String SIMULATED = "simulated";
    public static final String PHYSICAL = "physical";
    /** Largest array accepted: 1024 x 1024 cells, well above the 256 x 256 arrays of the lab. */
    public static final int MAX_CELLS = 1 << 20;

    /** The spec of a simulated array, or of a physical one given the old way (refused by {@link #problem()}). */
    public ArraySpec(String kind, String preset, int rows, int cols, Long seed, String address, Integer die) {
        this(kind, preset, rows, cols, seed, address, die, null, null, null, null);
    }

    public static ArraySpec simulated(String preset, int rows, int cols, long seed) {
        return new ArraySpec(SIMULATED, preset, rows, cols, seed, null, null);
    }

    public static ArraySpec physical(String analyzer, String matrix, String prober, int die, int rows, int cols, String preset) {
        return new ArraySpec(PHYSICAL, preset, rows, cols, null, null, die, analyzer, matrix, null, prober);
    }

    /** The instruments' addresses, parsed; fails with a message naming the instrument whose address is bad. */
    public org.rramlab.device.scpi.StationAddresses addresses() {
        return org.rramlab.device.scpi.StationAddresses.parse(analyzer, matrix, board, prober);
    }

    /** Where a physical array is, for people: its instruments' addresses. */
    public String instruments() {
        return "analyzer " + analyzer + ", " + (board != null ? "board " + board : "matrix " + matrix) + ", prober " + prober;
    }

    public boolean simulatedKind() {
        return SIMULATED.equals(kind);
    }

    public String presetName() {
        return preset == null || preset.isBlank() ? org.rramlab.device.DevicePreset.NODE_DEFAULT : preset;
    }

    public int dieOrZero() {
        return die == null ? 0 : die;
    }

    /** What is wrong with this spec, or null when nothing is. */
    public String problem() {
        if (!SIMULATED.equals(kind) && !PHYSICAL.equals(kind)) {
            return "kind must be \"simulated\" or \"physical\", got " + (kind == null ? "nothing" : "\"" + kind + "\"");
        }
        if (rows <= 0 || cols <= 0 || (long) rows * cols > MAX_CELLS) {
            return "rows and cols must be positive with at most " + MAX_CELLS + " cells, got " + rows + "x" + cols;
        }
        if (SIMULATED.equals(kind)) {
            if (seed == null) {
                return "a simulated array needs a seed (its fabrication: faults and draws follow from it)";
            }
            if (address != null || die != null || analyzer != null || matrix != null || board != null || prober != null) {
                return "a simulated array takes no instrument addresses or die; use kind \"physical\" for an array behind instruments";
            }
        } else {
            if (address != null) {
                return "a physical array takes one address per instrument, not one \"address\": give \"analyzer\", "
                        + "\"matrix\" (or \"board\") and \"prober\", e.g. \"analyzer\": \"TCPIP0::10.0.0.5::5025::SOCKET\"";
            }
            try {
                addresses();
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
            if (die != null && die < 0) {
                return "die must be >= 0, got " + die;
            }
            if (seed != null) {
                return "a physical array takes no seed: its devices are what they are";
            }
        }
        return null;
    }
}
