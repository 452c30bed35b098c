package org.rramlab.device.scpi;

/** Cell addressing through a switch matrix cabled as a {@link Wiring} says. */
public final class MatrixRouter implements CellRouter {
    private final SwitchMatrix matrix;
    private final Wiring wiring;

    public MatrixRouter(SwitchMatrix matrix, Wiring wiring) {
        this.matrix = matrix;
        this.wiring = wiring;
    }

    public SwitchMatrix matrix() {
        return matrix;
    }

    @Override
    public void connect(int row, int col0, int n) {
        matrix.route(wiring.relays(matrix.layout(), row, col0, n));
    }

    @Override
    public int width() {
        return wiring.bitChannels().length;
    }

    @Override
    public String identify() {
        return matrix.identify();
    }

    @Override
    public ScpiSession session() {
        return matrix.session();
    }

    @Override
    public void close() {
        matrix.close();
    }
}
