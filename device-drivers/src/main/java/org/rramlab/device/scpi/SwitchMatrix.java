package org.rramlab.device.scpi;

import java.time.Duration;
import java.util.List;
import org.rramlab.device.visa.Transports;
import org.rramlab.device.visa.VisaAddress;

/**
 * Driver of a Keysight B2200A / B2201A or E5250A low-leakage switch matrix (SCPI, each one's
 * User's Guide chapter "SCPI Command Reference"), one VISA address.
 *
 * <p>A connection is a channel {@code ciioo}: card c (1..4), input port ii (1..14 on the B2200A,
 * 1..10 on the E5250A), output port oo (1..48 on a B2200A card, 1..12 on an E5252A card).
 * {@link #route} opens every relay ({@code :ROUT:OPEN:CARD ALL}) and closes the list
 * ({@code :ROUT:CLOS (@...)}), then {@code *OPC?} waits until the relays have moved and
 * {@code :SYST:ERR?} must be empty; then the driver waits the settle time before anything is
 * measured. On connect: {@code *RST} not sent (relays of a running station stay); the free
 * connection rule ({@code :ROUT:CONN:RULE c,FREE}) on a B2200A, normal mode
 * ({@code :ROUT:FUNC NCON}) on an E5250A, break-before-make sequence on both.
 */
public final class SwitchMatrix implements AutoCloseable {
    /** One relay: card, input, output. */
    public record Channel(int card, int input, int output) {
        public Channel {
            if (card < 1 || card > 4 || input < 1 || input > 14 || output < 1 || output > 48) {
                throw new IllegalArgumentException("matrix channel needs card 1..4, input 1..14, output 1..48, got "
                        + card + "," + input + "," + output);
            }
        }

        public String code() {
            return card + (input < 10 ? "0" : "") + input + (output < 10 ? "0" : "") + output;
        }
    }

    public enum Model { B2200A, E5250A }

    private static final String NAME = "switch matrix";
    private final ScpiSession session;
    private final Model model;
    private final int cards;
    private final Duration settle;
    private final Duration relayTimeout;
    private long routes;

    public SwitchMatrix(VisaAddress address, LinkOptions options, Model model, int cards, Duration settle, Transports.Opener opener) {
        if (cards < 1 || cards > 4) {
            throw new IllegalArgumentException("a matrix holds 1..4 cards, got " + cards);
        }
        this.model = model;
        this.cards = cards;
        this.settle = settle;
        this.relayTimeout = options.commandTimeout();
        this.session = new ScpiSession(NAME, address, options, opener);
        session.onConnect(link -> commands(link, setupCommands()));
    }

    public String setupCommands() {
        StringBuilder b = new StringBuilder("*CLS");
        for (int c = 1; c <= cards; c++) {
            if (model == Model.E5250A) {
                b.append(c == 1 ? ";:ROUT:FUNC NCON" : "");
            } else {
                b.append(";:ROUT:CONN:RULE ").append(c).append(",FREE");
            }
            b.append(";:ROUT:CONN:SEQ ").append(c).append(",BBM");
        }
        return b.toString();
    }

    public ScpiSession session() {
        return session;
    }

    public Model model() {
        return model;
    }

    public Duration settle() {
        return settle;
    }

    /** Relay routings done since the driver started. */
    public synchronized long routes() {
        return routes;
    }

    public static String channelList(List<Channel> channels) {
        StringBuilder b = new StringBuilder("(@");
        for (int i = 0; i < channels.size(); i++) {
            b.append(i > 0 ? "," : "").append(channels.get(i).code());
        }
        return b.append(')').toString();
    }

    /** The commands that route exactly {@code closed} (every other relay open). */
    public static String routeCommands(List<Channel> closed) {
        return ":ROUT:OPEN:CARD ALL" + (closed.isEmpty() ? "" : ";:ROUT:CLOS " + channelList(closed));
    }

    /** Commands, then *OPC? (relays done) and :SYST:ERR? in the same write; both must answer cleanly. */
    void commands(ScpiSession.Link link, String commands) {
        link.send(commands);
        String opc = link.query("*OPC?", relayTimeout);
        if (!opc.equals("1")) {
            throw new MalformedReplyException(opc, "1 in reply to *OPC? after '" + commands + "'");
        }
        AnalyzerReplies.ErrorReply e = ScpiErrors.parse(link.query(":SYST:ERR?"), ":SYST:ERR?");
        if (e.code() != 0) {
            // drain the rest of the queue so the next check starts clean
            for (int i = 0; i < 32 && ScpiErrors.parse(link.query(":SYST:ERR?"), ":SYST:ERR?").code() != 0; i++) {
                // keep reading
            }
            throw new InstrumentErrorException(NAME, commands, e.code(), e.message());
        }
    }

    public String identify() {
        return session.call("*IDN?", link -> {
            String idn = link.query("*IDN?");
            if (idn.isBlank() || !idn.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new MalformedReplyException(idn, "an identification string");
            }
            return idn;
        });
    }

    /** Closes exactly these relays (all others open), waits for them and the settle time. Safe to repeat. */
    public void route(List<Channel> closed) {
        String cmd = routeCommands(closed);
        session.call(cmd, link -> {
            commands(link, cmd);
            return null;
        });
        synchronized (this) {
            routes++;
        }
        sleep(settle);
    }

    /** Opens every relay. */
    public void openAll() {
        session.call(":ROUT:OPEN:CARD ALL", link -> {
            commands(link, ":ROUT:OPEN:CARD ALL");
            return null;
        });
    }

    static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkException("interrupted while the matrix relays settle", 0, e);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
