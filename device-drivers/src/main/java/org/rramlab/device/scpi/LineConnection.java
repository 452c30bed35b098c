package org.rramlab.device.scpi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One TCP connection carrying lines. Every read has a deadline and a bound on the line length,
 * so a silent, trickling or flooding peer raises a {@link LinkException} instead of hanging.
 * Bytes are ISO-8859-1, so any byte sequence decodes; the reply parsers judge the content.
 */
final class LineConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String where;
    private final byte[] buffer = new byte[16384];
    private int position;
    private int limit;

    private LineConnection(Socket socket, String where) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.where = where;
    }

    static LineConnection open(String host, int port, int connectTimeoutMillis) throws LinkException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            return new LineConnection(s, host + ":" + port);
        } catch (IOException | IllegalArgumentException e) {
            closeQuietly(s);
            throw new LinkException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), 0, e);
        }
    }

    void send(String text) throws LinkException {
        try {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new LinkException("lost the connection to " + where + " while sending: " + e.getMessage(), 0, e);
        }
    }

    /** Reads one line (terminator LF, a CR before it is dropped) within the deadline. */
    String readLine(long timeoutMillis, int maxLength, String command) throws LinkException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        StringBuilder line = new StringBuilder(64);
        while (true) {
            while (position < limit) {
                byte b = buffer[position++];
                if (b == '\n') {
                    int n = line.length();
                    if (n > 0 && line.charAt(n - 1) == '\r') {
                        line.setLength(n - 1);
                    }
                    return line.toString();
                }
                if (line.length() >= maxLength) {
                    throw new LinkException("reply from " + where + " to '" + command + "' exceeds " + maxLength
                            + " characters without a line end; the link is out of step", 0, null);
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
                    throw new LinkException(where + " closed the connection before answering '" + command + "'", 0, null);
                }
                position = 0;
                limit = n;
            } catch (SocketTimeoutException e) {
                throw timeout(timeoutMillis, command, e);
            } catch (IOException e) {
                throw new LinkException("lost the connection to " + where + " waiting for the reply to '" + command
                        + "': " + e.getMessage(), 0, e);
            }
        }
    }

    private LinkException timeout(long timeoutMillis, String command, Throwable cause) {
        return new LinkException("no reply from " + where + " to '" + command + "' within " + timeoutMillis + " ms", 0, cause);
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a broken socket: nothing left to do
        }
    }
}
