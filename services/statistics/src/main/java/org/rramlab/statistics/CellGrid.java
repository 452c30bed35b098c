package org.rramlab.statistics;

import java.util.Arrays;
import org.rramlab.device.Block;

/**
 * What the engine remembers per cell of one array, in primitive arrays indexed row * cols + col
 * over the extent programmed so far (grown, rarely, when a block reaches past it): the level
 * (-1: none), when it was programmed, its last read (ln G and log-time, for read-noise pairs)
 * and its reference, the ln G of its first read after programming (NaN: not read yet;
 * +infinity: looked stuck, left out of drift).
 */
final class CellGrid {
    /** Largest extent remembered, as for the simulator: 2^26 cells (a 8192 x 8192 array). */
    static final long MAX_CELLS = 1L << 26;
    static final float UNSET = Float.NaN;
    static final float EXCLUDED = Float.POSITIVE_INFINITY;

    int rows;
    int cols;
    byte[] level = new byte[0];
    double[] programmedAt = new double[0];
    float[] lastLog = new float[0];
    float[] lastLogTime = new float[0];
    float[] reference = new float[0];

    /** Grows the extent to hold the block; false (nothing changed) when that would pass {@link #MAX_CELLS}. */
    boolean cover(Block b) {
        int newRows = Math.max(rows, b.row0() + b.rows());
        int newCols = Math.max(cols, b.col0() + b.cols());
        if (newRows == rows && newCols == cols) {
            return true;
        }
        if ((long) newRows * newCols > MAX_CELLS) {
            return false;
        }
        resize(newRows, newCols);
        return true;
    }

    void resize(int newRows, int newCols) {
        int cells = newRows * newCols;
        byte[] l = new byte[cells];
        double[] p = new double[cells];
        float[] ll = new float[cells];
        float[] lt = new float[cells];
        float[] r = new float[cells];
        Arrays.fill(l, (byte) -1);
        Arrays.fill(ll, UNSET);
        Arrays.fill(lt, UNSET);
        Arrays.fill(r, UNSET);
        for (int row = 0; row < rows; row++) {
            System.arraycopy(level, row * cols, l, row * newCols, cols);
            System.arraycopy(programmedAt, row * cols, p, row * newCols, cols);
            System.arraycopy(lastLog, row * cols, ll, row * newCols, cols);
            System.arraycopy(lastLogTime, row * cols, lt, row * newCols, cols);
            System.arraycopy(reference, row * cols, r, row * newCols, cols);
        }
        rows = newRows;
        cols = newCols;
        level = l;
        programmedAt = p;
        lastLog = ll;
        lastLogTime = lt;
        reference = r;
    }
}
