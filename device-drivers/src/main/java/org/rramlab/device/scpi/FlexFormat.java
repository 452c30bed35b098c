package org.rramlab.device.scpi;

/**
 * The data output formats ({@code FMT}) this driver reads: ASCII, one reply line per measurement
 * (CR LF terminated), items separated by commas. The comma-terminated formats (5, 15, 25) and the
 * binary ones (3, 4, 13, 14) cannot be delimited by lines and are refused.
 */
public enum FlexFormat {
    /** FMT 1: 12 characters of data with a three-letter header, e.g. NAI+012.345E-06. */
    ASCII12_HEADER(1, true, 3),
    /** FMT 2: 12 characters of data, no header (no status: an overflow still shows as 199.999E+99). */
    ASCII12(2, false, 3),
    /** FMT 11: 13 characters of data with header, e.g. NAI+012.3456E-06. */
    ASCII13_HEADER(11, true, 4),
    /** FMT 12: 13 characters of data, no header. */
    ASCII13(12, false, 4);

    private final int code;
    private final boolean header;
    private final int decimals;

    FlexFormat(int code, boolean header, int decimals) {
        this.code = code;
        this.header = header;
        this.decimals = decimals;
    }

    public int code() {
        return code;
    }

    public boolean header() {
        return header;
    }

    /** Digits after the point of the mantissa ddd.ddd (12) or ddd.dddd (13). */
    public int decimals() {
        return decimals;
    }

    public static FlexFormat of(int code) {
        for (FlexFormat f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        throw new IllegalArgumentException("data output format FMT " + code + " is not read by this driver; use FMT 1, 2, 11 or 12 "
                + "(ASCII, CR LF terminated): comma-terminated (5, 15, 25) and binary (3, 4, 13, 14) formats have no line end");
    }
}
