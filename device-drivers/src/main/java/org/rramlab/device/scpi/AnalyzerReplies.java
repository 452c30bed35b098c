package org.rramlab.device.scpi;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers and formatters of the B1500's replies.
 *
 * <ul>
 *   <li>data item (FMT 1, 11): status letter ({@link MeasurementStatus}), channel letter (A..J =
 *       channel 1..10, a..j = sub-channel 2 of the module in slot 1..10, Z = no channel), data type
 *       (I current, V voltage, T time stamp, X index...), then a signed number:
 *       {@code NAI+012.345E-06}; an overflow is {@code VAI+199.999E+99};</li>
 *   <li>without header (FMT 2, 12): the number alone;</li>
 *   <li>data list: items separated by commas (several channels, sweep steps);</li>
 *   <li>error: {@code code,"message"} ({@code +0,"No Error."}), the answer to {@code ERRX?}.</li>
 * </ul>
 * Every parser returns a value or throws {@link MalformedReplyException}; the patterns are
 * anchored, without nested repetition.
 */
public final class AnalyzerReplies {
    public static final double OVERFLOW_VALUE = 199.999E+99;
    private static final Pattern NUMBER = Pattern.compile("[+-][0-9]{1,4}\\.[0-9]{1,6}E[+-][0-9]{2}");
    private static final Pattern ERROR = Pattern.compile("([+-]?[0-9]{1,6}),\"([ -!#-~]{0,200})\"");

    private AnalyzerReplies() {}

    /** One data item of a measurement; {@code channel} is the channel number (101.. for sub-channels, 0 for none). */
    public record DataItem(MeasurementStatus status, int channel, char type, double value) {
        public boolean ok() {
            return status.valid();
        }

        /** Formats as the instrument does in {@code format}. */
        public String format(FlexFormat format) {
            String number = engineering(value, format.decimals());
            return format.header() ? String.valueOf(status.letter()) + channelLetter(channel) + type + number : number;
        }
    }

    /** The answer to ERRX?. */
    public record ErrorReply(int code, String message) {
        public String format() {
            return (code >= 0 ? "+" : "") + code + ",\"" + message + "\"";
        }
    }

    /** Channel letter of the data header: A..J for channels 1..10, a..j for sub-channel 2 (102..1002). */
    public static char channelLetter(int channel) {
        if (channel >= 1 && channel <= 10) {
            return (char) ('A' + channel - 1);
        }
        if (channel >= 102 && channel <= 1002 && channel % 100 == 2) {
            return (char) ('a' + channel / 100 - 1);
        }
        return 'Z';
    }

    public static int channelOf(char letter) {
        if (letter >= 'A' && letter <= 'J') {
            return letter - 'A' + 1;
        }
        if (letter >= 'a' && letter <= 'j') {
            return (letter - 'a' + 1) * 100 + 2;
        }
        return letter == 'Z' ? 0 : -1;
    }

    /** True when a reply is an error reply rather than data (ERRX? answers, or a line out of step). */
    public static boolean isError(String reply) {
        return ERROR.matcher(reply).matches();
    }

    public static DataItem parseItem(String reply, FlexFormat format, String command) {
        return item(reply, reply, format, command);
    }

    /** A comma-separated list of exactly {@code expected} data items. */
    public static List<DataItem> parseItems(String reply, int expected, FlexFormat format, String command) {
        if (reply.length() > expected * 24 + 16) {
            throw new MalformedReplyException(reply, expected + " data items in reply to '" + command + "'");
        }
        List<DataItem> items = new ArrayList<>(expected);
        int start = 0;
        while (start <= reply.length()) {
            int comma = reply.indexOf(',', start);
            int end = comma < 0 ? reply.length() : comma;
            if (items.size() == expected) {
                throw new MalformedReplyException(reply, expected + " data items in reply to '" + command + "', got more");
            }
            items.add(item(reply.substring(start, end), reply, format, command));
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        if (items.size() != expected) {
            throw new MalformedReplyException(reply, expected + " data items in reply to '" + command + "', got " + items.size());
        }
        return items;
    }

    private static DataItem item(String text, String whole, FlexFormat format, String command) {
        String number = text;
        MeasurementStatus status = MeasurementStatus.OK;
        int channel = 0;
        char type = 'I';
        if (format.header()) {
            if (text.length() < 4) {
                throw new MalformedReplyException(whole, "data items like NAI+012.345E-06 in reply to '" + command + "'");
            }
            status = MeasurementStatus.of(text.charAt(0));
            if (status == null) {
                throw new MalformedReplyException(whole, "a status letter N, T, C, V, X, G, S, U, D, W or E in reply to '" + command + "'");
            }
            channel = channelOf(text.charAt(1));
            if (channel < 0) {
                throw new MalformedReplyException(whole, "a channel letter A..J, a..j or Z in reply to '" + command + "'");
            }
            type = text.charAt(2);
            if ("IVTXFRZYPQDC".indexOf(type) < 0) {
                throw new MalformedReplyException(whole, "a data type letter (I current, V voltage, T time...) in reply to '" + command + "'");
            }
            number = text.substring(3);
        }
        Matcher m = NUMBER.matcher(number);
        if (!m.matches()) {
            throw new MalformedReplyException(whole, (format.header() ? "data items like NAI+012.345E-06" : "numbers like +012.345E-06")
                    + " in reply to '" + command + "'");
        }
        double value = Double.parseDouble(number);
        if (!format.header() && value >= OVERFLOW_VALUE) {
            status = MeasurementStatus.OVERFLOW;
        }
        return new DataItem(status, channel, type, value);
    }

    public static ErrorReply parseError(String reply, String command) {
        Matcher m = ERROR.matcher(reply);
        if (!m.matches()) {
            throw new MalformedReplyException(reply, "an error reply like +0,\"No Error.\" to '" + command + "'");
        }
        return new ErrorReply(Integer.parseInt(m.group(1)), m.group(2));
    }

    /** Engineering notation with 3 decimals: +012.345E-06. */
    public static String engineering(double value) {
        return engineering(value, 3);
    }

    /**
     * Engineering notation as the analyzer writes it: +012.345E-06 (3 decimals) or +012.3456E-06
     * (4), mantissa in [1, 1000). Written by hand: the emulator formats millions of values.
     */
    public static String engineering(double value, int decimals) {
        if (value >= OVERFLOW_VALUE) {
            return decimals == 3 ? "+199.999E+99" : "+199.9990E+99";
        }
        long unit = decimals == 3 ? 1000 : 10000;
        if (value == 0 || !Double.isFinite(value) || Math.abs(value) < 1e-96) {
            return decimals == 3 ? "+000.000E+00" : "+000.0000E+00";
        }
        double magnitude = Math.abs(value);
        int exponent = (int) Math.floor(Math.log10(magnitude) / 3) * 3;
        double mantissa = magnitude / Math.pow(10, exponent);
        long scaled = Math.round(mantissa * unit);
        if (scaled >= 1000 * unit) {
            exponent += 3;
            scaled = Math.round(mantissa * unit / 1000);
        } else if (scaled < unit) {
            exponent -= 3;
            scaled = Math.round(mantissa * unit * 1000);
        }
        StringBuilder b = new StringBuilder(14);
        b.append(value < 0 ? '-' : '+');
        long whole = scaled / unit;
        long fraction = scaled % unit;
        b.append((char) ('0' + whole / 100)).append((char) ('0' + whole / 10 % 10)).append((char) ('0' + whole % 10));
        b.append('.');
        for (long d = unit / 10; d >= 1; d /= 10) {
            b.append((char) ('0' + fraction / d % 10));
        }
        b.append('E').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        b.append((char) ('0' + e / 10 % 10)).append((char) ('0' + e % 10));
        return b.toString();
    }
}
