package org.rramlab.array;

import org.rramlab.serialization.CborSerializable;

/**
 * What an array is: simulated (preset, shape, fabrication seed) or physical (instrument address,
 * die, shape, and the preset that gives its level conductances).
 *
 * @param kind    "simulated" or "physical"
 * @param address physical only: {@code host:port} or {@code scpi://host:port} of the instruments
 * @param die     physical only: the die of the wafer holding the array (default 0)
 */
public record ArraySpec(String kind, String preset, int rows, int cols, Long seed, String address, Integer die)
        implements CborSerializable {
    public static final String SIMULATED = "simulated";
    public static final String PHYSICAL = "physical";
    /** Largest array accepted: 1024 x 1024 cells, well above the 256 x 256 arrays of the lab. */
    public static final int MAX_CELLS = 1 << 20;

    public static ArraySpec simulated(String preset, int rows, int cols, long seed) {
        return new ArraySpec(SIMULATED, preset, rows, cols, seed, null, null);
    }

    public static ArraySpec physical(String address, int die, int rows, int cols, String preset) {
        return new ArraySpec(PHYSICAL, preset, rows, cols, null, address, die);
    }

    public boolean simulatedKind() {
        return SIMULATED.equals(kind);
    }

    public String presetName() {
        return preset == null || preset.isBlank() ? org.rramlab.device.DevicePreset.DEFAULT : preset;
    }

    public int dieOrZero() {
        return die == null ? 0 : die;
    }

    /** The address as the drivers want it: scpi://host:port. */
    public String scpiUri() {
        return address.startsWith("scpi://") ? address : "scpi://" + address;
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
            if (address != null || die != null) {
                return "a simulated array takes no address or die; use kind \"physical\" for an array behind instruments";
            }
        } else {
            if (address == null || address.isBlank()) {
                return "a physical array needs the address of its instruments, e.g. \"127.0.0.1:5025\"";
            }
            String hostPort = address.startsWith("scpi://") ? address.substring(7) : address;
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostPort.length() - 1 || !hostPort.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                return "address \"" + address + "\" must look like host:port, e.g. 127.0.0.1:5025";
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
