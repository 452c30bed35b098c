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

    /** Why this block is not inside an array of that shape, saying what to give instead; null when it is inside. */
    public String misfit(int arrayRows, int arrayCols) {
        return fitsIn(arrayRows, arrayCols) ? null : "block at (" + row0 + "," + col0 + ") of " + rows + "x" + cols
                + " cells does not fit the " + arrayRows + "x" + arrayCols + " array (rows 0.." + (arrayRows - 1)
                + ", cols 0.." + (arrayCols - 1) + "); give a block inside it";
    }

    /** Throws a {@link DeviceException} that says so when the block is not inside the array. */
    public void requireIn(String arrayId, int arrayRows, int arrayCols, String what) {
        String misfit = misfit(arrayRows, arrayCols);
        if (misfit != null) {
            throw new DeviceException("cannot " + what + " array '" + arrayId + "': " + misfit);
        }
    }
}
