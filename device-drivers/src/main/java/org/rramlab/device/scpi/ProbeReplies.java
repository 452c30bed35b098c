package org.rramlab.device.scpi;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parser of the probe station's replies (FormFactor Velox style): {@code <code>: <values>}.
 * Code 0 is success, 703 is "end of wafer" (a status of the stepping commands), any other code is
 * an error whose text follows the colon.
 */
public final class ProbeReplies {
    public static final int OK = 0;
    public static final int END_OF_WAFER = 703;
    private static final Pattern REPLY = Pattern.compile("([0-9]{1,4}):(?: ([ -~]{0,400}))?");

    private ProbeReplies() {}

    /** A reply: its code and the text after the colon (values or message). */
    public record Reply(int code, String values) {
        public String format() {
            return values.isEmpty() ? code + ":" : code + ": " + values;
        }

        public String[] tokens() {
            return values.isBlank() ? new String[0] : values.trim().split(" +");
        }
    }

    public static Reply parse(String reply) {
        Matcher m = REPLY.matcher(reply);
        if (!m.matches()) {
            throw new MalformedReplyException(reply, "a probe-station reply like '0: 1 0 0' or '703: End of wafer'");
        }
        return new Reply(Integer.parseInt(m.group(1)), m.group(2) == null ? "" : m.group(2));
    }

    /** Parses and fails with the station's error unless the code is 0 (or 703 when allowed). */
    public static Reply expect(String reply, String command, boolean endOfWaferAllowed) {
        Reply r = parse(reply);
        if (r.code() == OK || (endOfWaferAllowed && r.code() == END_OF_WAFER)) {
            return r;
        }
        throw new InstrumentErrorException("probe station", command, r.code(), r.values());
    }

    /** Exactly {@code n} integer values. */
    public static int[] ints(Reply r, int n, String raw) {
        String[] t = r.tokens();
        if (t.length != n) {
            throw new MalformedReplyException(raw, n + " integer values");
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (!t[i].matches("-?[0-9]{1,9}")) {
                throw new MalformedReplyException(raw, n + " integer values");
            }
            out[i] = Integer.parseInt(t[i]);
        }
        return out;
    }

    /** Exactly {@code n} finite decimal values. */
    public static double[] doubles(Reply r, int n, String raw) {
        String[] t = r.tokens();
        if (t.length != n) {
            throw new MalformedReplyException(raw, n + " numbers");
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            if (!t[i].matches("-?[0-9]{1,20}(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?")) {
                throw new MalformedReplyException(raw, n + " numbers");
            }
            out[i] = Double.parseDouble(t[i]);
        }
        return out;
    }
}
