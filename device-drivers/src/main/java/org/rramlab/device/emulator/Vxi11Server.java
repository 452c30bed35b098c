package org.rramlab.device.emulator;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.rramlab.device.visa.OncRpc;
import org.rramlab.device.visa.Vxi11;
import org.rramlab.device.visa.Xdr;

/**
 * The instruments behind one VXI-11 host, as a LAN/GPIB gateway serves them: an ONC-RPC
 * portmapper (GETPORT answers the core channel's port) and the core channel (create_link by
 * device name, device_write, device_read, device_clear, destroy_link). Each device name maps to
 * one emulated instrument; faults apply per TCP connection of the core channel.
 */
final class Vxi11Server implements AutoCloseable {
    private final Map<String, LineServer> devices;
    private final FaultInjector faults;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextLink = new AtomicInteger(1);
    private ExecutorService threads;
    private ServerSocket portmapper;
    private ServerSocket core;

    /** A link: its instrument and the replies waiting to be read. */
    private static final class Link {
        final LineServer device;
        final ArrayDeque<String> replies = new ArrayDeque<>();
        final StringBuilder input = new StringBuilder();

        Link(LineServer device) {
            this.device = device;
        }
    }

    Vxi11Server(Map<String, LineServer> devices, FaultInjector faults) {
        this.devices = devices;
        this.faults = faults;
    }

    Vxi11Server start(String bind, int portmapperPort, int corePort) throws IOException {
        threads = ServerSockets.daemonThreads("emulator-vxi11");
        core = ServerSockets.listen(bind, corePort);
        portmapper = ServerSockets.listen(bind, portmapperPort);
        threads.execute(() -> accept(core, this::serveCore));
        threads.execute(() -> accept(portmapper, this::servePortmapper));
        return this;
    }

    int portmapperPort() {
        return portmapper.getLocalPort();
    }

    int corePort() {
        return core.getLocalPort();
    }

    private interface Handler {
        void serve(Socket s) throws IOException, InterruptedException;
    }

    private void accept(ServerSocket server, Handler handler) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                clients.add(s);
                threads.execute(() -> {
                    try (s) {
                        handler.serve(s);
                    } catch (IOException | InterruptedException | IllegalArgumentException e) {
                        // client gone, emulator closing, or a call that could not be decoded: hang up
                    } finally {
                        clients.remove(s);
                    }
                });
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    /** Reads a call header; returns {xid, program, version, procedure} and leaves the reader at the arguments. */
    private static long[] header(Xdr.Reader r) {
        long xid = r.u32();
        if (r.u32() != OncRpc.CALL || r.u32() != 2) {
            throw new IllegalArgumentException("not an ONC-RPC version 2 call");
        }
        long program = r.u32();
        long version = r.u32();
        long procedure = r.u32();
        r.u32();
        r.opaque(400); // credentials
        r.u32();
        r.opaque(400); // verifier
        return new long[] {xid, program, version, procedure};
    }

    private void servePortmapper(Socket s) throws IOException {
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        byte[] call;
        while ((call = OncRpc.readRecord(in)) != null) {
            Xdr.Reader r = new Xdr.Reader(call);
            long[] h = header(r);
            if (h[1] != OncRpc.PORTMAPPER_PROGRAM) {
                OncRpc.writeRecord(out, OncRpc.reply(h[0], OncRpc.PROG_UNAVAIL).bytes());
            } else if (h[3] == 0) {
                OncRpc.writeRecord(out, OncRpc.reply(h[0], OncRpc.SUCCESS).bytes()); // NULL procedure
            } else if (h[3] == OncRpc.PORTMAPPER_GETPORT) {
                long program = r.u32();
                r.u32();
                long protocol = r.u32();
                long port = program == Vxi11.CORE_PROGRAM && protocol == OncRpc.IPPROTO_TCP ? core.getLocalPort() : 0;
                OncRpc.writeRecord(out, OncRpc.reply(h[0], OncRpc.SUCCESS).u32(port).bytes());
            } else {
                OncRpc.writeRecord(out, OncRpc.reply(h[0], OncRpc.PROC_UNAVAIL).bytes());
            }
        }
    }

    private void serveCore(Socket s) throws IOException, InterruptedException {
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        Map<Long, Link> links = new ConcurrentHashMap<>();
        long connectedAt = System.nanoTime();
        long served = 0;
        byte[] call;
        while ((call = OncRpc.readRecord(in)) != null) {
            Xdr.Reader r = new Xdr.Reader(call);
            long[] h = header(r);
            long xid = h[0];
            if (h[1] != Vxi11.CORE_PROGRAM) {
                OncRpc.writeRecord(out, OncRpc.reply(xid, OncRpc.PROG_UNAVAIL).bytes());
                continue;
            }
            switch ((int) h[3]) {
                case Vxi11.CREATE_LINK -> {
                    r.u32(); // client id
                    r.u32(); // lock device
                    r.u32(); // lock timeout
                    String device = r.string(64);
                    LineServer target = devices.get(device);
                    if (target == null) {
                        OncRpc.writeRecord(out, OncRpc.reply(xid, OncRpc.SUCCESS).u32(Vxi11.DEVICE_NOT_ACCESSIBLE).u32(0).u32(0).u32(0).bytes());
                    } else {
                        long id = nextLink.getAndIncrement();
                        links.put(id, new Link(target));
                        OncRpc.writeRecord(out, OncRpc.reply(xid, OncRpc.SUCCESS).u32(Vxi11.OK).u32(id).u32(0).u32(1 << 16).bytes());
                    }
                }
                case Vxi11.DEVICE_WRITE -> {
                    Link link = links.get(r.u32());
                    r.u32(); // io timeout
                    r.u32(); // lock timeout
                    r.u32(); // flags: a line end or END both end a message here
                    byte[] data = r.opaque(1 << 20);
                    if (link == null) {
                        OncRpc.writeRecord(out, OncRpc.reply(xid, OncRpc.SUCCESS).u32(Vxi11.INVALID_LINK).u32(0).bytes());
                        continue;
                    }
                    link.input.append(new String(data, StandardCharsets.ISO_8859_1));
                    if (link.input.indexOf("\n") < 0) {
                        link.input.append('\n');
                    }
                    int nl;
                    boolean drop = false;
                    while ((nl = link.input.indexOf("\n")) >= 0) {
                        String line = link.input.substring(0, nl).strip();
                        link.input.delete(0, nl + 1);
                        if (line.isEmpty()) {
                            continue;
                        }
                        served++;
                        String reply = link.device.dispatch(line);
                        if (faults.shouldGoSilent(served)) {
                            while (in.read() >= 0) {
                                // half-open: the command took effect, the client waits for an answer that never comes
                            }
                            return;
                        }
                        link.device.commands.incrementAndGet();
                        drop |= faults.shouldDrop(connectedAt, served);
                        if (reply != null) {
                            for (String one : reply.split("\n")) link.replies.add(one);
                        }
                    }
                    if (drop) {
                        return;
                    }
                    OncRpc.writeRecord(out, OncRpc.reply(xid, OncRpc.SUCCESS).u32(Vxi11.OK).u32(data.length).bytes());
                }
                case Vxi11.DEVICE_READ -> {
                    Link link = links.get(r.u32());
                    r.u32(); // request size
                    long ioTimeout = r.u32();
                    if (link == null) {
                        OncRpc.writeRecord(out, OncRpc.reply(xid, OncRpc.SUCCESS).u32(Vxi11.INVALID_LINK).u32(0).opaque(new byte[0]).bytes());
                        continue;
                    }
                    String reply = link.replies.poll();
                    if (reply == null) {
                        // nothing queued: this emulator answers at once, so nothing will come within the timeout
                        Thread.sleep(Math.min(ioTimeout, 2000));
                        OncRpc.writeRecord(out, OncRpc.reply(xid, OncRpc.SUCCESS).u32(Vxi11.IO_TIMEOUT).u32(0).opaque(new byte[0]).bytes());
                        continue;
                    }
                    faults.delay();
                    byte[] data = faults.encode(reply);
                    OncRpc.writeRecord(out, OncRpc.reply(xid, OncRpc.SUCCESS).u32(Vxi11.OK).u32(Vxi11.REASON_END).opaque(data).bytes());
                }
                case Vxi11.DEVICE_CLEAR -> {
                    Link link = links.get(r.u32());
                    if (link != null) {
                        link.replies.clear();
                        link.input.setLength(0);
                    }
                    OncRpc.writeRecord(out, OncRpc.reply(xid, OncRpc.SUCCESS).u32(link == null ? Vxi11.INVALID_LINK : Vxi11.OK).bytes());
                }
                case Vxi11.DESTROY_LINK -> {
                    Link link = links.remove(r.u32());
                    OncRpc.writeRecord(out, OncRpc.reply(xid, OncRpc.SUCCESS).u32(link == null ? Vxi11.INVALID_LINK : Vxi11.OK).bytes());
                }
                case 16, 17, 18, 19 -> // remote, local, lock, unlock: accepted, nothing to do here
                        OncRpc.writeRecord(out, OncRpc.reply(xid, OncRpc.SUCCESS).u32(Vxi11.OK).bytes());
                default -> OncRpc.writeRecord(out, OncRpc.reply(xid, OncRpc.SUCCESS).u32(Vxi11.OPERATION_NOT_SUPPORTED).bytes());
            }
        }
    }

    @Override
    public void close() {
        ServerSockets.close(threads, clients, portmapper, core);
    }
}
