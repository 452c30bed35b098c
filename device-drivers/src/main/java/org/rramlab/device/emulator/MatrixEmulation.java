package org.rramlab.device.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rramlab.device.scpi.Wiring;

/**
 * A B2200A (or E5250A) switch matrix speaking SCPI: long or short forms, several commands per
 * line separated by semicolons, errors in the queue for {@code :SYST:ERR?} (a failed command is not
 * answered). Channels {@code ciioo}: card 1..cards, input 1..14, output 1..48.
 */
final class MatrixEmulation implements Instrument {
    private final Station station;
    private final String identity;
    private final int cards;
    private final boolean e5250a;
    private final long relayMillis;
    private final ArrayDeque<String> errors = new ArrayDeque<>();

    MatrixEmulation(Station station, int cards, boolean e5250a, long relayMillis, long seed) {
        this.station = station;
        this.cards = cards;
        this.e5250a = e5250a;
        this.relayMillis = relayMillis;
        this.identity = e5250a ? "Agilent Technologies,E5250A,RRAMLAB-EMU-" + seed + ",B.01.00 (rramlab instrument emulator)"
                : "Agilent Technologies,B2200A,RRAMLAB-EMU-" + seed + ",1.0 (rramlab instrument emulator)";
    }

    private static final class Refused extends Exception {
        Refused(String error) {
            super(error, null, false, false);
        }
    }

    @Override
    public String internalError(String why) {
        queue("-300,\"Device-specific error; internal: " + why.replaceAll("[^ -~]", "?").replace('"', '\'') + "\"");
        return null;
    }

    private void queue(String e) {
        if (errors.size() < 30) {
            errors.add(e);
        }
    }

    /** SCPI short form of one header node: 4 letters, 3 when the fourth is a vowel; longer nodes only. */
    static String shortForm(String node) {
        String n = node.toUpperCase(Locale.ROOT);
        if (n.length() <= 4) {
            return n;
        }
        return "AEIOU".indexOf(n.charAt(3)) >= 0 ? n.substring(0, 3) : n.substring(0, 4);
    }

    static String header(String h) {
        boolean query = h.endsWith("?");
        String body = query ? h.substring(0, h.length() - 1) : h;
        if (body.startsWith(":")) {
            body = body.substring(1);
        }
        StringBuilder b = new StringBuilder();
        for (String node : body.split(":")) {
            b.append(b.length() > 0 ? ":" : "").append(shortForm(node));
        }
        String out = b.toString();
        if (out.startsWith("ROUT:")) {
            out = out.substring(5); // ROUTe is the default root
        }
        return query ? out + "?" : out;
    }

    @Override
    public String handle(String line) {
        StringBuilder replies = new StringBuilder();
        for (String part : line.split(";")) {
            String command = part.strip();
            if (command.isEmpty()) {
                continue;
            }
            int space = command.indexOf(' ');
            String h = header(space < 0 ? command : command.substring(0, space));
            String args = space < 0 ? "" : command.substring(space + 1).trim();
            try {
                String reply = one(h, args);
                if (reply != null) {
                    replies.append(replies.length() > 0 ? "\n" : "").append(reply);
                }
            } catch (Refused r) {
                queue(r.getMessage());
            }
        }
        return replies.length() == 0 ? null : replies.toString();
    }

    private String one(String h, String args) throws Refused {
        switch (h) {
            case "*IDN?":
                return identity;
            case "*OPC?":
                if (relayMillis > 0) {
                    try {
                        Thread.sleep(relayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return "1";
            case "SYST:ERR?": {
                String e = errors.poll();
                return e == null ? "+0,\"No error\"" : e;
            }
            case "*RST":
                station.relays.clear();
                return null;
            case "*CLS":
                errors.clear();
                return null;
            case "FUNC":
                if (!e5250a) {
                    throw new Refused("-113,\"Undefined header\"");
                }
                if (!args.equalsIgnoreCase("NCON") && !args.equalsIgnoreCase("ACON")) {
                    throw new Refused("-224,\"Illegal parameter value\"");
                }
                return null;
            case "CONN:RULE", "CONN:SEQ": {
                String[] a = args.split(",");
                if (a.length != 2) {
                    throw new Refused("-109,\"Missing parameter\"");
                }
                card(a[0], true);
                String v = a[1].trim().toUpperCase(Locale.ROOT);
                List<String> allowed = h.equals("CONN:RULE") ? List.of("FREE", "SROU", "SROUTE") : List.of("NSEQ", "BBM", "MBBR");
                if (!allowed.contains(v)) {
                    throw new Refused("-224,\"Illegal parameter value\"");
                }
                return null;
            }
            case "OPEN:CARD": {
                String a = args.trim().toUpperCase(Locale.ROOT);
                if (a.equals("ALL") || a.equals("0")) {
                    station.relays.clear();
                } else {
                    int c = card(a, false);
                    station.relays.removeIf(r -> (r % 1000 - 1) / Wiring.OUTPUTS_PER_CARD + 1 == c);
                }
                return null;
            }
            case "CLOS":
                station.relays.addAll(channels(args));
                return null;
            case "OPEN":
                station.relays.removeAll(channels(args));
                return null;
            case "CLOS?": {
                StringBuilder b = new StringBuilder();
                for (int r : channels(args)) b.append(b.length() > 0 ? "," : "").append(station.relays.contains(r) ? 1 : 0);
                return b.toString();
            }
            case "CLOS:CARD?": {
                int c = card(args, true);
                StringBuilder b = new StringBuilder("(@");
                for (int r : station.relays) {
                    int output = r % 1000;
                    int card = (output - 1) / Wiring.OUTPUTS_PER_CARD + 1;
                    if (c == 0 || card == c) {
                        b.append(b.length() > 2 ? "," : "").append(card).append(String.format("%02d%02d", r / 1000,
                                (output - 1) % Wiring.OUTPUTS_PER_CARD + 1));
                    }
                }
                return b.append(')').toString();
            }
            default:
                throw new Refused("-113,\"Undefined header\"");
        }
    }

    private int card(String text, boolean zeroAllowed) throws Refused {
        try {
            int c = Integer.parseInt(text.trim());
            if ((c == 0 && zeroAllowed) || (c >= 1 && c <= cards)) {
                return c;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new Refused("-222,\"Data out of range\"");
    }

    /** A channel list (@ciioo,ciioo:ciioo...) as relay keys input * 1000 + global output. */
    private List<Integer> channels(String args) throws Refused {
        String a = args.trim();
        if (!a.startsWith("(@") || !a.endsWith(")")) {
            throw new Refused("-109,\"Missing parameter\"");
        }
        List<Integer> out = new ArrayList<>();
        for (String item : a.substring(2, a.length() - 1).split(",")) {
            String[] range = item.trim().split(":");
            if (range.length > 2) {
                throw new Refused("-222,\"Data out of range\"");
            }
            int[] first = channel(range[0]);
            int[] last = range.length == 2 ? channel(range[1]) : first;
            if (first[0] != last[0]) {
                throw new Refused("-222,\"Data out of range\"");
            }
            for (int in = Math.min(first[1], last[1]); in <= Math.max(first[1], last[1]); in++) {
                for (int o = Math.min(first[2], last[2]); o <= Math.max(first[2], last[2]); o++) {
                    out.add(in * 1000 + (first[0] - 1) * Wiring.OUTPUTS_PER_CARD + o);
                }
            }
        }
        return out;
    }

    private int[] channel(String text) throws Refused {
        String t = text.trim();
        if (!t.matches("[0-9]{5}")) {
            throw new Refused("-222,\"Data out of range\"");
        }
        int c = t.charAt(0) - '0';
        int in = Integer.parseInt(t.substring(1, 3));
        int o = Integer.parseInt(t.substring(3, 5));
        if (c < 1 || c > cards || in < 1 || in > (e5250a ? 10 : 14) || o < 1 || o > (e5250a ? 12 : 48)) {
            throw new Refused("-222,\"Data out of range\"");
        }
        return new int[] {c, in, o};
    }
}
