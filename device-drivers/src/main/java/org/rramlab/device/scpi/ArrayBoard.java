package org.rramlab.device.scpi;

import java.time.Duration;
import org.rramlab.device.visa.Transports;
import org.rramlab.device.visa.VisaAddress;

/**
 * An array board: the decoder board labs build for arrays larger than a switch matrix reaches
 * (docs/instruments.md, "Array board interface"). It speaks SCPI-style lines on a socket or VISA
 * address:
 * <pre>
 * *IDN?              maker,model,serial,firmware
 * ROW r              gate input to WL r and ground input to SL r; every other WL grounded (off)
 * COLS c0,n          bit inputs 1..n to BL c0..c0+n-1; every other BL open
 * OPEN               every line open
 * *OPC?              1 when the switches have settled
 * SYST:ERR?          +0,"No error" or the oldest error (-222,"Data out of range"...)
 * </pre>
 * The SMUs are cabled to the board's gate, ground and bit inputs as to a matrix's.
 */
public final class ArrayBoard implements CellRouter {
    private static final String NAME = "array board";
    private final ScpiSession session;
    private final int width;
    private final Duration settle;

    public ArrayBoard(VisaAddress address, LinkOptions options, int width, Duration settle, Transports.Opener opener) {
        this.session = new ScpiSession(NAME, address, options, opener);
        this.width = width;
        this.settle = settle;
    }

    @Override
    public void connect(int row, int col0, int n) {
        String cmd = "ROW " + row + ";COLS " + col0 + "," + n;
        session.call(cmd, link -> {
            link.send(cmd);
            String opc = link.query("*OPC?");
            if (!opc.equals("1")) {
                throw new MalformedReplyException(opc, "1 in reply to *OPC? after '" + cmd + "'");
            }
            AnalyzerReplies.ErrorReply e = ScpiErrors.parse(link.query("SYST:ERR?"), "SYST:ERR?");
            if (e.code() != 0) {
                throw new InstrumentErrorException(NAME, cmd, e.code(), e.message());
            }
            return null;
        });
        SwitchMatrix.sleep(settle);
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public String identify() {
        return session.call("*IDN?", link -> link.query("*IDN?"));
    }

    @Override
    public ScpiSession session() {
        return session;
    }

    @Override
    public void close() {
        session.close();
    }
}
