package org.rramlab.device.scpi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.rramlab.device.ArrayHealth.LinkState;

/**
 * A line-oriented session with one instrument over TCP, with reconnect.
 *
 * <p>Work is done in units ({@link #call}): a unit that fails on the link or on a malformed reply
 * is re-issued whole on a fresh connection, after an exponential, jittered wait, up to
 * {@link LinkOptions#maxAttempts()} tries; then a {@link LinkException} says what happened.
 * Units must therefore be safe to repeat (set the state they need, then measure). An error the
 * instrument reports ({@link InstrumentErrorException}) is not retried: repeating would not help.
 * After every new connection the {@linkplain #onConnect init step} runs first, so the instrument
 * is brought back to the state the driver relies on.
 */
public final class ScpiSession implements AutoCloseable {
    /** What a unit of work can do on the current connection. */
    public interface Link {
        /** Sends a command that has no reply. */
        void send(String command);

        /** Sends a command and returns its reply line. */
        String query(String command);

        /** Sends several lines at once and reads one reply (pipelining saves round trips). */
        String sendAndQuery(String command, String query);
    }

    private final String instrument;
    private final String host;
    private final int port;
    private final LinkOptions options;
    private volatile Consumer<Link> init;
    private LineConnection connection;
    private boolean everConnected;
    private volatile LinkState state = LinkState.RECONNECTING;
    private volatile String lastFailure = "";
    private long retries;
    private long reconnects;
    private final List<Long> recoveryNanos = new ArrayList<>();
    private boolean closed;

    public ScpiSession(String instrument, String host, int port, LinkOptions options) {
        this.instrument = instrument;
        this.host = host;
        this.port = port;
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
        return host + ":" + port;
    }

    public synchronized <T> T call(String what, Function<Link, T> unit) {
        if (closed) {
            throw new LinkException(instrument + " session to " + address() + " is closed; open a new one", 0, null);
        }
        long firstFailure = -1;
        for (int attempt = 1; ; attempt++) {
            if (attempt > 1) {
                pause(options.backoffMillis(attempt, ThreadLocalRandom.current().nextDouble()));
            }
            try {
                if (connection == null) {
                    connection = LineConnection.open(host, port, (int) options.connectTimeout().toMillis());
                    if (everConnected) {
                        reconnects++;
                    }
                    everConnected = true;
                    Consumer<Link> step = init;
                    if (step != null) {
                        try {
                            step.accept(link);
                        } catch (RuntimeException e) {
                            drop(); // a connection whose init did not finish must not be used
                            throw e;
                        }
                    }
                }
                T result = unit.apply(link);
                state = LinkState.CONNECTED;
                if (firstFailure >= 0) {
                    recoveryNanos.add(System.nanoTime() - firstFailure);
                }
                return result;
            } catch (LinkException | MalformedReplyException e) {
                drop();
                retries++;
                lastFailure = e.getMessage();
                if (firstFailure < 0) {
                    firstFailure = System.nanoTime();
                }
                state = LinkState.RECONNECTING;
                if (attempt >= options.maxAttempts()) {
                    state = LinkState.FAILED;
                    long ms = (System.nanoTime() - firstFailure) / 1_000_000L;
                    throw new LinkException(instrument + " at " + address() + ": " + what + " failed " + attempt
                            + " times over " + ms + " ms (last: " + e.getMessage() + "); check that the instrument is on "
                            + "and reachable at that address, then retry", attempt, e);
                }
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

    private final Link link = new Link() {
        @Override
        public void send(String command) {
            connection.send(command + options.terminator());
        }

        @Override
        public String query(String command) {
            connection.send(command + options.terminator());
            return connection.readLine(options.commandTimeout().toMillis(), options.maxLineLength(), command);
        }

        @Override
        public String sendAndQuery(String command, String query) {
            connection.send(command + options.terminator() + query + options.terminator());
            return connection.readLine(options.commandTimeout().toMillis(), options.maxLineLength(), command + "; " + query);
        }
    };

    private void drop() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    public LinkState state() {
        return state;
    }

    public String lastFailure() {
        return lastFailure;
    }

    /** Units re-issued after a link failure or malformed reply, since the session started. */
    public synchronized long retries() {
        return retries;
    }

    public synchronized long reconnects() {
        return reconnects;
    }

    /** For each recovered failure: nanoseconds from the first failure to the unit's success. */
    public synchronized List<Long> recoveryNanos() {
        return List.copyOf(recoveryNanos);
    }

    @Override
    public synchronized void close() {
        closed = true;
        drop();
    }
}
