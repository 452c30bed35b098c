package org.rramlab.learning.mapping;

/**
 * How weights go onto arrays: tile shape (crossbar rows = inputs, columns = two per output) and the
 * shape of the physical arrays the tiles are placed on, whether to program with write-verify, and
 * which |w| maps to the top level: the {@code wMaxQuantile} quantile of a layer's |w| (1 = max|w|;
 * below 1, larger weights saturate at the top level and every level step, and the error of a device
 * stuck at Gmax, shrinks with w_max).
 */
public record MappingConfig(int tileRows, int tileCols, int arrayRows, int arrayCols, boolean writeVerify,
                            double wMaxQuantile) {
    public MappingConfig {
        if (!(wMaxQuantile > 0 && wMaxQuantile <= 1)) {
            throw new IllegalArgumentException("w-max quantile must lie in (0, 1], got " + wMaxQuantile);
        }
        if (tileRows < 1 || tileCols < 2 || tileCols % 2 != 0) {
            throw new IllegalArgumentException("tiles need >= 1 row and an even number (>= 2) of columns, got "
                    + tileRows + "x" + tileCols);
        }
        if (arrayRows < tileRows || arrayCols < tileCols) {
            throw new IllegalArgumentException("an array of " + arrayRows + "x" + arrayCols + " cannot hold a tile of "
                    + tileRows + "x" + tileCols);
        }
    }

    /** 128 x 128 tiles, four to a 256 x 256 array, no write-verify (the paper's setting). */
    public static MappingConfig defaults() {
        return new MappingConfig(128, 128, 256, 256, false, 1.0);
    }

    public MappingConfig withWMaxQuantile(double q) {
        return new MappingConfig(tileRows, tileCols, arrayRows, arrayCols, writeVerify, q);
    }

    /** The {@code q} quantile of |w| (q = 1: the maximum), never zero. */
    public static float wMax(float[] w, double q) {
        float[] abs = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            abs[i] = Math.abs(w[i]);
        }
        float m;
        if (q >= 1) {
            m = 0;
            for (float a : abs) {
                m = Math.max(m, a);
            }
        } else {
            java.util.Arrays.sort(abs);
            m = abs[(int) Math.min(abs.length - 1, Math.floor(q * (abs.length - 1)))];
        }
        return m > 0 ? m : 1e-12f;
    }
}
