package org.rramlab.streaming;

import java.nio.ByteBuffer;

/**
 * The compact form of a read (docs/record-format.md, encoding {@code log16}): each conductance as
 * a u16 code c with ln G = lnG0 + c * {@link #STEP}, lnG0 a multiple of the step, so every frame
 * shares one grid. Rounding to the grid errs by at most half a step, {@value #MAX_ERROR_NEPERS}
 * in ln G (0.0125 % of G), against a read noise of 1 % and instruments resolving about 0.1 %.
 * The step is 1/20 of the statistics' histogram bin (0.005 nepers), so each bin holds exactly 20 codes.
 *
 * <p>A frame is coded only when every value is a finite positive conductance and the frame spans
 * at most 65535 steps (16.4 nepers, a ratio of 1.3e7 between its largest and smallest cell);
 * otherwise it travels as float32, exactly as read.
 */
public final class LogCodes {
    /** Nepers of ln G per code. */
    public static final double STEP = 2.5e-4;
    public static final double MAX_ERROR_NEPERS = STEP / 2;
    private static final double PER_STEP = 1 / STEP;
    private static final int MAX_CODE = 0xffff;
    private static final double LN2 = Math.log(2);
    /** ln(1 + i / 4096) for the top 12 mantissa bits; linear in between errs below 1e-8 nepers. */
    private static final int TABLE_BITS = 12;
    private static final double[] LN_MANTISSA = new double[(1 << TABLE_BITS) + 1];
    /** exp(c * STEP) for every code: decoding is one multiply. */
    private static final double[] EXP_CODE = new double[MAX_CODE + 1];

    static {
        for (int i = 0; i < LN_MANTISSA.length; i++) {
            LN_MANTISSA[i] = Math.log1p((double) i / (1 << TABLE_BITS));
        }
        for (int c = 0; c <= MAX_CODE; c++) {
            EXP_CODE[c] = Math.exp(c * STEP);
        }
    }

    private LogCodes() {}

    /**
     * ln G0 of the frame's grid, or NaN when the frame cannot be coded (a value not finite and
     * positive, or a span wider than the codes reach).
     */
    static double origin(float[] g) {
        if (g.length == 0) {
            return 0;
        }
        float min = Float.POSITIVE_INFINITY;
        float max = 0;
        for (float v : g) {
            // NaN fails every comparison, so test what is allowed rather than what is not
            if (!(v > 0 && v < Float.POSITIVE_INFINITY)) {
                return Double.NaN;
            }
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
        double origin = Math.floor(Math.log(min) * PER_STEP) * STEP;
        // one step of margin against the fast logarithm's error at the ends
        return (Math.log(max) - origin) * PER_STEP <= MAX_CODE - 1 ? origin : Double.NaN;
    }

    /** Writes the codes of {@code g} on the grid from {@code origin}, little-endian u16, at the (array-backed) buffer's position. */
    static void encode(float[] g, double origin, ByteBuffer out) {
        byte[] a = out.array();
        int p = out.arrayOffset() + out.position();
        for (float v : g) {
            int code = (int) ((fastLn(v) - origin) * PER_STEP + 0.5);
            code = Math.min(Math.max(code, 0), MAX_CODE);
            a[p] = (byte) code;
            a[p + 1] = (byte) (code >>> 8);
            p += 2;
        }
        out.position(p - out.arrayOffset());
    }

    /**
     * ln of a finite positive float from its bits: exponent times ln 2, plus the mantissa's ln
     * from a table with linear interpolation (error below 1e-8 nepers; subnormals via Math.log).
     */
    static double fastLn(float v) {
        int bits = Float.floatToRawIntBits(v);
        int exponent = (bits >>> 23) & 0xff;
        if (exponent == 0) {
            return Math.log(v);
        }
        int mantissa = bits & 0x7fffff;
        int i = mantissa >>> (23 - TABLE_BITS);
        double fraction = (mantissa & ((1 << (23 - TABLE_BITS)) - 1)) * (1.0 / (1 << (23 - TABLE_BITS)));
        double lo = LN_MANTISSA[i];
        return (exponent - 127) * LN2 + lo + fraction * (LN_MANTISSA[i + 1] - lo);
    }

    /** ln G of a code. */
    public static double ln(double origin, int code) {
        return origin + code * STEP;
    }

    /** G in siemens of a code. */
    public static float siemens(double expOrigin, int code) {
        return (float) (expOrigin * EXP_CODE[code]);
    }
}
