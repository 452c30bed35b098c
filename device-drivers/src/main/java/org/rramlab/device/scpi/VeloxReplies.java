package org.rramlab.device.scpi;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Framing of the FormFactor Velox message server (port 1412): a command is
 * {@code Cmd=<id>:<name>:<parameters>} and its reply {@code Rsp=<id>:<code>:<values>}, or
 * {@code Rsp=<id>:<code>} when there are no values, one line each; the id (1..999) pairs them. Code 0 is success; any other code is an error whose text is
 * in the values (703 is the end of the wafer map for the stepping commands). Values are separated
 * by spaces; a quoted value may hold spaces.
 */
public final class VeloxReplies {
    public static final int OK = 0;
    public static final int END_OF_WAFER = 703;
    private static final Pattern REPLY = Pattern.compile("Rsp=([0-9]{1,4}):([0-9]{1,5})(?::([ -~]{0,1000}))?");

    private VeloxReplies() {}

    public record Reply(int id, int code, String values) {
        public String format() {
            return "Rsp=" + id + ":" + code + ":" + values;
        }

        public List<String> tokens() {
            List<String> out = new ArrayList<>();
            String rest = values.trim();
            while (!rest.isEmpty()) {
                if (rest.startsWith("\"")) {
                    int end = rest.indexOf('"', 1);
                    if (end < 0) {
                        out.add(rest.substring(1));
                        break;
                    }
                    out.add(rest.substring(1, end));
                    rest = rest.substring(end + 1).trim();
                } else {
                    int sp = rest.indexOf(' ');
                    out.add(sp < 0 ? rest : rest.substring(0, sp));
                    rest = sp < 0 ? "" : rest.substring(sp + 1).trim();
                }
            }
            return out;
        }
    }

    public static String command(int id, String name, String parameters) {
        return "Cmd=" + id + ":" + name + ":" + parameters;
    }

    public static Reply parse(String reply, String command) {
        Matcher m = REPLY.matcher(reply);
        if (!m.matches()) {
            throw new MalformedReplyException(reply, "a Velox reply like Rsp=12:0:values to '" + command + "'");
        }
        // a reply without values may come in two parts, Rsp=id:code (Velox SCI reference, "Response format")
        return new Reply(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3) == null ? "" : m.group(3));
    }

    /** Exactly {@code n} leading integers. */
    public static int[] ints(Reply r, int n, String raw, String command) {
        List<String> t = r.tokens();
        if (t.size() < n) {
            throw new MalformedReplyException(raw, n + " integer values in reply to '" + command + "'");
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (!t.get(i).matches("-?[0-9]{1,9}")) {
                throw new MalformedReplyException(raw, n + " integer values in reply to '" + command + "'");
            }
            out[i] = Integer.parseInt(t.get(i));
        }
        return out;
    }

    /** Exactly {@code n} leading finite numbers. */
    public static double[] doubles(Reply r, int n, String raw, String command) {
        List<String> t = r.tokens();
        if (t.size() < n) {
            throw new MalformedReplyException(raw, n + " numbers in reply to '" + command + "'");
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            if (!t.get(i).matches("-?[0-9]{1,20}(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?")) {
                throw new MalformedReplyException(raw, n + " numbers in reply to '" + command + "'");
            }
            out[i] = Double.parseDouble(t.get(i));
        }
        return out;
    }
}
