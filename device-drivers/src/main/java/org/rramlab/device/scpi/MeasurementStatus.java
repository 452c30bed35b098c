package org.rramlab.device.scpi;

/**
 * Status letter of a B1500 data item (first character of the header, e.g. {@code NAI+012.345E-06}),
 * the full set of the programming guide's "Data Output Format" section for ASCII formats with header.
 */
public enum MeasurementStatus {
    /** N: no error. */
    OK('N', true),
    /** T: another channel reached its compliance. */
    OTHER_CHANNEL_COMPLIANCE('T', false),
    /** C: this channel reached its compliance; the value is the compliance. */
    COMPLIANCE('C', false),
    /** V: over range, or a sweep stopped by automatic abort or power compliance; the value is 199.999E+99. */
    OVERFLOW('V', false),
    /** X: one or more channels oscillate, or the output did not settle before the measurement. */
    OSCILLATION('X', false),
    /** F: the SMU is in the force saturation condition (it cannot force what it was told). */
    FORCE_SATURATION('F', false),
    /** G: search target not found; or a quasi-pulsed detection took too long. */
    SEARCH_NOT_FOUND('G', false),
    /** S: search stopped; or a quasi-pulsed output slewed too slowly. */
    SEARCH_STOPPED('S', false),
    /** U: the CMU is in the null-loop unbalance condition. */
    CMU_NULL_LOOP_UNBALANCE('U', false),
    /** D: the CMU's IV amplifier is saturated. */
    CMU_IV_AMPLIFIER_SATURATION('D', false),
    /** W: source output data of the first or an intermediate sweep step. */
    SWEEP_STEP('W', true),
    /** E: source output data of the last sweep step. */
    LAST_SWEEP_STEP('E', true);

    private final char letter;
    private final boolean valid;

    MeasurementStatus(char letter, boolean valid) {
        this.letter = letter;
        this.valid = valid;
    }

    public char letter() {
        return letter;
    }

    /** True when the value can be used as measured. */
    public boolean valid() {
        return valid;
    }

    static MeasurementStatus of(char c) {
        for (MeasurementStatus s : values()) {
            if (s.letter == c) {
                return s;
            }
        }
        return null;
    }
}
