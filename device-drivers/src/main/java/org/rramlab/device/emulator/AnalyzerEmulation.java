package org.rramlab.device.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rramlab.device.scpi.AnalyzerReplies;
import org.rramlab.device.scpi.AnalyzerReplies.DataItem;
import org.rramlab.device.scpi.AnalyzerReplies.ErrorReply;
import org.rramlab.device.scpi.FlexFormat;
import org.rramlab.device.scpi.MeasurementStatus;
import org.rramlab.device.sim.ArrayModel;

/**
 * A B1500 speaking FLEX commands: several commands per line separated by semicolons; a command it
 * cannot run is not answered, its error is queued for {@code ERRX?} (as the instrument does) and
 * sets the command-error bit of the standard event register ({@code *ESR?}). The SMUs installed are
 * those the station's wiring uses (B1517A high-resolution SMUs, reported by {@code UNT?}); the
 * settings are reported by {@code *LRN?}. {@code PAD 1} makes the channels on the high-speed ADC of
 * one measurement integrate together (with real timing, one integration instead of one each). The analyzer knows nothing of the prober: with no die
 * under the probes it measures an open circuit, a current near zero.
 * Error codes (emulator's): 100 undefined command, 102 bad number, 120 wrong parameter count or
 * value, 121 channel not installed, 130 channel not enabled (CN), 150 channel not forcing what
 * the measurement needs, 200 no measurement mode for XE.
 */
final class AnalyzerEmulation implements Instrument {
    private final Station station;
    private final FaultInjector faults;
    private final String identity;
    private final boolean[] enabled = new boolean[1100];
    private final boolean[] installed = new boolean[11];
    private final int[] adcOf = new int[11];
    /** AIT per ADC type (0 high speed, 1 high resolution, 2 pulsed): mode and coefficient. */
    private final int[] aitMode = {0, 0, 0};
    private final double[] aitValue = {1, 6, 1};
    /** PAD 1: the channels on the high-speed ADC of one MM 1 or MM 2 measurement integrate together. */
    private boolean parallel;
    /** Integration time owed by the measurements of the current line, slept before the reply. */
    private double owedSeconds;
    private int esr;
    private final java.util.Random noise;
    private final char[] mode = new char[1100];
    private final double[] force = new double[1100];
    private final double[] compliance = new double[1100];
    private final ArrayDeque<ErrorReply> errors = new ArrayDeque<>();
    private FlexFormat format = FlexFormat.ASCII12_HEADER;
    private int measureMode;
    private int[] measureChannels = new int[0];
    private double pulseWidth = 1e-3;
    private double pulsePeriod = 5e-3;
    private int pulseChannel;
    private double pulseBase;
    private double pulseLevel;
    private double pulseCompliance;
    private int sweepChannel;
    private char sweepKind;
    private double sweepStart;
    private double sweepStop;
    private int sweepSteps;
    private double sweepCompliance;

    /** Null: measurements take no time; else each integration takes what AIT says (one channel after the other). */
    private final org.rramlab.device.scpi.InstrumentTiming timing;

    AnalyzerEmulation(Station station, FaultInjector faults, long seed, org.rramlab.device.scpi.InstrumentTiming timing) {
        this.station = station;
        this.timing = timing;
        this.faults = faults;
        this.identity = "Agilent Technologies,B1500A,RRAMLAB-EMU-" + seed + ",A.06.01.2023.0001 (rramlab instrument emulator)";
        this.noise = new java.util.Random(seed ^ 0x5eed);
        for (int ch : station.wiring.channels()) {
            if (ch <= 10) {
                installed[ch] = true;
            }
        }
    }

    /** A failure of a command: an instrument error code and message. */
    private static final class Refused extends Exception {
        final int code;

        Refused(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    @Override
    public String internalError(String why) {
        queue(999, "internal error: " + why);
        return null;
    }

    private void queue(int code, String message) {
        esr |= 32; // command error (IEEE 488.2 standard event status register)
        if (errors.size() < 32) {
            errors.add(new ErrorReply(code, message));
        }
    }

    @Override
    public String handle(String line) {
        String replies = CommandLine.repliesByHeader(line, (name, args) -> {
            try {
                return one(name.toUpperCase(Locale.ROOT), args.isBlank() ? new String[0] : args.split(",", -1));
            } catch (Refused r) {
                queue(r.code, r.getMessage());
                return null;
            }
        });
        if (owedSeconds > 0) {
            Sleep.seconds(owedSeconds);
            owedSeconds = 0;
        }
        return replies;
    }

    /** Charges one integration of channel ch (its ADC's AIT setting) when the emulator keeps real time. */
    private void integrate(int ch, int times) {
        if (timing != null) {
            owedSeconds += times * integrationOf(ch);
        }
    }

    private double integrationOf(int ch) {
        int type = ch <= 10 ? adcOf[ch] : 0;
        return timing.integrationSeconds(type, aitMode[type], aitValue[type]);
    }

    /**
     * Charges one measurement of channels {@code chs} (Programming Guide, "Parallel measurement"):
     * with PAD 1 the channels on the high-speed ADC integrate at the same time (the longest of
     * them), the others one after the other; with PAD 0 every channel in turn.
     */
    private void integrateAll(int[] chs) {
        if (timing == null) {
            return;
        }
        double together = 0;
        for (int ch : chs) {
            if (parallel && adcOf[ch] == 0) {
                together = Math.max(together, integrationOf(ch));
            } else {
                owedSeconds += integrationOf(ch);
            }
        }
        owedSeconds += together;
    }

    private String one(String name, String[] a) throws Refused {
        switch (name) {
            case "*IDN?" -> {
                return identity;
            }
            case "*OPC?" -> {
                return "1";
            }
            case "*ESR?" -> {
                int v = esr;
                esr = 0;
                return Integer.toString(v);
            }
            case "*CLS" -> {
                errors.clear();
                esr = 0;
            }
            case "UNT?" -> {
                count(a, 0, 1);
                StringBuilder b = new StringBuilder();
                for (int slot = 1; slot <= 10; slot++) {
                    b.append(slot > 1 ? ";" : "").append(installed[slot] ? "B1517A,0" : "0,0");
                }
                return b.toString();
            }
            case "*LRN?" -> {
                count(a, 1, 1);
                return learn(integer(a[0]));
            }
            case "ERRX?" -> {
                ErrorReply e = errors.poll();
                return (e == null ? new ErrorReply(0, "No Error.") : e).format();
            }
            case "ERR?" -> {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < 4; i++) {
                    ErrorReply e = errors.poll();
                    b.append(i > 0 ? "," : "").append(e == null ? 0 : e.code());
                }
                return b.toString();
            }
            case "*RST" -> reset();
            case "FMT" -> {
                count(a, 1, 2);
                try {
                    format = FlexFormat.of(integer(a[0]));
                } catch (IllegalArgumentException e) {
                    throw new Refused(120, "FMT " + a[0] + " not supported by this emulator");
                }
            }
            case "AAD" -> {
                count(a, 2, 2);
                int ch = channel(a[0]);
                int type = integer(a[1]);
                if (ch > 10 || type < 0 || type > 2) {
                    throw new Refused(120, "AAD takes one SMU channel and an ADC type 0..2, got " + String.join(",", a));
                }
                adcOf[ch] = type;
            }
            case "AIT" -> {
                count(a, 2, 3);
                int type = integer(a[0]);
                int m = integer(a[1]);
                if (type < 0 || type > 2 || m < 0 || m > 3) {
                    throw new Refused(120, "AIT takes an ADC type 0..2 and a mode 0..3, got " + String.join(",", a));
                }
                aitMode[type] = m;
                if (a.length == 3) {
                    aitValue[type] = number(a[2]);
                }
            }
            case "AV", "AZ", "WT", "PT" -> {
                if (a.length == 0) {
                    throw new Refused(120, name + " needs parameters");
                }
                for (String x : a) {
                    number(x);
                }
                if (name.equals("PT")) {
                    count(a, 2, 4);
                    pulseWidth = number(a[1]);
                    pulsePeriod = a.length >= 3 ? number(a[2]) : Math.max(2 * pulseWidth, 5e-3);
                }
            }
            case "PAD" -> {
                count(a, 1, 1);
                int on = integer(a[0]);
                if (on != 0 && on != 1) {
                    throw new Refused(120, "PAD takes 0 (off) or 1 (parallel measurement on), got " + on);
                }
                parallel = on == 1;
            }
            case "CN" -> {
                if (a.length == 0) {
                    for (int ch = 1; ch <= 10; ch++) enabled[ch] = installed[ch];
                }
                for (String ch : a) enabled[channel(ch)] = true;
            }
            case "CL" -> {
                if (a.length == 0) {
                    reset();
                }
                for (String ch : a) {
                    int c = channel(ch);
                    enabled[c] = false;
                    station.channelVolts[c] = Double.NaN;
                }
            }
            case "DZ" -> {
                for (int ch = 0; ch < mode.length; ch++) {
                    if (enabled[ch]) {
                        force(ch, 'V', 0, 1e-4);
                    }
                }
            }
            case "DV", "DI" -> {
                count(a, 3, 6);
                int ch = enabledChannel(a[0]);
                double value = number(a[2]);
                double comp = a.length >= 4 ? Math.abs(number(a[3])) : (name.equals("DV") ? 0.1 : 100);
                if (name.equals("DV") ? Math.abs(value) > 100 : Math.abs(value) > 1) {
                    throw new Refused(120, "Output value out of range: " + value);
                }
                force(ch, name.charAt(1), value, comp);
            }
            case "PV" -> {
                count(a, 4, 5);
                pulseChannel = enabledChannel(a[0]);
                pulseBase = number(a[2]);
                pulseLevel = number(a[3]);
                pulseCompliance = a.length == 5 ? Math.abs(number(a[4])) : 0.1;
                if (Math.abs(pulseBase) > 100 || Math.abs(pulseLevel) > 100) {
                    throw new Refused(120, "Pulse value out of range");
                }
            }
            case "WV", "WI" -> {
                count(a, 6, 8);
                sweepChannel = enabledChannel(a[0]);
                sweepKind = name.charAt(1);
                sweepStart = number(a[3]);
                sweepStop = number(a[4]);
                sweepSteps = integer(a[5]);
                sweepCompliance = a.length >= 7 ? Math.abs(number(a[6])) : 0.1;
                if (sweepSteps < 1 || sweepSteps > 10001) {
                    throw new Refused(120, "Number of sweep steps out of range 1..10001");
                }
            }
            case "MM" -> {
                if (a.length < 2) {
                    throw new Refused(120, "MM takes mode,channel[,channel...]");
                }
                int m = integer(a[0]);
                if (m != 1 && m != 2 && m != 3) {
                    throw new Refused(120, "measurement mode " + m + " not supported by this emulator (1, 2, 3)");
                }
                int[] chs = new int[a.length - 1];
                for (int i = 1; i < a.length; i++) chs[i - 1] = enabledChannel(a[i]);
                measureMode = m;
                measureChannels = chs;
            }
            case "TI", "TV" -> {
                count(a, 1, 2);
                int ch = enabledChannel(a[0]);
                return spot(ch, name.equals("TI") ? 'V' : 'I').format(format);
            }
            case "XE" -> {
                return execute();
            }
            default -> {
                throw new Refused(100, "Undefined GPIB command " + printable(name));
            }
        }
        return null;
    }

    /** *LRN? type: 0 output switches, 1..10 a channel's source setting, 31 TM/AV/CM/FMT/MM, 55/56 AAD and AIT. */
    private String learn(int type) throws Refused {
        if (type == 0) {
            StringBuilder b = new StringBuilder();
            for (int ch = 1; ch <= 10; ch++) {
                if (enabled[ch]) {
                    b.append(b.length() == 0 ? "CN" : ",").append(ch);
                }
            }
            return b.length() == 0 ? "CL" : b.toString();
        }
        if (type >= 1 && type <= 10) {
            if (!installed[type]) {
                throw new Refused(121, "Channel " + type + " not installed");
            }
            if (!enabled[type]) {
                return "CL" + type;
            }
            String f = mode[type] == 'I' ? "DI" : "DV";
            return String.format(Locale.ROOT, "%s%d,0,%+.4E,%+.4E", f, type, mode[type] == 0 ? 0.0 : force[type],
                    mode[type] == 0 ? 100e-6 : compliance[type]);
        }
        if (type == 31) {
            StringBuilder b = new StringBuilder("TM1;AV1,0;CM1;FMT" + format.code() + ",0;MM" + measureMode);
            for (int ch : measureChannels) b.append(',').append(ch);
            return b.toString();
        }
        if (type == 55) {
            StringBuilder b = new StringBuilder();
            for (int ch = 1; ch <= 10; ch++) {
                if (installed[ch]) {
                    b.append(b.length() > 0 ? ";" : "").append("AAD").append(ch).append(',').append(adcOf[ch]);
                }
            }
            return b.toString();
        }
        if (type == 56) {
            return String.format(Locale.ROOT, "AIT0,%d,%s;AIT1,%d,%s;AIT2,%d,%s", aitMode[0], num(aitValue[0]), aitMode[1],
                    num(aitValue[1]), aitMode[2], num(aitValue[2]));
        }
        if (type == 110) {
            return "PAD" + (parallel ? 1 : 0);
        }
        throw new Refused(120, "*LRN? type " + type + " is not reported by this emulator (0, 1..10, 31, 55, 56, 110)");
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private void reset() {
        java.util.Arrays.fill(adcOf, 0);
        aitMode[0] = aitMode[1] = aitMode[2] = 0;
        aitValue[0] = 1;
        aitValue[1] = 6;
        aitValue[2] = 1;
        java.util.Arrays.fill(enabled, false);
        java.util.Arrays.fill(mode, (char) 0);
        java.util.Arrays.fill(station.channelVolts, Double.NaN);
        format = FlexFormat.ASCII12_HEADER;
        parallel = false;
        measureMode = 0;
        measureChannels = new int[0];
    }

    private void force(int ch, char what, double value, double comp) {
        mode[ch] = what;
        force[ch] = value;
        compliance[ch] = comp;
        station.channelVolts[ch] = what == 'V' ? value : Double.NaN;
    }

    private static void count(String[] a, int min, int max) throws Refused {
        if (a.length < min || a.length > max) {
            throw new Refused(120, "Incorrect number of parameters: " + a.length + " (" + min + ".." + max + ")");
        }
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^ -~]", "?").replace('"', '\'');
        return p.length() > 40 ? p.substring(0, 40) + "..." : p;
    }

    private static double number(String text) throws Refused {
        try {
            double v = Double.parseDouble(text.trim());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new Refused(102, "Incorrect numeric data: " + printable(text.trim()));
    }

    private static int integer(String text) throws Refused {
        double v = number(text);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new Refused(102, "Incorrect numeric data: " + printable(text.trim()));
        }
        return (int) v;
    }

    private int channel(String text) throws Refused {
        int ch = integer(text);
        // SMUs have no sub-channels; a sub-channel number names a module (SPGU, MFCMU) this station does not have
        boolean ok = ch >= 1 && ch <= 10 && installed[ch];
        if (!ok) {
            throw new Refused(121, "Channel " + ch + " not installed");
        }
        return ch;
    }

    private int enabledChannel(String text) throws Refused {
        int ch = channel(text);
        if (!enabled[ch]) {
            throw new Refused(130, "Channel " + ch + " output switch is off; send CN " + ch);
        }
        return ch;
    }

    /** The array under the probes, or null: then the SMUs see an open circuit. */
    private ArrayModel array() {
        return station.underProbes();
    }

    /** Current into channel ch at {@code volts}: the routed cells, or an open circuit's leakage (tens of fA). */
    private double current(ArrayModel m, int ch, double volts) {
        return m != null ? station.current(m, ch, volts) : noise.nextGaussian() * 20e-15;
    }

    /** A spot measurement on channel ch forcing {@code forced} (V: current measured, I: voltage measured). */
    private DataItem spot(int ch, char forced) throws Refused {
        integrate(ch, 1);
        return measured(ch, forced);
    }

    /** The value of a spot measurement whose integration the caller charges. */
    private DataItem measured(int ch, char forced) throws Refused {
        if (mode[ch] != forced) {
            throw new Refused(150, "Channel " + ch + " is not forcing " + (forced == 'V' ? "a voltage (DV)" : "a current (DI)"));
        }
        ArrayModel m = array();
        if (forced == 'V') {
            return item(ch, 'I', current(m, ch, force[ch]), compliance[ch]);
        }
        // forcing a current: the voltage that drives it through the conducting cells
        double g = m == null ? 0 : station.current(m, ch, 1.0);
        double v = g > 0 ? force[ch] / g : Math.copySign(compliance[ch], force[ch]);
        return item(ch, 'V', v, compliance[ch]);
    }

    private DataItem item(int ch, char type, double value, double limit) {
        MeasurementStatus status = Math.abs(value) > limit ? MeasurementStatus.COMPLIANCE : faults.status();
        if (status == MeasurementStatus.COMPLIANCE) {
            value = Math.copySign(limit, value);
        } else if (status == MeasurementStatus.OVERFLOW) {
            value = AnalyzerReplies.OVERFLOW_VALUE;
        }
        return new DataItem(status, ch, type, value);
    }

    private String execute() throws Refused {
        List<DataItem> items = new ArrayList<>();
        switch (measureMode) {
            case 1 -> {
                integrateAll(measureChannels);
                for (int ch : measureChannels) items.add(measured(ch, mode[ch] == 'I' ? 'I' : 'V'));
            }
            case 3 -> {
                int ch = measureChannels[0];
                if (ch != pulseChannel) {
                    throw new Refused(150, "Channel " + ch + " has no pulse source set (PV)");
                }
                ArrayModel m = array();
                double i = m == null ? current(null, ch, pulseLevel) : station.pulse(m, ch, pulseLevel);
                if (timing != null) {
                    owedSeconds += pulsePeriod; // one pulse period (PT), the current measured within the pulse
                }
                double before = station.channelVolts[ch];
                station.channelVolts[ch] = pulseBase;
                items.add(item(ch, 'I', i, pulseCompliance));
                station.channelVolts[ch] = Double.isNaN(before) ? pulseBase : before;
            }
            case 2 -> {
                if (sweepSteps == 0 || !enabled[sweepChannel]) {
                    throw new Refused(200, "No sweep source set (WV or WI)");
                }
                ArrayModel m = array();
                for (int s = 0; s < sweepSteps; s++) {
                    double v = sweepSteps == 1 ? sweepStart : sweepStart + s * (sweepStop - sweepStart) / (sweepSteps - 1);
                    force(sweepChannel, sweepKind, v, sweepCompliance);
                    integrateAll(measureChannels); // each step measures its channels as MM 1 does
                    for (int ch : measureChannels) {
                        items.add(sweepKind == 'V' || ch != sweepChannel
                                ? item(ch, 'I', current(m, ch, station.channelVolts[ch]), compliance[ch])
                                : measured(ch, 'I'));
                    }
                }
            }
            default -> throw new Refused(200, "No measurement mode set; send MM");
        }
        StringBuilder b = new StringBuilder(items.size() * 16);
        for (DataItem d : items) {
            b.append(b.length() > 0 ? "," : "").append(d.format(format));
        }
        return b.toString();
    }
}
