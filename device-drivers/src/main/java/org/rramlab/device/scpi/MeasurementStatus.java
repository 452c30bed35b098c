package org.rramlab.device.scpi;

/** Status letter of a B1500 FLEX data item (first character of e.g. {@code NAI+012.345E-06}). */
public enum MeasurementStatus {
    /** N: no error. */
    OK('N'),
    /** T: another channel reached its compliance. */
    OTHER_CHANNEL_COMPLIANCE('T'),
    /** C: this channel reached its compliance; the value is the compliance. */
    COMPLIANCE('C'),
    /** V: over range; the value is 199.999E+99. */
    OVERFLOW('V'),
    /** X: oscillation. */
    OSCILLATION('X'),
    /** G: search target not found. */
    SEARCH_NOT_FOUND('G'),
    /** S: search stopped. */
    SEARCH_STOPPED('S');

    private final char letter;

    MeasurementStatus(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
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
