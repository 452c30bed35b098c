package org.rramlab.device.scpi;

import java.util.List;
import java.util.Locale;
import org.rramlab.device.scpi.AnalyzerReplies.DataItem;
import org.rramlab.device.scpi.AnalyzerReplies.ErrorReply;
import org.rramlab.device.scpi.AnalyzerReplies.ProgramReply;

/**
 * Driver of a parameter analyzer in the style of the Keysight B1500 (FLEX commands), with the
 * cell-addressing extensions of the rramlab emulator (see docs/device-layer.md):
 * {@code SEL row,col} routes the SMU to one 1T1R cell, {@code TIR ch,row,col0,n} measures a row
 * segment in one query, {@code PGR tag,row,col0,verify,g1,...} programs a row segment.
 *
 * <p>Every command without a reply is followed by {@code ERRX?} in the same write, so each
 * command's error is seen at once without an extra round trip. Each method is one retried unit.
 */
public final class ParameterAnalyzer implements AutoCloseable {
    private final ScpiSession session;
    private final int channel;
    private volatile double biasVolts = 0.2;
    private volatile double complianceAmps = 1e-3;

    public ParameterAnalyzer(String host, int port, LinkOptions options, int channel) {
        if (channel < 1 || channel > 8) {
            throw new IllegalArgumentException("SMU channel must be 1..8, got " + channel);
        }
        this.channel = channel;
        this.session = new ScpiSession("parameter analyzer", host, port, options);
        // on every connection: enable the SMU and restore the read bias
        session.onConnect(link -> {
            command(link, "CN " + channel);
            command(link, biasCommand());
        });
    }

    public ScpiSession session() {
        return session;
    }

    public int channel() {
        return channel;
    }

    public double biasVolts() {
        return biasVolts;
    }

    private String biasCommand() {
        return String.format(Locale.ROOT, "DV %d,0,%s,%s", channel, biasVolts, complianceAmps);
    }

    /** Sends a command with no reply and checks the instrument's error for it. */
    static void command(ScpiSession.Link link, String command) {
        ErrorReply e = AnalyzerReplies.parseError(link.sendAndQuery(command, "ERRX?"));
        if (e.code() != 0) {
            throw new InstrumentErrorException("parameter analyzer", command, e.code(), e.message());
        }
    }

    public String identify() {
        return session.call("*IDN?", link -> {
            String idn = link.query("*IDN?");
            if (idn.isBlank() || !idn.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new MalformedReplyException(idn, "an identification string");
            }
            return idn;
        });
    }

    public ErrorReply queryError() {
        return session.call("ERRX?", link -> AnalyzerReplies.parseError(link.query("ERRX?")));
    }

    /** Forces the read bias on the SMU (DV) with a current compliance; kept across reconnects. */
    public void setReadBias(double volts, double compliance) {
        if (!(Math.abs(volts) > 0 && Math.abs(volts) <= 1) || !(compliance > 0)) {
            throw new IllegalArgumentException("read bias must be 0 < |V| <= 1 V and compliance > 0 A");
        }
        biasVolts = volts;
        complianceAmps = compliance;
        session.call("DV", link -> {
            command(link, biasCommand());
            return null;
        });
    }

    /** Routes to a cell and measures its current (TI) under the read bias. */
    public DataItem measureCell(int row, int col) {
        String select = "SEL " + row + "," + col;
        String ti = "TI " + channel;
        return session.call("read cell " + row + "," + col, link -> {
            command(link, select);
            return AnalyzerReplies.parseItem(link.query(ti), ti);
        });
    }

    /**
     * Forces a current through a cell (DI) and measures the voltage (TV), then restores the read
     * bias: the four-wire style of measuring a conductance as I / V.
     */
    public DataItem measureCellVoltage(int row, int col, double amps, double voltageCompliance) {
        String di = String.format(Locale.ROOT, "DI %d,0,%s,%s", channel, amps, voltageCompliance);
        String tv = "TV " + channel;
        return session.call("force current on cell " + row + "," + col, link -> {
            command(link, "SEL " + row + "," + col);
            command(link, di);
            DataItem v = AnalyzerReplies.parseItem(link.query(tv), tv);
            command(link, biasCommand());
            return v;
        });
    }

    /** Measures the currents of {@code n} cells of a row from {@code col0} in one query. */
    public List<DataItem> measureRow(int row, int col0, int n) {
        String tir = "TIR " + channel + "," + row + "," + col0 + "," + n;
        return session.call("read row " + row, link -> AnalyzerReplies.parseItems(link.query(tir), n, tir));
    }

    /**
     * Programs {@code n} cells of a row to target conductances, with the instrument's own
     * write-verify if asked. The command carries a random tag: when a reply is lost and the
     * command re-issued, the instrument answers the repeat from its record instead of pulsing the
     * cells again, so programming happens exactly once.
     */
    public ProgramReply programRow(int row, int col0, boolean verify, float[] siemens) {
        long tag = java.util.concurrent.ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        StringBuilder b = new StringBuilder(40 + siemens.length * 14);
        b.append("PGR ").append(tag).append(',').append(row).append(',').append(col0).append(',').append(verify ? 1 : 0);
        for (float g : siemens) {
            b.append(',').append(Float.toString(g).replace('e', 'E'));
        }
        String pgr = b.toString();
        return session.call("program row " + row, link -> AnalyzerReplies.parseProgram(link.query(pgr), "PGR " + row + ",..."));
    }

    @Override
    public void close() {
        session.close();
    }
}
