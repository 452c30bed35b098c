package org.rramlab.device.scpi;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.rramlab.device.scpi.AnalyzerReplies.DataItem;
import org.rramlab.device.scpi.AnalyzerReplies.ErrorReply;
import org.rramlab.device.visa.Transports;
import org.rramlab.device.visa.VisaAddress;

/**
 * Driver of a Keysight B1500 (FLEX command set, B1500 Programming Guide chapter 4 "Command
 * Reference"), one VISA address.
 *
 * <p>On every connection: {@code FMT} (data output format), {@code AIT}/{@code AAD} (ADC type,
 * mode and integration), {@code CN} (enable the channels used); then every unit sets the output it
 * needs ({@code DV}, {@code DI}, {@code PV}, {@code WV}...), so a unit is safe to repeat.
 *
 * <p>The B1500 does not answer a command it cannot run: it queues the error, which {@code ERRX?}
 * returns. Commands without a reply are therefore sent together with {@code ERRX?} in one write;
 * a query that gets no reply within its timeout is followed by {@code ERRX?}: an error there is the
 * query's error ({@link InstrumentErrorException} naming the query), no error means the link lost
 * the reply ({@link LinkException}, the session reconnects after a device clear).
 */
public final class ParameterAnalyzer implements AutoCloseable {
    /**
     * @param format        data output format (FMT)
     * @param adcType       0 high-speed ADC, 1 high-resolution ADC (AAD, AIT)
     * @param adcMode       AIT mode: 0 auto, 1 manual, 2 power-line cycles
     * @param adcValue      AIT coefficient (for mode 2: number of power-line cycles)
     * @param measureTimeout longest wait for a measurement reply (TI, TV, XE)
     * @param parallel       {@code PAD 1}: the channels of one multi-channel measurement integrate
     *                       together; only channels on the high-speed ADC do (Command Reference
     *                       "PAD"), so it needs {@code adcType} 0
     */
    public record Settings(FlexFormat format, int adcType, int adcMode, int adcValue, Duration measureTimeout, boolean parallel) {
        public Settings {
            if (adcType != 0 && adcType != 1) {
                throw new IllegalArgumentException("ADC type must be 0 (high speed) or 1 (high resolution), got " + adcType);
            }
            if (parallel && adcType != 0) {
                throw new IllegalArgumentException("the B1500 measures in parallel (PAD 1) only the channels on the high-speed ADC;"
                        + " give ADC type 0 with parallel, or turn parallel off for the high-resolution ADC");
            }
            if (adcMode < 0 || adcMode > 3 || adcValue < 1 || adcValue > 1023) {
                throw new IllegalArgumentException("AIT mode must be 0..3 and its value 1..1023, got " + adcMode + "," + adcValue);
            }
        }

        /** Sequential measurement on the high-resolution ADC (no parallel mode). */
        public Settings(FlexFormat format, int adcType, int adcMode, int adcValue, Duration measureTimeout) {
            this(format, adcType, adcMode, adcValue, measureTimeout, false);
        }

        /** ASCII with header, high-resolution ADC at 1 PLC, channels measured one after the other. */
        public static Settings defaults() {
            return new Settings(FlexFormat.ASCII13_HEADER, 1, 2, 1, Duration.ofSeconds(30));
        }

        /**
         * The same integration on the high-speed ADC with the parallel mode on ({@code PAD 1}): a
         * multi-channel spot measurement takes one integration for all its channels.
         */
        public Settings inParallel() {
            return new Settings(format, 0, adcMode, adcValue, measureTimeout, true);
        }
    }

    private static final String NAME = "parameter analyzer";
    private final ScpiSession session;
    private final Settings settings;
    private final int[] channels;

    /** @param channels the SMU channels this driver enables (1..10; 102..1002 for sub-channels) */
    public ParameterAnalyzer(VisaAddress address, LinkOptions options, Settings settings, Transports.Opener opener, int... channels) {
        if (channels.length == 0) {
            throw new IllegalArgumentException("give at least one SMU channel");
        }
        for (int ch : channels) {
            checkChannel(ch);
        }
        this.channels = channels.clone();
        this.settings = settings;
        this.session = new ScpiSession(NAME, address, options, opener);
        session.onConnect(link -> command(link, setupCommands()));
    }

    /** Valid B1500 channel numbers: 1..10, and sub-channel 2 of a slot as slot * 100 + 2. */
    public static void checkChannel(int ch) {
        boolean main = ch >= 1 && ch <= 10;
        boolean sub = ch >= 102 && ch <= 1002 && ch % 100 == 2;
        if (!main && !sub) {
            throw new IllegalArgumentException("B1500 channel must be 1..10 or a sub-channel 102, 202, ... 1002, got " + ch);
        }
    }

    /** What is sent on every new connection; {@code AAD} takes one channel per command (Command Reference, AAD). */
    public String setupCommands() {
        String list = Arrays.stream(channels).mapToObj(Integer::toString).collect(Collectors.joining(","));
        StringBuilder b = new StringBuilder("FMT ").append(settings.format().code()).append(",0;AIT ").append(settings.adcType())
                .append(',').append(settings.adcMode()).append(',').append(settings.adcValue());
        for (int ch : channels) {
            b.append(";AAD ").append(ch).append(',').append(settings.adcType());
        }
        // PAD is set either way so that a connection finds the mode it needs whatever ran before
        return b.append(";PAD ").append(settings.parallel() ? 1 : 0).append(";CN ").append(list).toString();
    }

    /**
     * The modules installed ({@code UNT?}: {@code model,revision} for slots 1..10 separated by
     * {@code ;}, {@code 0,0} for an empty slot), index 0 = slot 1.
     */
    public String[] modules() {
        return session.call("UNT?", link -> parseModules(query(link, "UNT?", session.options().commandTimeout())));
    }

    static String[] parseModules(String reply) {
        String[] slots = reply.split(";", -1);
        if (slots.length < 1 || slots.length > 10) {
            throw new MalformedReplyException(reply, "model,revision for each of the B1500's slots in reply to UNT?");
        }
        String[] out = new String[slots.length];
        for (int i = 0; i < slots.length; i++) {
            String[] p = slots[i].trim().split(",", -1);
            if (p.length != 2 || !p[0].matches("[0-9A-Za-z]{1,12}") || !p[1].trim().matches("[0-9]{1,4}")) {
                throw new MalformedReplyException(reply, "model,revision for each of the B1500's slots in reply to UNT?");
            }
            out[i] = p[0].equals("0") ? null : p[0];
        }
        return out;
    }

    /** Refuses to run when a channel the wiring uses has no module in its slot, naming the slot. */
    public void checkModules() {
        String[] modules = modules();
        for (int ch : channels) {
            int slot = ch <= 10 ? ch : ch / 100;
            if (slot > modules.length || modules[slot - 1] == null) {
                throw new InstrumentErrorException(NAME, "UNT?", 121, "the wiring uses SMU channel " + ch + " but slot " + slot
                        + " of the B1500 is empty (UNT? lists " + String.join(";", Arrays.stream(modules).map(m -> m == null ? "-" : m)
                        .toList()) + "); cable the station as its station file says, or correct the file");
            }
        }
    }

    public ScpiSession session() {
        return session;
    }

    public Settings settings() {
        return settings;
    }

    /** Sends commands with no reply (separated by ;) with ERRX? and fails with the instrument's error. */
    static void command(ScpiSession.Link link, String commands) {
        ErrorReply e = AnalyzerReplies.parseError(link.sendAndQuery(commands, "ERRX?"), commands + "; ERRX?");
        if (e.code() != 0) {
            throw new InstrumentErrorException(NAME, commands, e.code(), e.message());
        }
    }

    /** A query; no reply in time is followed by ERRX? to tell a refused query from a lost reply. */
    String query(ScpiSession.Link link, String command, Duration timeout) {
        try {
            String reply = link.query(command, timeout);
            if (AnalyzerReplies.isError(reply)) {
                throw new MalformedReplyException(reply, "data in reply to '" + command + "' (an error reply is out of step)");
            }
            return reply;
        } catch (LinkException e) {
            if (!e.timedOut()) {
                throw e;
            }
            ErrorReply queued;
            try {
                queued = AnalyzerReplies.parseError(link.query("ERRX?"), "ERRX?");
            } catch (LinkException | MalformedReplyException second) {
                throw e; // ERRX? does not answer either: the link is broken
            }
            if (queued.code() != 0) {
                throw new InstrumentErrorException(NAME, command, queued.code(), queued.message());
            }
            throw e;
        }
    }

    public String identify() {
        return session.call("*IDN?", link -> {
            String idn = link.query("*IDN?");
            if (idn.isBlank() || !idn.chars().allMatch(c -> c >= 0x20 && c < 0x7f) || AnalyzerReplies.isError(idn)) {
                throw new MalformedReplyException(idn, "an identification string");
            }
            return idn;
        });
    }

    public ErrorReply queryError() {
        return session.call("ERRX?", link -> AnalyzerReplies.parseError(link.query("ERRX?"), "ERRX?"));
    }

    public static String dv(int ch, double volts, double complianceAmps) {
        return String.format(Locale.ROOT, "DV %d,0,%s,%s", ch, num(volts), num(complianceAmps));
    }

    public static String di(int ch, double amps, double complianceVolts) {
        return String.format(Locale.ROOT, "DI %d,0,%s,%s", ch, num(amps), num(complianceVolts));
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v).replace('e', 'E');
    }

    /** Forces voltages (DV) on channels: {@code volts[i]} on {@code chs[i]} with a current compliance. */
    public void forceVoltages(int[] chs, double[] volts, double complianceAmps) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < chs.length; i++) {
            b.append(i > 0 ? ";" : "").append(dv(chs[i], volts[i], complianceAmps));
        }
        String cmd = b.toString();
        session.call(cmd, link -> {
            command(link, cmd);
            return null;
        });
    }

    /** Spot current (TI) under the voltage the unit forces first: {@code setup} are DV commands. */
    public DataItem spotCurrent(String setup, int ch) {
        String ti = "TI " + ch;
        return session.call(ti, link -> {
            if (!setup.isEmpty()) {
                command(link, setup);
            }
            return AnalyzerReplies.parseItem(query(link, ti, settings.measureTimeout()), settings.format(), ti);
        });
    }

    /** Forces a current (DI) and measures the voltage (TV) on one channel. */
    public DataItem spotVoltage(String setup, int ch, double amps, double complianceVolts) {
        String tv = "TV " + ch;
        return session.call(tv, link -> {
            command(link, (setup.isEmpty() ? "" : setup + ";") + di(ch, amps, complianceVolts));
            return AnalyzerReplies.parseItem(query(link, tv, settings.measureTimeout()), settings.format(), tv);
        });
    }

    /** Multi-channel spot measurement: {@code MM 1,ch...} then {@code XE}, one item per channel. */
    public List<DataItem> multiSpot(String setup, int[] chs) {
        String mm = "MM 1," + Arrays.stream(chs).mapToObj(Integer::toString).collect(Collectors.joining(","));
        return session.call("XE (" + mm + ")", link -> {
            command(link, (setup.isEmpty() ? "" : setup + ";") + mm);
            return AnalyzerReplies.parseItems(query(link, "XE", settings.measureTimeout()), chs.length, settings.format(), "XE");
        });
    }

    /**
     * One SMU voltage pulse (pulsed spot measurement, MM 3): {@code PT} hold, width, period;
     * {@code PV} base and pulse level with a current compliance; {@code XE} applies it and returns
     * the current measured during the pulse. Never repeated by the session: a lost reply goes to
     * the caller, which reads the cell to find out whether the pulse was applied.
     */
    public DataItem pulse(String setup, int ch, double baseVolts, double pulseVolts, double widthSeconds, double complianceAmps) {
        String pt = String.format(Locale.ROOT, "PT 0,%s,%s", num(widthSeconds), num(Math.max(2 * widthSeconds, 5e-3)));
        String pv = String.format(Locale.ROOT, "PV %d,0,%s,%s,%s", ch, num(baseVolts), num(pulseVolts), num(complianceAmps));
        String all = (setup.isEmpty() ? "" : setup + ";") + pt + ";" + pv + ";MM 3," + ch;
        // the setup changes nothing on the device and is safe to repeat; XE applies the pulse and is sent once
        session.call(pv, link -> {
            command(link, all);
            return null;
        });
        return session.callOnce("XE (pulse " + pv + ")",
                link -> AnalyzerReplies.parseItem(query(link, "XE", settings.measureTimeout()), settings.format(), "XE"));
    }

    /**
     * A staircase sweep (MM 2): {@code WV} sweeps channel {@code ch} from {@code start} to
     * {@code stop} in {@code steps} steps, {@code WT} sets hold and delay; XE returns, per step,
     * one item per measured channel.
     */
    public List<DataItem> voltageSweep(String setup, int ch, double start, double stop, int steps, double complianceAmps,
                                       double holdSeconds, double delaySeconds, int[] measured) {
        if (steps < 1 || steps > 10001) {
            throw new IllegalArgumentException("a sweep has 1..10001 steps, got " + steps);
        }
        String wt = String.format(Locale.ROOT, "WT %s,%s", num(holdSeconds), num(delaySeconds));
        String wv = String.format(Locale.ROOT, "WV %d,1,0,%s,%s,%d,%s", ch, num(start), num(stop), steps, num(complianceAmps));
        String mm = "MM 2," + Arrays.stream(measured).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String all = (setup.isEmpty() ? "" : setup + ";") + wt + ";" + wv + ";" + mm;
        return session.call("sweep " + wv, link -> {
            command(link, all);
            return AnalyzerReplies.parseItems(query(link, "XE", settings.measureTimeout()), steps * measured.length,
                    settings.format(), "XE");
        });
    }

    /**
     * A staircase current sweep (MM 2 with {@code WI}): channel {@code ch} forces {@code start} to
     * {@code stop} amps in {@code steps} steps with a voltage compliance; per step one item per
     * measured channel (the forcing channel's own item is its voltage).
     */
    public List<DataItem> currentSweep(String setup, int ch, double start, double stop, int steps, double complianceVolts,
                                       int[] measured) {
        if (steps < 1 || steps > 10001) {
            throw new IllegalArgumentException("a sweep has 1..10001 steps, got " + steps);
        }
        String wi = String.format(Locale.ROOT, "WI %d,1,0,%s,%s,%d,%s", ch, num(start), num(stop), steps, num(complianceVolts));
        String mm = "MM 2," + Arrays.stream(measured).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String all = (setup.isEmpty() ? "" : setup + ";") + "WT 0,0;" + wi + ";" + mm;
        return session.call("sweep " + wi, link -> {
            command(link, all);
            return AnalyzerReplies.parseItems(query(link, "XE", settings.measureTimeout()), steps * measured.length,
                    settings.format(), "XE");
        });
    }

    /** Sets every output to 0 V (DZ); best effort on the way out. */
    public void zero() {
        session.call("DZ", link -> {
            command(link, "DZ");
            return null;
        });
    }

    @Override
    public void close() {
        session.close();
    }
}
