package org.rramlab.streaming;

/**
 * How a read frame's conductances travel (docs/record-format.md): {@link #FLOAT32} exactly as
 * read, 4 bytes a cell; {@link #LOG16} as 16-bit codes of ln G (2 bytes a cell, within
 * {@link LogCodes#MAX_ERROR_NEPERS} of ln G), falling back to float32 for a frame it cannot code.
 */
public enum ReadEncoding {
    FLOAT32,
    LOG16;

    /** From configuration ("float32" or "log16"); says what is allowed when it is neither. */
    public static ReadEncoding parse(String name) {
        for (ReadEncoding e : values()) {
            if (e.name().equalsIgnoreCase(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("read encoding '" + name + "' is not known; use float32 or log16");
    }
}
