package org.rramlab.device.visa;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Lines over a raw TCP socket (VISA SOCKET resources, the Prologix adapter). Every read has a
 * deadline and a bound on the line length, so a silent, trickling or flooding peer fails instead
 * of hanging. Bytes are ISO-8859-1, so any byte sequence decodes; the reply parsers judge content.
 */
public final class SocketTransport implements Transport {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String where;
    private final int maxLength;
    private final byte[] buffer = new byte[16384];
    private int position;
    private int limit;
    /** Bytes of a line whose end has not come yet; kept across a timed-out read (a polled read goes on with them). */
    private final StringBuilder line = new StringBuilder(64);

    private SocketTransport(Socket socket, String where, int maxLength) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.where = where;
        this.maxLength = maxLength;
    }

    public static SocketTransport open(String host, int port, Duration connectTimeout, int maxLength) {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, connectTimeout.toMillis()));
            return new SocketTransport(s, host + ":" + port, maxLength);
        } catch (IOException | IllegalArgumentException e) {
            closeQuietly(s);
            throw new TransportException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public void write(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new TransportException("lost the connection to " + where + " while sending: " + e.getMessage(), false, e);
        }
    }

    @Override
    public String readLine(Duration timeout, String command) {
        long timeoutMillis = timeout.toMillis();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            while (position < limit) {
                byte b = buffer[position++];
                if (b == '\n') {
                    int n = line.length();
                    if (n > 0 && line.charAt(n - 1) == '\r') {
                        line.setLength(n - 1);
                    }
                    String out = line.toString();
                    line.setLength(0);
                    return out;
                }
                if (line.length() >= maxLength) {
                    line.setLength(0);
                    throw new TransportException("reply from " + where + " to '" + command + "' exceeds " + maxLength
                            + " characters without a line end; the link is out of step", false, null);
                }
                line.append((char) (b & 0xff));
            }
            long remaining = (deadline - System.nanoTime()) / 1_000_000L;
            if (remaining <= 0) {
                throw timeout(timeoutMillis, command, null);
            }
            try {
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, remaining)));
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    throw new TransportException(where + " closed the connection before answering '" + command + "'", false, null);
                }
                position = 0;
                limit = n;
            } catch (SocketTimeoutException e) {
                throw timeout(timeoutMillis, command, e);
            } catch (IOException e) {
                throw new TransportException("lost the connection to " + where + " waiting for the reply to '" + command
                        + "': " + e.getMessage(), false, e);
            }
        }
    }

    /** A raw socket has no device clear message: drop whatever is buffered or arrives within the wait. */
    @Override
    public void clear(Duration timeout) {
        position = limit = 0;
        line.setLength(0);
        long deadline = System.nanoTime() + Math.min(timeout.toMillis(), 50) * 1_000_000L;
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout(10);
                if (in.read(buffer, 0, buffer.length) < 0) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // nothing more to drain
        }
        position = limit = 0;
    }

    private TransportException timeout(long timeoutMillis, String command, Throwable cause) {
        return new TransportException("no reply from " + where + " to '" + command + "' within " + timeoutMillis + " ms", true, cause);
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a broken socket: nothing left to do
        }
    }
}
