package org.rramlab.device.visa;

import java.time.Duration;

/**
 * A Prologix-style GPIB-Ethernet adapter: a raw socket (port 1234) carrying instrument messages
 * and {@code ++} commands to the adapter. On connect: controller mode, no auto read after a write
 * ({@code ++auto 0}, so commands without a reply do not time out on the bus), EOI asserted on the
 * last byte, LF appended ({@code ++eos 2}), then the instrument's address ({@code ++addr}).
 * A read asks the adapter to read until EOI ({@code ++read eoi}); {@code ++clr} is the device clear.
 */
public final class PrologixTransport implements Transport {
    private final SocketTransport socket;
    private final int gpibAddress;

    private PrologixTransport(SocketTransport socket, int gpibAddress) {
        this.socket = socket;
        this.gpibAddress = gpibAddress;
    }

    public static PrologixTransport open(VisaAddress.Prologix address, Transports.Settings settings) {
        SocketTransport s = SocketTransport.open(address.host(), address.port(), settings.connectTimeout(), settings.maxLineLength());
        try {
            s.write("++savecfg 0\n++mode 1\n++auto 0\n++eoi 1\n++eos 2\n++eot_enable 0\n++read_tmo_ms 3000\n++addr "
                    + address.gpibAddress() + "\n");
        } catch (TransportException e) {
            s.close();
            throw e;
        }
        return new PrologixTransport(s, address.gpibAddress());
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
        socket.write("++read eoi\n");
        return socket.readLine(timeout, command);
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
