package org.rramlab.learning.mapping;

/**
 * How weights go onto arrays: tile shape (crossbar rows = inputs, columns = two per output) and the
 * shape of the physical arrays the tiles are placed on, and whether to program with write-verify.
 */
public record MappingConfig(int tileRows, int tileCols, int arrayRows, int arrayCols, boolean writeVerify) {
    public MappingConfig {
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
        return new MappingConfig(128, 128, 256, 256, false);
    }
}
