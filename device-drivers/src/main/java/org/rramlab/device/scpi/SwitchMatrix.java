package org.rramlab.device.scpi;

import java.time.Duration;
import java.util.List;
import org.rramlab.device.visa.Transports;
import org.rramlab.device.visa.VisaAddress;

/**
 * Driver of a Keysight B2200A / B2201A or E5250A low-leakage switch matrix (SCPI, each one's
 * User's Guide chapter "SCPI Command Reference"), one VISA address.
 *
 * <p>Both mainframes hold up to four cards of 12 outputs (B2210A/B2211A on the B2200A/B2201A,
 * E5252A on the E5250A); the inputs are the mainframe's: 14 on a B2200A/B2201A, 10 on an E5250A.
 * A relay is a channel {@code ciioo}. In the <em>normal</em> configuration mode ({@code :ROUT:FUNC
 * NCON}) each card is its own matrix: card c 1..4, output oo 01..12. In the <em>auto</em>
 * configuration mode ({@code :ROUT:FUNC ACON}, what QCoDeS's driver uses) the cards act as one:
 * card 0, outputs 01..12 x cards. {@link #route} opens every relay ({@code :ROUT:OPEN:CARD ALL})
 * and closes the list ({@code :ROUT:CLOS (@...)}), then {@code *OPC?} waits until the relays have
 * moved and {@code :SYST:ERR?} must be empty; then the driver waits the settle time before anything
 * is measured. On connect: {@code *RST} not sent (relays of a running station stay); the
 * configuration mode ({@code :ROUT:FUNC}), and for each card (0 in auto mode) the free connection
 * rule, break-before-make, ground mode and bias mode off (so no relay closes that the route does
 * not name).
 */
public final class SwitchMatrix implements AutoCloseable {
    /** Outputs of one card (B2210A/B2211A, E5252A). */
    public static final int OUTPUTS_PER_CARD = 12;

    /** One relay as the instrument numbers it: card (0 in auto mode), input, output of that card (or of all in auto mode). */
    public record Channel(int card, int input, int output) {
        public Channel {
            if (card < 0 || card > 4 || input < 1 || input > 14 || output < 1 || output > 4 * OUTPUTS_PER_CARD
                    || (card > 0 && output > OUTPUTS_PER_CARD)) {
                throw new IllegalArgumentException("matrix channel needs card 1..4 with output 1..12 (normal mode) or card 0 with"
                        + " output 1..48 (auto mode), input 1..14; got " + card + "," + input + "," + output);
            }
        }

        public String code() {
            return card + (input < 10 ? "0" : "") + input + (output < 10 ? "0" : "") + output;
        }
    }

    /** The mainframe: its inputs. */
    public enum Model {
        B2200A(14), E5250A(10);

        private final int inputs;

        Model(int inputs) {
            this.inputs = inputs;
        }

        public int inputs() {
            return inputs;
        }
    }

    /** Channel configuration mode ({@code :ROUT:FUNC}): each card separate, or all cards as one (card 0). */
    public enum Mode {
        NORMAL("NCON"), AUTO("ACON");

        private final String scpi;

        Mode(String scpi) {
            this.scpi = scpi;
        }

        public String scpi() {
            return scpi;
        }
    }

    /** What is installed and how it is configured; turns a station-wide output number (1..12 x cards) into a channel. */
    public record Layout(Model model, int cards, Mode mode) {
        public Layout {
            if (cards < 1 || cards > 4) {
                throw new IllegalArgumentException("a " + model + " holds 1..4 cards, got " + cards);
            }
        }

        public static Layout defaults() {
            return new Layout(Model.B2200A, 4, Mode.AUTO);
        }

        /** Outputs of all cards: 12 per card. */
        public int outputs() {
            return cards * OUTPUTS_PER_CARD;
        }

        /** The relay of an input and a station-wide output 1..outputs(). */
        public Channel channel(int input, int output) {
            if (input < 1 || input > model.inputs()) {
                throw new IllegalArgumentException("input " + input + " is beyond the " + model + "'s " + model.inputs() + " inputs");
            }
            if (output < 1 || output > outputs()) {
                throw new IllegalArgumentException("output " + output + " is beyond the " + outputs() + " outputs of " + cards
                        + " card(s) of " + OUTPUTS_PER_CARD);
            }
            return mode == Mode.AUTO ? new Channel(0, input, output)
                    : new Channel((output - 1) / OUTPUTS_PER_CARD + 1, input, (output - 1) % OUTPUTS_PER_CARD + 1);
        }

        /** The card numbers the setup commands address: 0 in auto mode, 1..cards in normal mode. */
        int[] cardNumbers() {
            if (mode == Mode.AUTO) {
                return new int[] {0};
            }
            int[] c = new int[cards];
            for (int i = 0; i < cards; i++) {
                c[i] = i + 1;
            }
            return c;
        }
    }

    private static final String NAME = "switch matrix";
    private final ScpiSession session;
    private final Layout layout;
    private final Duration settle;
    private final Duration relayTimeout;
    private long routes;

    public SwitchMatrix(VisaAddress address, LinkOptions options, Layout layout, Duration settle, Transports.Opener opener) {
        this.layout = layout;
        this.settle = settle;
        this.relayTimeout = options.commandTimeout();
        this.session = new ScpiSession(NAME, address, options, opener);
        session.onConnect(link -> commands(link, setupCommands()));
    }

    public String setupCommands() {
        StringBuilder b = new StringBuilder("*CLS;:ROUT:FUNC ").append(layout.mode().scpi());
        for (int c : layout.cardNumbers()) {
            b.append(";:ROUT:CONN:RULE ").append(c).append(",FREE;:ROUT:CONN:SEQ ").append(c).append(",BBM;:ROUT:AGND ")
                    .append(c).append(",OFF;:ROUT:BIAS ").append(c).append(",OFF");
        }
        return b.toString();
    }

    public ScpiSession session() {
        return session;
    }

    public Layout layout() {
        return layout;
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
