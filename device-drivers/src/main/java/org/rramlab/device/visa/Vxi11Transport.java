package org.rramlab.device.visa;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A VXI-11 client: asks the host's portmapper (GETPORT) for the core channel, opens a link to the
 * device (create_link: inst0 on an LXI instrument, gpib0,17 on a LAN/GPIB gateway), then writes
 * and reads messages with device_write / device_read, clears with device_clear and closes with
 * destroy_link. Calls are ONC-RPC over TCP.
 */
public final class Vxi11Transport implements Transport {
    /** Extra time over an I/O timeout for the RPC reply itself to arrive. */
    private static final long RPC_SLACK_MILLIS = 2000;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String where;
    private final int maxLength;
    private final long link;
    private final int maxRecvSize;
    private long xid = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
    private final StringBuilder pending = new StringBuilder();

    private Vxi11Transport(Socket socket, String where, int maxLength, long link, int maxRecvSize) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.where = where;
        this.maxLength = maxLength;
        this.link = link;
        this.maxRecvSize = maxRecvSize;
    }

    public static Vxi11Transport open(String host, String device, int portmapperPort, Duration connectTimeout, int maxLength) {
        String where = "VXI-11 " + host + " device " + device;
        int corePort = getPort(host, portmapperPort, connectTimeout, where);
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(host, corePort), (int) Math.max(1, connectTimeout.toMillis()));
            s.setSoTimeout((int) Math.max(1, connectTimeout.toMillis()));
            InputStream sin = new BufferedInputStream(s.getInputStream());
            long x = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
            byte[] call = OncRpc.call(x, Vxi11.CORE_PROGRAM, Vxi11.CORE_VERSION, Vxi11.CREATE_LINK)
                    .u32(ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE)).u32(0).u32(0).string(device).bytes();
            OncRpc.writeRecord(s.getOutputStream(), call);
            byte[] reply = OncRpc.readRecord(sin);
            if (reply == null) {
                throw new IOException("the core channel closed before answering create_link");
            }
            Xdr.Reader r = OncRpc.results(reply, x, "create_link");
            long error = r.u32();
            long lid = r.u32();
            r.u32(); // abort port: this client never aborts, it clears
            long maxRecv = r.u32();
            if (error != Vxi11.OK) {
                throw new IOException("create_link to '" + device + "' failed: " + Vxi11.error(error));
            }
            Vxi11Transport t = new Vxi11Transport(s, where, maxLength, lid, (int) Math.max(64, Math.min(maxRecv, 1 << 20)));
            return t;
        } catch (IOException | IllegalArgumentException e) {
            SocketTransport.closeQuietly(s);
            throw new TransportException("cannot open " + where + " (core port " + corePort + "): " + e.getMessage(), false, e);
        }
    }

    /** Portmapper GETPORT for the VXI-11 core channel over TCP. */
    static int getPort(String host, int portmapperPort, Duration timeout, String where) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, portmapperPort), (int) Math.max(1, timeout.toMillis()));
            s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            long x = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
            byte[] call = OncRpc.call(x, OncRpc.PORTMAPPER_PROGRAM, OncRpc.PORTMAPPER_VERSION, OncRpc.PORTMAPPER_GETPORT)
                    .u32(Vxi11.CORE_PROGRAM).u32(Vxi11.CORE_VERSION).u32(OncRpc.IPPROTO_TCP).u32(0).bytes();
            OncRpc.writeRecord(s.getOutputStream(), call);
            byte[] reply = OncRpc.readRecord(new BufferedInputStream(s.getInputStream()));
            if (reply == null) {
                throw new IOException("the portmapper closed the connection without answering");
            }
            long port = OncRpc.results(reply, x, "portmapper GETPORT").u32();
            if (port == 0 || port > 65535) {
                throw new IOException("the portmapper knows no VXI-11 core channel (port " + port + ")");
            }
            return (int) port;
        } catch (IOException | IllegalArgumentException e) {
            throw new TransportException("cannot reach the portmapper of " + where + " at " + host + ":" + portmapperPort + ": "
                    + e.getMessage() + "; check the host, and that it speaks VXI-11 (else use a ::SOCKET address)", false, e);
        }
    }

    private Xdr.Reader rpc(int procedure, byte[] args, long waitMillis, String what) {
        long id = ++xid;
        Xdr.Writer call = OncRpc.call(id, Vxi11.CORE_PROGRAM, Vxi11.CORE_VERSION, procedure);
        byte[] header = call.bytes();
        byte[] body = new byte[header.length + args.length];
        System.arraycopy(header, 0, body, 0, header.length);
        System.arraycopy(args, 0, body, header.length, args.length);
        try {
            OncRpc.writeRecord(out, body);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, waitMillis + RPC_SLACK_MILLIS));
            while (true) {
                byte[] reply = OncRpc.readRecord(in);
                if (reply == null) {
                    throw new TransportException(where + " closed the core channel during " + what, false, null);
                }
                if (new Xdr.Reader(reply).u32() != id) {
                    continue; // the reply of an earlier call that had timed out
                }
                return OncRpc.results(reply, id, what);
            }
        } catch (SocketTimeoutException e) {
            throw new TransportException("no RPC reply from " + where + " to " + what + " within "
                    + (waitMillis + RPC_SLACK_MILLIS) + " ms", true, e);
        } catch (IOException | IllegalArgumentException e) {
            throw new TransportException("lost " + where + " during " + what + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public void write(String text) {
        byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int off = 0; off < data.length || off == 0; ) {
            int n = Math.min(maxRecvSize, data.length - off);
            byte[] chunk = java.util.Arrays.copyOfRange(data, off, off + n);
            boolean last = off + n >= data.length;
            byte[] args = new Xdr.Writer().u32(link).u32(10_000).u32(0).u32(last ? Vxi11.FLAG_END : 0).opaque(chunk).bytes();
            Xdr.Reader r = rpc(Vxi11.DEVICE_WRITE, args, 10_000, "device_write");
            long error = r.u32();
            if (error != Vxi11.OK) {
                throw new TransportException("device_write to " + where + " failed: " + Vxi11.error(error), error == Vxi11.IO_TIMEOUT, null);
            }
            off += n;
            if (data.length == 0) {
                break;
            }
        }
    }

    @Override
    public String readLine(Duration timeout, String command) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int nl = pending.indexOf("\n");
            if (nl >= 0) {
                String line = pending.substring(0, nl);
                pending.delete(0, nl + 1);
                return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            }
            long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
            if (deadline - System.nanoTime() <= 0) {
                throw new TransportException("no reply from " + where + " to '" + command + "' within " + timeout.toMillis() + " ms", true, null);
            }
            byte[] args = new Xdr.Writer().u32(link).u32(Math.min(maxLength, 1 << 20)).u32(remaining).u32(0)
                    .u32(Vxi11.FLAG_TERMCHRSET).u32('\n').bytes();
            Xdr.Reader r = rpc(Vxi11.DEVICE_READ, args, remaining, "device_read for '" + command + "'");
            long error = r.u32();
            long reason = r.u32();
            byte[] data = r.opaque(1 << 21);
            if (error == Vxi11.IO_TIMEOUT) {
                throw new TransportException("no reply from " + where + " to '" + command + "' within " + timeout.toMillis() + " ms", true, null);
            }
            if (error != Vxi11.OK) {
                throw new TransportException("device_read from " + where + " for '" + command + "' failed: " + Vxi11.error(error), false, null);
            }
            pending.append(new String(data, StandardCharsets.ISO_8859_1));
            if (pending.length() > maxLength) {
                throw new TransportException("reply from " + where + " to '" + command + "' exceeds " + maxLength + " characters", false, null);
            }
            if ((reason & (Vxi11.REASON_END | Vxi11.REASON_CHR)) != 0 && pending.indexOf("\n") < 0) {
                pending.append('\n'); // END without a line feed still ends the message
            }
        }
    }

    @Override
    public void clear(Duration timeout) {
        pending.setLength(0);
        byte[] args = new Xdr.Writer().u32(link).u32(0).u32(0).u32(timeout.toMillis()).bytes();
        long error = rpc(Vxi11.DEVICE_CLEAR, args, timeout.toMillis(), "device_clear").u32();
        if (error != Vxi11.OK) {
            throw new TransportException("device_clear of " + where + " failed: " + Vxi11.error(error), false, null);
        }
    }

    @Override
    public void close() {
        try {
            rpc(Vxi11.DESTROY_LINK, new Xdr.Writer().u32(link).bytes(), 500, "destroy_link");
        } catch (TransportException ignored) {
            // the link is going away either way
        }
        SocketTransport.closeQuietly(socket);
    }
}
