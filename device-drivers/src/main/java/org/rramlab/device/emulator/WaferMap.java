package org.rramlab.device.emulator;

/**
 * The emulated wafer map: a square grid of columns x rows whose four corners are off the wafer
 * (a round wafer), dies numbered 0.. along the route row by row, left to right; grid positions on
 * the wafer beyond the last die are skipped (not on the route: inked, or not selected for test).
 * A real map comes from the prober's wafer-map file; this one only has to be two-dimensional and
 * have holes, so a driver that confuses die numbers with map positions is caught.
 */
final class WaferMap {
    final int side;
    private final int[] columnOf;
    private final int[] rowOf;
    private final int[][] dieAt;

    WaferMap(int dies) {
        if (dies < 1 || dies > 1000) {
            throw new IllegalArgumentException("a wafer needs 1..1000 dies, got " + dies);
        }
        int s = 3;
        while (s * s - 4 < dies) {
            s++;
        }
        side = s;
        columnOf = new int[dies];
        rowOf = new int[dies];
        dieAt = new int[s][s];
        int d = 0;
        for (int row = 0; row < s; row++) {
            for (int col = 0; col < s; col++) {
                dieAt[row][col] = -1;
                boolean corner = (row == 0 || row == s - 1) && (col == 0 || col == s - 1);
                if (!corner && d < dies) {
                    columnOf[d] = col;
                    rowOf[d] = row;
                    dieAt[row][col] = d++;
                }
            }
        }
    }

    int dies() {
        return columnOf.length;
    }

    int column(int die) {
        return columnOf[die];
    }

    int row(int die) {
        return rowOf[die];
    }

    /** The die at a map position, or -1 when the position is off the wafer or skipped. */
    int dieAt(int col, int row) {
        return col < 0 || row < 0 || col >= side || row >= side ? -1 : dieAt[row][col];
    }

    /** Whether a position is on the wafer (not a corner) but not a die of the route. */
    boolean skipped(int col, int row) {
        boolean inGrid = col >= 0 && row >= 0 && col < side && row < side;
        boolean corner = (row == 0 || row == side - 1) && (col == 0 || col == side - 1);
        return inGrid && !corner && dieAt(col, row) < 0;
    }
}
