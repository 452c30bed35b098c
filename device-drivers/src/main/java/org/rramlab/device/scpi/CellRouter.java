package org.rramlab.device.scpi;

import org.rramlab.device.ArrayHealth;

/** Connects the SMUs to the lines of one row and some of its bit lines: a switch matrix or an array board. */
public interface CellRouter extends AutoCloseable {
    /** Gate SMU to WL row, ground to SL row, bit SMU j to BL col0 + j for j < n; everything else open. */
    void connect(int row, int col0, int n);

    /** Bit lines connected at once at most. */
    int width();

    String identify();

    ScpiSession session();

    default ArrayHealth.LinkState state() {
        return session().state();
    }

    @Override
    void close();
}
