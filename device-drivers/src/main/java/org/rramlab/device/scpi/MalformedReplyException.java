package org.rramlab.device.scpi;

/** A reply that is not in any form the instrument's protocol defines (garbled, truncated, foreign). */
public final class MalformedReplyException extends InstrumentException {
    private final String reply;

    public MalformedReplyException(String reply, String expected) {
        super("malformed reply '" + printable(reply) + "': expected " + expected, null);
        this.reply = reply;
    }

    public String reply() {
        return reply;
    }

    static String printable(String s) {
        if (s == null) {
            return "<none>";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 120; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return s.length() > 120 ? b + "...(" + s.length() + " chars)" : b.toString();
    }
}
