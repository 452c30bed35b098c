package org.rramlab.device.scpi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.rramlab.device.ArrayHealth.LinkState;
import org.rramlab.device.visa.Transport;
import org.rramlab.device.visa.TransportException;
import org.rramlab.device.visa.Transports;
import org.rramlab.device.visa.VisaAddress;

/**
 * A message session with one instrument at one VISA address, with reconnect.
 *
 * <p>Work is done in units. A {@link #call retried unit} that fails on the link or on a malformed
 * reply is re-issued whole on a fresh connection, after an exponential, jittered wait, up to
 * {@link LinkOptions#maxAttempts()} tries; units must be safe to repeat (set the state they need,
 * then measure). A {@link #callOnce single unit} (motion, a programming pulse) is never repeated:
 * its failure goes to the caller, which looks at the instrument's state and decides. An error the
 * instrument reports ({@link InstrumentErrorException}) is never retried. After a timeout the
 * instrument gets a device clear before the connection is dropped, so a late reply cannot be taken
 * for the answer to a later command. After every new connection the {@linkplain #onConnect init
 * step} runs first, bringing the instrument back to the state the driver relies on.
 */
public final class ScpiSession implements AutoCloseable {
    /** What a unit of work can do on the current connection. */
    public interface Link {
        /** Sends a command that has no reply. */
        void send(String command);

        /** Sends a command and returns its reply line within the session's command timeout. */
        String query(String command);

        /** Sends a command and returns its reply line within {@code timeout}. */
        String query(String command, Duration timeout);

        /** Sends several lines at once and reads one reply (pipelining saves round trips). */
        String sendAndQuery(String command, String query);

        /** Reads one more reply line. */
        String readLine(String command, Duration timeout);
    }

    private final String instrument;
    private final VisaAddress address;
    private final LinkOptions options;
    private final Transports.Opener opener;
    private volatile Consumer<Link> init;
    private Transport transport;
    private boolean everConnected;
    private volatile LinkState state = LinkState.RECONNECTING;
    private volatile String lastFailure = "";
    private long retries;
    private long reconnects;
    private long clears;
    private final List<Long> recoveryNanos = new ArrayList<>();
    private boolean closed;

    public ScpiSession(String instrument, VisaAddress address, LinkOptions options) {
        this(instrument, address, options, Transports::open);
    }

    public ScpiSession(String instrument, VisaAddress address, LinkOptions options, Transports.Opener opener) {
        this.opener = opener;
        this.instrument = instrument;
        this.address = address;
        this.options = options;
    }

    /** A step run on every new connection before any unit of work. */
    public void onConnect(Consumer<Link> step) {
        this.init = step;
    }

    public String instrument() {
        return instrument;
    }

    public String address() {
        return address.resource();
    }

    public LinkOptions options() {
        return options;
    }

    /** A unit re-issued on a new connection after a link failure or a malformed reply. */
    public synchronized <T> T call(String what, Function<Link, T> unit) {
        return run(what, unit, options.maxAttempts());
    }

    /** A unit run at most once: on a link failure the caller decides what happened. */
    public synchronized <T> T callOnce(String what, Function<Link, T> unit) {
        return run(what, unit, 1);
    }

    private <T> T run(String what, Function<Link, T> unit, int maxAttempts) {
        if (closed) {
            throw new LinkException(instrument + " session to " + address() + " is closed; open a new one", 0, null);
        }
        long firstFailure = -1;
        for (int attempt = 1; ; attempt++) {
            if (attempt > 1) {
                pause(options.backoffMillis(attempt, ThreadLocalRandom.current().nextDouble()));
            }
            try {
                connectIfNeeded();
                T result = unit.apply(link);
                state = LinkState.CONNECTED;
                if (firstFailure >= 0) {
                    recoveryNanos.add(System.nanoTime() - firstFailure);
                }
                return result;
            } catch (LinkException | MalformedReplyException e) {
                drop(e instanceof LinkException l && l.timedOut());
                retries++;
                lastFailure = e.getMessage();
                if (firstFailure < 0) {
                    firstFailure = System.nanoTime();
                }
                state = LinkState.RECONNECTING;
                if (attempt >= maxAttempts) {
                    if (maxAttempts == 1) {
                        throw e;
                    }
                    state = LinkState.FAILED;
                    long ms = (System.nanoTime() - firstFailure) / 1_000_000L;
                    throw new LinkException(instrument + " at " + address() + ": " + what + " failed " + attempt
                            + " times over " + ms + " ms (last: " + e.getMessage() + "); check that the instrument is on "
                            + "and reachable at that address, then retry", attempt, e);
                }
            }
        }
    }

    private void connectIfNeeded() {
        if (transport != null) {
            return;
        }
        try {
            transport = opener.open(address, new Transports.Settings(options.connectTimeout(), options.maxLineLength(),
                    options.portmapperPort()));
        } catch (TransportException e) {
            throw new LinkException(instrument + ": " + e.getMessage(), 0, e.timedOut(), e);
        }
        if (everConnected) {
            reconnects++;
        }
        everConnected = true;
        Consumer<Link> step = init;
        if (step != null) {
            try {
                step.accept(link);
            } catch (RuntimeException e) {
                drop(e instanceof LinkException l && l.timedOut()); // a connection whose init did not finish must not be used
                throw e;
            }
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkException(instrument + " at " + address() + ": interrupted while waiting to reconnect", 0, e);
        }
    }

    private static LinkException link(TransportException e) {
        return new LinkException(e.getMessage(), 0, e.timedOut(), e);
    }

    private final Link link = new Link() {
        @Override
        public void send(String command) {
            try {
                transport.write(command + options.terminator());
            } catch (TransportException e) {
                throw link(e);
            }
        }

        @Override
        public String query(String command) {
            return query(command, options.commandTimeout());
        }

        @Override
        public String query(String command, Duration timeout) {
            send(command);
            return readLine(command, timeout);
        }

        @Override
        public String sendAndQuery(String command, String query) {
            send(command + options.terminator() + query);
            return readLine(command + "; " + query, options.commandTimeout());
        }

        @Override
        public String readLine(String command, Duration timeout) {
            try {
                return transport.readLine(timeout, command);
            } catch (TransportException e) {
                throw link(e);
            }
        }
    };

    /** Drops the connection; after a timeout, first a device clear so that nothing stale stays queued. */
    private void drop(boolean timedOut) {
        if (transport == null) {
            return;
        }
        if (timedOut) {
            try {
                transport.clear(options.clearTimeout());
                clears++;
            } catch (TransportException ignored) {
                // the link is broken beyond a clear: the new connection starts clean
            }
        }
        transport.close();
        transport = null;
    }

    public LinkState state() {
        return state;
    }

    public String lastFailure() {
        return lastFailure;
    }

    /** Units re-issued or failed on the link, or answered with a malformed reply, since the session started. */
    public synchronized long retries() {
        return retries;
    }

    public synchronized long reconnects() {
        return reconnects;
    }

    /** Device clears sent after timeouts. */
    public synchronized long clears() {
        return clears;
    }

    /** For each recovered failure: nanoseconds from the first failure to the unit's success. */
    public synchronized List<Long> recoveryNanos() {
        return List.copyOf(recoveryNanos);
    }

    @Override
    public synchronized void close() {
        closed = true;
        drop(false);
    }
}
