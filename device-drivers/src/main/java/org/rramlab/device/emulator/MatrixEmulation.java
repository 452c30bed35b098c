package org.rramlab.device.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.rramlab.device.scpi.SwitchMatrix;

/**
 * A B2200A (or E5250A) switch matrix speaking SCPI as its User's Guide ("SCPI Command Reference")
 * describes: long or short forms, optional nodes ({@code [:ROUTe]}, {@code [:STATe]},
 * {@code [:LIST]}), several commands per line separated by semicolons, errors in the queue for
 * {@code :SYST:ERR?} and in the standard event register for {@code *ESR?} (a failed command is not
 * answered).
 *
 * <p>Cards of 12 outputs, up to four; 14 inputs (E5250A: 10). Configuration mode ({@code
 * :ROUT:FUNC NCON|ACON}): in normal mode a channel is {@code ciioo} with card 1..cards and output
 * 01..12; in auto mode the cards are one, card 0, outputs 01..12 x cards. The per-card settings
 * (connection rule and sequence, bias and ground modes with their ports and enabled outputs, couple
 * mode) take card 0 or ALL in auto mode, 1..cards or ALL in normal mode. Ground mode connects each
 * ground-enabled output that no input is connected to, to the ground port (default 12); bias mode
 * likewise to the bias port (default 10); the station's circuit sees those connections.
 */
final class MatrixEmulation implements Instrument {
    private static final int OUT = SwitchMatrix.OUTPUTS_PER_CARD;
    private final Station station;
    private final String identity;
    private final int cards;
    private final int inputs;
    private final long relayMillis;
    private final ArrayDeque<String> errors = new ArrayDeque<>();
    private int esr;
    private boolean auto;
    /** Per card key (0 = all cards in auto mode, 1..4 in normal mode). */
    private final boolean[] singleRoute = new boolean[5];
    private final String[] sequence = new String[5];
    private final boolean[] biasOn = new boolean[5];
    private final int[] biasPort = new int[5];
    private final boolean[] groundOn = new boolean[5];
    private final int[] groundPort = new int[5];
    private final String[] unusedInputs = new String[5];
    private final boolean[] coupleOn = new boolean[5];
    private final String[] couplePorts = new String[5];
    /** Station-wide outputs (1..48) bias- or ground-enabled. */
    private final Set<Integer> biasEnabled = new TreeSet<>();
    private final Set<Integer> groundEnabled = new TreeSet<>();

    MatrixEmulation(Station station, int cards, boolean e5250a, long relayMillis, long seed) {
        if (cards < 1 || cards > 4) {
            throw new IllegalArgumentException("a matrix holds 1..4 cards, got " + cards);
        }
        this.station = station;
        this.cards = cards;
        this.inputs = e5250a ? SwitchMatrix.Model.E5250A.inputs() : SwitchMatrix.Model.B2200A.inputs();
        this.relayMillis = relayMillis;
        this.identity = e5250a ? "Agilent Technologies,E5250A,RRAMLAB-EMU-" + seed + ",B.01.00 (rramlab instrument emulator)"
                : "Agilent Technologies,B2200A,RRAMLAB-EMU-" + seed + ",1.0 (rramlab instrument emulator)";
        reset();
    }

    private void reset() {
        station.relays.clear();
        for (int c = 0; c <= 4; c++) {
            singleRoute[c] = false;
            sequence[c] = "BBM";
            biasOn[c] = false;
            biasPort[c] = 10;
            groundOn[c] = false;
            groundPort[c] = 12;
            unusedInputs[c] = "";
            coupleOn[c] = false;
            couplePorts[c] = "";
        }
        biasEnabled.clear();
        groundEnabled.clear();
    }

    private static final class Refused extends Exception {
        Refused(String error) {
            super(error, null, false, false);
        }
    }

    private static Refused undefinedHeader() {
        return new Refused("-113,\"Undefined header\"");
    }

    private static Refused outOfRange() {
        return new Refused("-222,\"Data out of range\"");
    }

    private static Refused illegalValue() {
        return new Refused("-224,\"Illegal parameter value\"");
    }

    private static Refused missing() {
        return new Refused("-109,\"Missing parameter\"");
    }

    @Override
    public String internalError(String why) {
        queue("-300,\"Device-specific error; internal: " + why.replaceAll("[^ -~]", "?").replace('"', '\'') + "\"");
        return null;
    }

    /** Queues an error and sets its bit in the standard event status register (IEEE 488.2). */
    private void queue(String e) {
        int code = Integer.parseInt(e.substring(0, e.indexOf(',')));
        esr |= code <= -100 && code > -200 ? 32 : code <= -200 && code > -300 ? 16 : code <= -300 && code > -400 ? 8 : 4;
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

    /** The header in short form without the optional nodes: ROUTe at the root, STATe and LIST at the end. */
    static String header(String h) {
        boolean query = h.endsWith("?");
        String body = query ? h.substring(0, h.length() - 1) : h;
        if (body.startsWith(":")) {
            body = body.substring(1);
        }
        List<String> nodes = new ArrayList<>();
        for (String node : body.split(":")) {
            nodes.add(shortForm(node));
        }
        if (nodes.size() > 1 && nodes.get(0).equals("ROUT")) {
            nodes.remove(0);
        }
        String last = nodes.get(nodes.size() - 1);
        if (nodes.size() > 1 && (last.equals("STAT") || last.equals("LIST"))) {
            nodes.remove(nodes.size() - 1);
        }
        String out = String.join(":", nodes);
        return query ? out + "?" : out;
    }

    @Override
    public String handle(String line) {
        String replies = CommandLine.repliesByHeader(line, (h, args) -> {
            try {
                return one(header(h), args);
            } catch (Refused r) {
                queue(r.getMessage());
                return null;
            }
        });
        refreshDefaultConnections();
        return replies;
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
            case "*ESR?": {
                int v = esr;
                esr = 0;
                return Integer.toString(v);
            }
            case "SYST:ERR?": {
                String e = errors.poll();
                return e == null ? "+0,\"No error\"" : e;
            }
            case "*RST":
                reset();
                return null;
            case "*CLS":
                errors.clear();
                esr = 0;
                return null;
            case "FUNC": {
                String v = args.toUpperCase(Locale.ROOT);
                if (!v.equals("NCON") && !v.equals("ACON")) {
                    throw illegalValue();
                }
                boolean toAuto = v.equals("ACON");
                if (toAuto != auto) {
                    auto = toAuto;
                    station.relays.clear(); // the channels change meaning: every relay opens
                }
                return null;
            }
            case "FUNC?":
                return auto ? "ACON" : "NCON";
            case "CONN:RULE": {
                String[] a = two(args);
                String v = a[1].toUpperCase(Locale.ROOT);
                if (!List.of("FREE", "SROU", "SROUTE").contains(v)) {
                    throw illegalValue();
                }
                for (int c : cards(a[0], true)) singleRoute[c] = !v.equals("FREE");
                return null;
            }
            case "CONN:RULE?":
                return singleRoute[card(args)] ? "SROU" : "FREE";
            case "CONN:SEQ": {
                String[] a = two(args);
                String v = a[1].toUpperCase(Locale.ROOT);
                if (!List.of("NSEQ", "BBM", "MBBR").contains(v)) {
                    throw illegalValue();
                }
                for (int c : cards(a[0], true)) sequence[c] = v;
                return null;
            }
            case "CONN:SEQ?":
                return sequence[card(args)];
            case "OPEN:CARD":
                for (int c : cards(args, true)) station.relays.removeIf(r -> onCard(r % 1000, c));
                return null;
            case "CLOS":
                for (int r : channels(args)) close(r);
                return null;
            case "OPEN":
                station.relays.removeAll(channels(args));
                return null;
            case "CLOS?", "OPEN?": {
                StringBuilder b = new StringBuilder();
                for (int r : channels(args)) {
                    boolean closed = station.relays.contains(r);
                    b.append(b.length() > 0 ? "," : "").append(closed == h.equals("CLOS?") ? 1 : 0);
                }
                return b.toString();
            }
            case "CLOS:CARD?": {
                int c = card(args);
                StringBuilder b = new StringBuilder("(@");
                for (int r : station.relays) {
                    int output = r % 1000;
                    if (onCard(output, c)) {
                        b.append(b.length() > 2 ? "," : "").append(code(r / 1000, output));
                    }
                }
                return b.append(')').toString();
            }
            case "BIAS", "AGND", "COUP": {
                String[] a = two(args);
                boolean on = onOff(a[1]);
                for (int c : cards(a[0], true)) {
                    (h.equals("BIAS") ? biasOn : h.equals("AGND") ? groundOn : coupleOn)[c] = on;
                }
                return null;
            }
            case "BIAS?":
                return biasOn[card(args)] ? "1" : "0";
            case "AGND?":
                return groundOn[card(args)] ? "1" : "0";
            case "COUP?":
                return coupleOn[card(args)] ? "1" : "0";
            case "BIAS:PORT", "AGND:PORT": {
                String[] a = two(args);
                int port = integer(a[1]);
                if (port != -1 && (port < 1 || port > inputs)) {
                    throw outOfRange();
                }
                for (int c : cards(a[0], true)) (h.equals("BIAS:PORT") ? biasPort : groundPort)[c] = port;
                return null;
            }
            case "BIAS:PORT?":
                return Integer.toString(biasPort[card(args)]);
            case "AGND:PORT?":
                return Integer.toString(groundPort[card(args)]);
            case "AGND:UNUS", "COUP:PORT": {
                String[] a = two(args);
                String list = unquote(a[1]);
                for (String p : list.isEmpty() ? new String[0] : list.split(",")) {
                    int port = integer(p);
                    boolean ok = h.equals("AGND:UNUS") ? port >= 1 && port <= 8 : port >= 1 && port < inputs && port % 2 == 1;
                    if (!ok) {
                        throw outOfRange();
                    }
                }
                for (int c : cards(a[0], true)) (h.equals("AGND:UNUS") ? unusedInputs : couplePorts)[c] = list;
                return null;
            }
            case "AGND:UNUS?":
                return "'" + unusedInputs[card(args)] + "'";
            case "COUP:PORT?":
                return "'" + couplePorts[card(args)] + "'";
            case "COUP:PORT:DET":
                return null; // no Kelvin cables on the emulated inputs: nothing detected
            case "BIAS:CHAN:ENAB", "BIAS:CHAN:DIS", "AGND:CHAN:ENAB", "AGND:CHAN:DIS": {
                Set<Integer> set = h.startsWith("BIAS") ? biasEnabled : groundEnabled;
                for (int r : channels(args)) {
                    if (h.endsWith("ENAB")) {
                        set.add(r % 1000);
                    } else {
                        set.remove(r % 1000);
                    }
                }
                return null;
            }
            case "BIAS:CHAN:ENAB:CARD", "BIAS:CHAN:DIS:CARD", "AGND:CHAN:ENAB:CARD", "AGND:CHAN:DIS:CARD": {
                Set<Integer> set = h.startsWith("BIAS") ? biasEnabled : groundEnabled;
                for (int c : cards(args, true)) {
                    for (int o = 1; o <= cards * OUT; o++) {
                        if (onCard(o, c)) {
                            if (h.contains("ENAB")) {
                                set.add(o);
                            } else {
                                set.remove(o);
                            }
                        }
                    }
                }
                return null;
            }
            case "BIAS:CHAN:ENAB?", "BIAS:CHAN:DIS?", "AGND:CHAN:ENAB?", "AGND:CHAN:DIS?": {
                Set<Integer> set = h.startsWith("BIAS") ? biasEnabled : groundEnabled;
                StringBuilder b = new StringBuilder();
                for (int r : channels(args)) {
                    b.append(b.length() > 0 ? "," : "").append(set.contains(r % 1000) == h.contains("ENAB") ? 1 : 0);
                }
                return b.toString();
            }
            default:
                throw undefinedHeader();
        }
    }

    /** Closes one relay; under the single-route rule, first opens what uses its input or output on that card. */
    private void close(int relay) {
        int output = relay % 1000;
        int key = auto ? 0 : (output - 1) / OUT + 1;
        if (singleRoute[key]) {
            int input = relay / 1000;
            station.relays.removeIf(r -> (r / 1000 == input && onCard(r % 1000, key)) || r % 1000 == output);
        }
        station.relays.add(relay);
    }

    /** Ground and bias modes: each enabled output that no input is connected to goes to the ground (bias) port. */
    private void refreshDefaultConnections() {
        station.defaultRelays.clear();
        Set<Integer> connected = new TreeSet<>();
        for (int r : station.relays) connected.add(r % 1000);
        for (int o = 1; o <= cards * OUT; o++) {
            int key = auto ? 0 : (o - 1) / OUT + 1;
            if (connected.contains(o)) {
                continue;
            }
            if (biasOn[key] && biasPort[key] > 0 && biasEnabled.contains(o)) {
                station.defaultRelays.add(biasPort[key] * 1000 + o);
            } else if (groundOn[key] && groundPort[key] > 0 && groundEnabled.contains(o)) {
                station.defaultRelays.add(groundPort[key] * 1000 + o);
            }
        }
    }

    private boolean onCard(int output, int card) {
        return card == 0 || (output - 1) / OUT + 1 == card;
    }

    private String code(int input, int output) {
        int card = auto ? 0 : (output - 1) / OUT + 1;
        int o = auto ? output : (output - 1) % OUT + 1;
        return card + String.format(Locale.ROOT, "%02d%02d", input, o);
    }

    private static String[] two(String args) throws Refused {
        int comma = args.indexOf(',');
        if (comma < 0) {
            throw missing();
        }
        return new String[] {args.substring(0, comma).trim(), args.substring(comma + 1).trim()};
    }

    private static String unquote(String s) {
        String t = s.trim();
        if (t.length() >= 2 && (t.startsWith("'") && t.endsWith("'") || t.startsWith("\"") && t.endsWith("\""))) {
            t = t.substring(1, t.length() - 1);
        }
        return t.replace(" ", "");
    }

    private static boolean onOff(String s) throws Refused {
        return switch (s.trim().toUpperCase(Locale.ROOT)) {
            case "1", "ON" -> true;
            case "0", "OFF" -> false;
            default -> throw illegalValue();
        };
    }

    private static int integer(String s) throws Refused {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new Refused("-104,\"Data type error\"");
        }
    }

    /** The card keys a setting names: 0 or ALL in auto mode; 1..cards or ALL in normal mode. */
    private int[] cards(String text, boolean allAllowed) throws Refused {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw missing();
        }
        if (t.equals("ALL") && allAllowed) {
            if (auto) {
                return new int[] {0};
            }
            int[] all = new int[cards];
            for (int c = 0; c < cards; c++) all[c] = c + 1;
            return all;
        }
        return new int[] {card(t)};
    }

    /** One card number for a query: 0 in auto mode, 1..cards in normal mode. */
    private int card(String text) throws Refused {
        int c = integer(text.isBlank() ? "x" : text);
        if (auto ? c != 0 : c < 1 || c > cards) {
            throw outOfRange();
        }
        return c;
    }

    /** A channel list (@ciioo,ciioo:ciioo...) as relay keys input * 1000 + station-wide output. */
    private List<Integer> channels(String args) throws Refused {
        String a = args.trim();
        if (!a.startsWith("(@") || !a.endsWith(")")) {
            throw missing();
        }
        List<Integer> out = new ArrayList<>();
        String body = a.substring(2, a.length() - 1).trim();
        if (body.isEmpty()) {
            return out;
        }
        for (String item : body.split(",")) {
            String[] range = item.trim().split(":");
            if (range.length > 2) {
                throw outOfRange();
            }
            int[] first = channel(range[0]);
            int[] last = range.length == 2 ? channel(range[1]) : first;
            if (first[0] != last[0]) {
                throw outOfRange();
            }
            for (int in = Math.min(first[1], last[1]); in <= Math.max(first[1], last[1]); in++) {
                for (int o = Math.min(first[2], last[2]); o <= Math.max(first[2], last[2]); o++) {
                    out.add(in * 1000 + (first[0] == 0 ? o : (first[0] - 1) * OUT + o));
                }
            }
        }
        return out;
    }

    /** Card, input, output of one channel, as the configuration mode allows them. */
    private int[] channel(String text) throws Refused {
        String t = text.trim();
        if (!t.matches("[0-9]{5}")) {
            throw outOfRange();
        }
        int c = t.charAt(0) - '0';
        int in = Integer.parseInt(t.substring(1, 3));
        int o = Integer.parseInt(t.substring(3, 5));
        boolean cardOk = auto ? c == 0 : c >= 1 && c <= cards;
        int outputs = auto ? cards * OUT : OUT;
        if (!cardOk || in < 1 || in > inputs || o < 1 || o > outputs) {
            throw outOfRange();
        }
        return new int[] {c, in, o};
    }
}
