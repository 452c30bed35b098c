package org.rramlab.device;

/** A rectangular block of cells on an array: origin (row0, col0) and shape. */
public record Block(int row0, int col0, int rows, int cols) {
    public Block {
        if (row0 < 0 || col0 < 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(
                    "block must have a non-negative origin and a positive shape, got origin ("
                            + row0 + "," + col0 + ") shape " + rows + "x" + cols);
        }
    }

    public int cells() {
        return rows * cols;
    }

    /** True when this block lies inside an array of the given shape. */
    public boolean fitsIn(int arrayRows, int arrayCols) {
        return row0 + rows <= arrayRows && col0 + cols <= arrayCols;
    }
}
