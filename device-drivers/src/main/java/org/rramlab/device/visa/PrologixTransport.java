package org.rramlab.device.visa;

import java.time.Duration;

/**
 * A Prologix-style GPIB-Ethernet adapter: a raw socket (port 1234) carrying instrument messages
 * and {@code ++} commands to the adapter. On connect: controller mode, no auto read after a write
 * ({@code ++auto 0}, so commands without a reply do not time out on the bus), EOI asserted on the
 * last byte, LF appended ({@code ++eos 2}), then the instrument's address ({@code ++addr}).
 * A read asks the adapter to read until EOI ({@code ++read eoi}); {@code ++clr} is the device clear.
 *
 * <p>The adapter's read timeout ({@code ++read_tmo_ms}) is at most 3000 ms and counts between
 * characters: an instrument that takes longer to start its reply (an {@code XE} of many
 * integrations, a prober step) makes the adapter give up and send nothing. So a read waits one
 * adapter window at a time and asks again ({@code ++read eoi}) until its own deadline; bytes of a
 * line already received are kept.
 */
public final class PrologixTransport implements Transport {
    /** The longest {@code ++read_tmo_ms} the adapter takes (Prologix manual, "++read_tmo_ms": 1 to 3000). */
    public static final int MAX_READ_TIMEOUT_MS = 3000;
    private final SocketTransport socket;
    private final int gpibAddress;
    private final Duration window;

    private PrologixTransport(SocketTransport socket, int gpibAddress, Duration window) {
        this.socket = socket;
        this.gpibAddress = gpibAddress;
        this.window = window;
    }

    public static PrologixTransport open(VisaAddress.Prologix address, Transports.Settings settings) {
        return open(address, settings, MAX_READ_TIMEOUT_MS);
    }

    /** With the adapter's read timeout {@code readTimeoutMs} (1..3000). */
    static PrologixTransport open(VisaAddress.Prologix address, Transports.Settings settings, int readTimeoutMs) {
        if (readTimeoutMs < 1 || readTimeoutMs > MAX_READ_TIMEOUT_MS) {
            throw new IllegalArgumentException("++read_tmo_ms takes 1..3000 ms, got " + readTimeoutMs);
        }
        SocketTransport s = SocketTransport.open(address.host(), address.port(), settings.connectTimeout(), settings.maxLineLength());
        try {
            s.write("++savecfg 0\n++mode 1\n++auto 0\n++eoi 1\n++eos 2\n++eot_enable 0\n++read_tmo_ms " + readTimeoutMs + "\n++addr "
                    + address.gpibAddress() + "\n");
        } catch (TransportException e) {
            s.close();
            throw e;
        }
        // one window: the adapter's timeout and a margin for the network and the adapter's own turn-around
        return new PrologixTransport(s, address.gpibAddress(), Duration.ofMillis(readTimeoutMs + Math.max(100, readTimeoutMs / 5)));
    }

    @Override
    public String where() {
        return "Prologix adapter " + socket.where() + " GPIB " + gpibAddress;
    }

    /** Instrument text with a leading + or an ESC would be taken by the adapter: escape as its manual says. */
    @Override
    public void write(String text) {
        StringBuilder b = new StringBuilder(text.length() + 4);
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("++")) {
                b.append('\u001b');
            }
            b.append(line).append('\n');
        }
        socket.write(b.toString());
    }

    @Override
    public String readLine(Duration timeout, String command) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            socket.write("++read eoi\n");
            Duration wait = Duration.ofNanos(Math.max(1_000_000L, Math.min(left, window.toNanos())));
            try {
                return socket.readLine(wait, command);
            } catch (TransportException e) {
                if (!e.timedOut() || deadline - System.nanoTime() <= 0) {
                    if (e.timedOut()) {
                        throw new TransportException("no reply from " + where() + " to '" + command + "' within " + timeout.toMillis()
                                + " ms (asked the adapter to read every " + window.toMillis() + " ms)", true, e);
                    }
                    throw e;
                }
                // the adapter's read timed out between characters; ask it to read again
            }
        }
    }

    @Override
    public void clear(Duration timeout) {
        socket.write("++clr\n");
        socket.clear(timeout);
    }

    @Override
    public void close() {
        socket.close();
    }
}
