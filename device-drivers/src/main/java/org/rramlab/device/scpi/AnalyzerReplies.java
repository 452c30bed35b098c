package org.rramlab.device.scpi;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers and formatters of the parameter analyzer's replies (B1500 FLEX style).
 *
 * <ul>
 *   <li>data item: status letter, channel letter (A = SMU1 ...), data type (I current, V voltage),
 *       then a signed number with a two- or three-digit exponent: {@code NAI+012.345E-06};
 *       an overflow is {@code VAI+199.999E+99};</li>
 *   <li>data list: items separated by commas (a row read);</li>
 *   <li>error: {@code code,"message"} ({@code 0,"No Error"}), the answer to {@code ERRX?} and, in
 *       this emulator, the answer to a measurement that could not run;</li>
 *   <li>program result: {@code pulses,cellsOutOfTolerance,seconds}.</li>
 * </ul>
 * Every parser either returns a value or throws {@link MalformedReplyException} or
 * {@link InstrumentErrorException}; the patterns are anchored, without nested repetition.
 */
public final class AnalyzerReplies {
    public static final double OVERFLOW_VALUE = 199.999E+99;
    private static final Pattern ITEM = Pattern.compile("([A-Z])([A-Z])([A-Z])([+-][0-9]{1,6}(?:\\.[0-9]{1,9})?E[+-][0-9]{2,3})");
    private static final Pattern ERROR = Pattern.compile("([+-]?[0-9]{1,6}),\"([ -!#-~]{0,200})\"");
    private static final Pattern PROGRAM = Pattern.compile("([0-9]{1,15}),([0-9]{1,9}),([0-9]{1,12}(?:\\.[0-9]{1,17})?(?:E[+-]?[0-9]{1,3})?)");

    private AnalyzerReplies() {}

    /** One data item of a measurement. */
    public record DataItem(MeasurementStatus status, char channel, char type, double value) {
        public boolean ok() {
            return status == MeasurementStatus.OK;
        }

        /** Formats as the instrument does: engineering notation, mantissa ddd.ddd. */
        public String format() {
            return String.valueOf(status.letter()) + channel + type + engineering(value);
        }
    }

    /** The answer to ERRX?. */
    public record ErrorReply(int code, String message) {
        public String format() {
            return code + ",\"" + message + "\"";
        }
    }

    /** The answer to a program command. */
    public record ProgramReply(long pulses, int cellsOutOfTolerance, double seconds) {
        public String format() {
            return pulses + "," + cellsOutOfTolerance + "," + Double.toString(seconds).replace('e', 'E');
        }
    }

    public static DataItem parseItem(String reply, String command) {
        failIfError(reply, command);
        return item(reply, reply, command);
    }

    /** A comma-separated list of exactly {@code expected} data items. */
    public static List<DataItem> parseItems(String reply, int expected, String command) {
        failIfError(reply, command);
        if (reply.length() > expected * 24 + 16) {
            throw new MalformedReplyException(reply, expected + " data items");
        }
        List<DataItem> items = new ArrayList<>(expected);
        int start = 0;
        while (start <= reply.length()) {
            int comma = reply.indexOf(',', start);
            int end = comma < 0 ? reply.length() : comma;
            if (items.size() == expected) {
                throw new MalformedReplyException(reply, expected + " data items, got more");
            }
            items.add(item(reply.substring(start, end), reply, command));
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        if (items.size() != expected) {
            throw new MalformedReplyException(reply, expected + " data items, got " + items.size());
        }
        return items;
    }

    private static DataItem item(String text, String whole, String command) {
        Matcher m = ITEM.matcher(text);
        if (!m.matches()) {
            throw new MalformedReplyException(whole, "data items like NAI+012.345E-06 in reply to '" + command + "'");
        }
        MeasurementStatus status = MeasurementStatus.of(m.group(1).charAt(0));
        if (status == null) {
            throw new MalformedReplyException(whole, "a status letter N, T, C, V, X, G or S");
        }
        char type = m.group(3).charAt(0);
        if (type != 'I' && type != 'V') {
            throw new MalformedReplyException(whole, "data type I (current) or V (voltage)");
        }
        double value = Double.parseDouble(m.group(4));
        if (!Double.isFinite(value)) {
            throw new MalformedReplyException(whole, "a finite value");
        }
        return new DataItem(status, m.group(2).charAt(0), type, value);
    }

    public static ErrorReply parseError(String reply) {
        Matcher m = ERROR.matcher(reply);
        if (!m.matches()) {
            throw new MalformedReplyException(reply, "an error reply like 0,\"No Error\"");
        }
        return new ErrorReply(Integer.parseInt(m.group(1)), m.group(2));
    }

    public static ProgramReply parseProgram(String reply, String command) {
        failIfError(reply, command);
        Matcher m = PROGRAM.matcher(reply);
        if (!m.matches()) {
            throw new MalformedReplyException(reply, "pulses,cellsOutOfTolerance,seconds in reply to '" + command + "'");
        }
        return new ProgramReply(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), Double.parseDouble(m.group(3)));
    }

    /** A data query that could not run is answered with the error instead of data. */
    private static void failIfError(String reply, String command) {
        if (reply.indexOf('"') >= 0) {
            ErrorReply e = parseError(reply);
            throw new InstrumentErrorException("parameter analyzer", command, e.code(), e.message());
        }
    }

    /**
     * Engineering notation as the analyzer writes it: +012.345E-06, mantissa in [1, 1000).
     * Written by hand rather than with String.format: the emulator formats millions of values.
     */
    public static String engineering(double value) {
        if (value >= OVERFLOW_VALUE) {
            return "+199.999E+99";
        }
        if (value == 0 || !Double.isFinite(value)) {
            return "+000.000E+00";
        }
        double magnitude = Math.abs(value);
        int exponent = (int) Math.floor(Math.log10(magnitude) / 3) * 3;
        double mantissa = magnitude / Math.pow(10, exponent);
        long scaled = Math.round(mantissa * 1000);
        if (scaled >= 1_000_000) {
            exponent += 3;
            scaled = Math.round(mantissa);
        } else if (scaled < 1000) {
            exponent -= 3;
            scaled = Math.round(mantissa * 1_000_000);
        }
        StringBuilder b = new StringBuilder(12);
        b.append(value < 0 ? '-' : '+');
        long whole = scaled / 1000;
        long fraction = scaled % 1000;
        b.append((char) ('0' + whole / 100)).append((char) ('0' + whole / 10 % 10)).append((char) ('0' + whole % 10));
        b.append('.');
        b.append((char) ('0' + fraction / 100)).append((char) ('0' + fraction / 10 % 10)).append((char) ('0' + fraction % 10));
        b.append('E').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (e >= 100) {
            b.append((char) ('0' + e / 100));
        }
        b.append((char) ('0' + e / 10 % 10)).append((char) ('0' + e % 10));
        return b.toString();
    }
}
