package org.rramlab.device.emulator;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rramlab.device.Block;
import org.rramlab.device.DeviceException;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.scpi.AnalyzerReplies;
import org.rramlab.device.scpi.AnalyzerReplies.ErrorReply;
import org.rramlab.device.scpi.AnalyzerReplies.ProgramReply;
import org.rramlab.device.sim.ArrayModel;

/**
 * The parameter-analyzer protocol (B1500 FLEX style plus cell addressing). Commands without a
 * reply queue their error for {@code ERRX?}; a measurement or program query that cannot run is
 * answered with its error ({@code code,"message"}) in place of data, so a client never waits.
 */
final class AnalyzerEmulation {
    static final int UNDEFINED = 100;
    static final int BAD_CHANNEL = 110;
    static final int NOT_ENABLED = 120;
    static final int NO_FORCE = 130;
    static final int BAD_PARAMETER = 150;
    static final int OUT_OF_RANGE = 305;
    static final int NO_CELL = 310;
    static final int NO_CONTACT = 330;

    private final Wafer wafer;
    private final FaultInjector faults;
    private final String identity;
    private final boolean[] enabled = new boolean[9];
    private final char[] mode = new char[9];
    private final double[] force = new double[9];
    private final double[] compliance = new double[9];
    private int selectedRow = -1;
    private int selectedCol = -1;
    private final ArrayDeque<ErrorReply> errors = new ArrayDeque<>();
    private final Map<Long, String> programmed = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > 4096;
        }
    };

    AnalyzerEmulation(Wafer wafer, FaultInjector faults, long seed) {
        this.wafer = wafer;
        this.faults = faults;
        this.identity = "Keysight Technologies,B1500A,RRAMLAB-EMU-" + seed + ",A.06.01 (rramlab instrument emulator)";
    }

    /** A failure of a command: an instrument error code and message. */
    private static final class Refused extends Exception {
        final int code;

        Refused(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        String reply() {
            return new ErrorReply(code, getMessage()).format();
        }
    }

    /** Returns the reply line, or null for a command that has none. */
    String handle(String name, String args) {
        String[] a = args.isBlank() ? new String[0] : args.split(",", -1);
        try {
            switch (name) {
                case "*IDN?":
                    return identity;
                case "ERRX?": {
                    ErrorReply e = errors.poll();
                    return (e == null ? new ErrorReply(0, "No Error") : e).format();
                }
                case "TI":
                    return measure(a, 'V');
                case "TV":
                    return measure(a, 'I');
                case "TIR":
                    return measureRow(a);
                case "PGR":
                    return program(a);
                default:
                    break;
            }
        } catch (Refused r) {
            return r.reply();
        }
        try {
            switch (name) {
                case "*RST" -> reset();
                case "CN" -> {
                    if (a.length == 0) {
                        java.util.Arrays.fill(enabled, true);
                    }
                    for (String ch : a) enabled[channel(ch)] = true;
                }
                case "CL" -> {
                    if (a.length == 0) {
                        reset();
                    }
                    for (String ch : a) enabled[channel(ch)] = false;
                }
                case "DV", "DI" -> force(name.charAt(1), a);
                case "SEL" -> select(a);
                default -> {
                    if (name.endsWith("?")) {
                        return new ErrorReply(UNDEFINED, "Undefined command " + printable(name)).format();
                    }
                    throw new Refused(UNDEFINED, "Undefined command " + printable(name));
                }
            }
        } catch (Refused r) {
            if (errors.size() < 32) {
                errors.add(new ErrorReply(r.code, r.getMessage()));
            }
        }
        return null;
    }

    private void reset() {
        java.util.Arrays.fill(enabled, false);
        java.util.Arrays.fill(mode, (char) 0);
        selectedRow = selectedCol = -1;
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^ -~]", "?").replace('"', '\'');
        return p.length() > 40 ? p.substring(0, 40) + "..." : p;
    }

    private static int channel(String text) throws Refused {
        int ch = (int) number(text);
        if (ch < 1 || ch > 8 || ch != number(text)) {
            throw new Refused(BAD_CHANNEL, "Channel number " + printable(text.trim()) + " out of range 1..8");
        }
        return ch;
    }

    private static double number(String text) throws Refused {
        try {
            double v = Double.parseDouble(text.trim());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the refusal
        }
        throw new Refused(BAD_PARAMETER, "Parameter value invalid: " + printable(text.trim()));
    }

    private static int integer(String text) throws Refused {
        double v = number(text);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new Refused(BAD_PARAMETER, "Parameter value invalid: " + printable(text.trim()));
        }
        return (int) v;
    }

    private void force(char what, String[] a) throws Refused {
        if (a.length < 3 || a.length > 4) {
            throw new Refused(BAD_PARAMETER, "D" + what + " takes channel,range,value[,compliance]");
        }
        int ch = channel(a[0]);
        if (!enabled[ch]) {
            throw new Refused(NOT_ENABLED, "Channel " + ch + " not enabled; send CN " + ch);
        }
        double value = number(a[2]);
        double comp = a.length == 4 ? Math.abs(number(a[3])) : (what == 'V' ? 0.1 : 100);
        if (what == 'V' ? Math.abs(value) > 100 : Math.abs(value) > 1) {
            throw new Refused(BAD_PARAMETER, "Output value out of range: " + value);
        }
        mode[ch] = what;
        force[ch] = value;
        compliance[ch] = comp;
    }

    private ArrayModel array() throws Refused {
        ArrayModel m = wafer.underProbes();
        if (m == null) {
            throw new Refused(NO_CONTACT, "Probes not in contact with a die; step to a die and send MoveChuckContact");
        }
        return m;
    }

    private void select(String[] a) throws Refused {
        if (a.length != 2) {
            throw new Refused(BAD_PARAMETER, "SEL takes row,col");
        }
        ArrayModel m = array();
        int row = integer(a[0]);
        int col = integer(a[1]);
        if (row < 0 || col < 0 || row >= m.rows() || col >= m.cols()) {
            throw new Refused(OUT_OF_RANGE, "Cell " + row + "," + col + " out of range 0.." + (m.rows() - 1)
                    + ",0.." + (m.cols() - 1));
        }
        selectedRow = row;
        selectedCol = col;
    }

    private int forcedChannel(String[] a, int args, char wanted) throws Refused {
        if (a.length != args) {
            throw new Refused(BAD_PARAMETER, "wrong number of parameters");
        }
        int ch = channel(a[0]);
        if (!enabled[ch]) {
            throw new Refused(NOT_ENABLED, "Channel " + ch + " not enabled; send CN " + ch);
        }
        if (mode[ch] != wanted) {
            throw new Refused(NO_FORCE, "Channel " + ch + " is not forcing " + (wanted == 'V' ? "a voltage; send DV" : "a current; send DI"));
        }
        return ch;
    }

    /** TI (voltage forced, current measured) or TV (current forced, voltage measured) on the selected cell. */
    private String measure(String[] a, char forced) throws Refused {
        int ch = forcedChannel(a, 1, forced);
        ArrayModel m = array();
        if (selectedRow < 0 || selectedRow >= m.rows() || selectedCol >= m.cols()) {
            throw new Refused(NO_CELL, "No cell selected; send SEL row,col");
        }
        float g = m.read(new Block(selectedRow, selectedCol, 1, 1)).conductances()[0];
        return item(ch, forced, g);
    }

    private String item(int ch, char forced, float g) {
        char channelLetter = (char) ('A' + ch - 1);
        char type = forced == 'V' ? 'I' : 'V';
        double value = forced == 'V' ? force[ch] * g : force[ch] / g;
        char status = Math.abs(value) > compliance[ch] ? 'C' : faults.status();
        if (status == 'C') {
            value = Math.copySign(compliance[ch], value);
        } else if (status == 'V') {
            value = AnalyzerReplies.OVERFLOW_VALUE;
        }
        return "" + status + channelLetter + type + AnalyzerReplies.engineering(value);
    }

    private String measureRow(String[] a) throws Refused {
        if (a.length != 4) {
            throw new Refused(BAD_PARAMETER, "TIR takes channel,row,col0,count");
        }
        int ch = forcedChannel(new String[] {a[0]}, 1, 'V');
        ArrayModel m = array();
        int row = integer(a[1]);
        int col0 = integer(a[2]);
        int n = integer(a[3]);
        if (row < 0 || col0 < 0 || n < 1 || row >= m.rows() || col0 + (long) n > m.cols()) {
            throw new Refused(OUT_OF_RANGE, "Cells " + row + "," + col0 + "+" + n + " out of range 0.." + (m.rows() - 1)
                    + ",0.." + (m.cols() - 1));
        }
        float[] g = m.read(new Block(row, col0, 1, n)).conductances();
        StringBuilder b = new StringBuilder(n * 16);
        for (int i = 0; i < n; i++) {
            if (i > 0) b.append(',');
            b.append(item(ch, 'V', g[i]));
        }
        return b.toString();
    }

    private String program(String[] a) throws Refused {
        if (a.length < 5) {
            throw new Refused(BAD_PARAMETER, "PGR takes tag,row,col0,verify,g1[,g2...]");
        }
        long tag;
        try {
            tag = Long.parseLong(a[0].trim());
        } catch (NumberFormatException e) {
            throw new Refused(BAD_PARAMETER, "Parameter value invalid: tag " + printable(a[0]));
        }
        String earlier = programmed.get(tag);
        if (earlier != null) {
            return earlier; // a re-issued command: its cells were programmed already
        }
        ArrayModel m = array();
        int row = integer(a[1]);
        int col0 = integer(a[2]);
        int verify = integer(a[3]);
        int n = a.length - 4;
        if (verify != 0 && verify != 1) {
            throw new Refused(BAD_PARAMETER, "verify must be 0 or 1");
        }
        if (row < 0 || col0 < 0 || row >= m.rows() || col0 + (long) n > m.cols()) {
            throw new Refused(OUT_OF_RANGE, "Cells " + row + "," + col0 + "+" + n + " out of range");
        }
        float[] targets = new float[n];
        for (int i = 0; i < n; i++) targets[i] = (float) number(a[4 + i]);
        ProgramResult r;
        try {
            r = m.program(ProgramRequest.ofConductances(new Block(row, col0, 1, n), targets, verify == 1));
        } catch (DeviceException e) {
            throw new Refused(BAD_PARAMETER, printable(e.getMessage()));
        }
        String reply = new ProgramReply(r.pulses(), r.cellsOutOfTolerance(), r.seconds()).format();
        programmed.put(tag, reply);
        return reply;
    }
}
