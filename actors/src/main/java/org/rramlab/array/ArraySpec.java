package org.rramlab.array;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.scpi.StationAddresses;
import org.rramlab.serialization.CborSerializable;

/**
 * What an array is: {@link Simulated} (preset, shape, fabrication seed) or {@link Physical} (one
 * VISA address per instrument of its probe station, die, shape, and the preset that gives its
 * level conductances).
 *
 * <p>Journaled inside {@link ArrayEvent.Registered} and sent between nodes: written with its kind
 * in the {@code kind} property ("simulated", "physical"), as the single record it replaced wrote
 * it, so journals written before it was split still read (their other kind's fields, always null
 * there, are ignored).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ArraySpec.Simulated.class, name = ArraySpec.SIMULATED),
        @JsonSubTypes.Type(value = ArraySpec.Physical.class, name = ArraySpec.PHYSICAL)})
public sealed interface ArraySpec extends CborSerializable {
    String SIMULATED = "simulated";
    String PHYSICAL = "physical";
    /** Largest array accepted: 1024 x 1024 cells, well above the 256 x 256 arrays of the lab. */
    int MAX_CELLS = 1 << 20;

    /** The preset's name or file, or null for the default. */
    String preset();

    int rows();

    int cols();

    /** "simulated" or "physical", as the API and the journal write it. */
    String kind();

    /** What is wrong with this spec, or null when nothing is. */
    String problem();

    /** The array for people, e.g. in a refusal of a second, different registration. */
    String describe();

    default String presetName() {
        return preset() == null || preset().isBlank() ? DevicePreset.NODE_DEFAULT : preset();
    }

    /**
     * A simulated array: its cells follow from the preset and the fabrication seed.
     *
     * @param seed its fabrication: faults and draws follow from it
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Simulated(String preset, int rows, int cols, long seed) implements ArraySpec {
        @Override
        public String kind() {
            return SIMULATED;
        }

        @Override
        public String problem() {
            return shapeProblem(rows, cols);
        }

        @Override
        public String describe() {
            return "simulated " + rows + "x" + cols + ", preset " + presetName() + ", seed " + seed;
        }
    }

    /**
     * An array behind the instruments of a probe station. The addresses are required, but are
     * checked by {@link #problem()} (at the API's edge and by the actor) rather than by the
     * constructor: a physical array journaled with the single "address" of old has none, and must
     * still read (its rebuild then fails with a message, as before).
     *
     * @param die      the die index of the wafer map holding the array (null: 0)
     * @param analyzer the B1500's VISA address, e.g. {@code TCPIP0::10.0.0.5::5025::SOCKET}
     * @param matrix   the switch matrix's address (or give {@code board})
     * @param board    the array board's address, for arrays larger than a matrix reaches
     * @param prober   the Velox message server, e.g. {@code TCPIP0::10.0.0.7::1412::SOCKET}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Physical(String preset, int rows, int cols, Integer die, String analyzer, String matrix, String board,
                    String prober) implements ArraySpec {
        @Override
        public String kind() {
            return PHYSICAL;
        }

        /** The instruments' addresses, parsed; fails with a message naming the instrument whose address is bad. */
        public StationAddresses addresses() {
            return StationAddresses.parse(analyzer, matrix, board, prober);
        }

        /** Where the array is, for people: its instruments' addresses. */
        public String instruments() {
            return "analyzer " + analyzer + ", " + (board != null ? "board " + board : "matrix " + matrix) + ", prober " + prober;
        }

        public int dieOrZero() {
            return die == null ? 0 : die;
        }

        @Override
        public String problem() {
            String shape = shapeProblem(rows, cols);
            if (shape != null) {
                return shape;
            }
            try {
                addresses();
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
            return die != null && die < 0 ? "die must be >= 0, got " + die : null;
        }

        @Override
        public String describe() {
            return "physical " + rows + "x" + cols + " at " + instruments() + " die " + dieOrZero();
        }
    }

    static Simulated simulated(String preset, int rows, int cols, long seed) {
        return new Simulated(preset, rows, cols, seed);
    }

    static Physical physical(String analyzer, String matrix, String prober, int die, int rows, int cols, String preset) {
        return new Physical(preset, rows, cols, die, analyzer, matrix, null, prober);
    }

    /**
     * The spec a registration's fields (the API's flat JSON) describe, for the API's edge.
     *
     * @param address no longer accepted (one address served every instrument): refused with what to give instead
     * @throws IllegalArgumentException saying what is wrong: an unknown kind, a field of the other kind, a
     *                                  missing seed or address, a bad shape
     */
    static ArraySpec of(String kind, String preset, int rows, int cols, Long seed, String address, Integer die,
                        String analyzer, String matrix, String board, String prober) {
        if (!SIMULATED.equals(kind) && !PHYSICAL.equals(kind)) {
            throw new IllegalArgumentException("kind must be \"simulated\" or \"physical\", got "
                    + (kind == null ? "nothing" : "\"" + kind + "\""));
        }
        String shape = shapeProblem(rows, cols);
        if (shape != null) {
            throw new IllegalArgumentException(shape);
        }
        if (SIMULATED.equals(kind)) {
            if (seed == null) {
                throw new IllegalArgumentException(
                        "a simulated array needs a seed (its fabrication: faults and draws follow from it)");
            }
            if (address != null || die != null || analyzer != null || matrix != null || board != null || prober != null) {
                throw new IllegalArgumentException("a simulated array takes no instrument addresses or die; "
                        + "use kind \"physical\" for an array behind instruments");
            }
            return new Simulated(preset, rows, cols, seed);
        }
        if (address != null) {
            throw new IllegalArgumentException("a physical array takes one address per instrument, not one "
                    + "\"address\": give \"analyzer\", \"matrix\" (or \"board\") and \"prober\", "
                    + "e.g. \"analyzer\": \"TCPIP0::10.0.0.5::5025::SOCKET\"");
        }
        Physical spec = new Physical(preset, rows, cols, die, analyzer, matrix, board, prober);
        String problem = spec.problem();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (seed != null) {
            throw new IllegalArgumentException("a physical array takes no seed: its devices are what they are");
        }
        return spec;
    }

    private static String shapeProblem(int rows, int cols) {
        if (rows <= 0 || cols <= 0 || (long) rows * cols > MAX_CELLS) {
            return "rows and cols must be positive with at most " + MAX_CELLS + " cells, got " + rows + "x" + cols;
        }
        return null;
    }
}
