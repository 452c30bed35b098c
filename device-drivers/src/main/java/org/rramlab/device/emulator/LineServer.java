package org.rramlab.device.emulator;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One instrument on its own TCP port, as a raw socket (VISA SOCKET resources): line in, reply line
 * out, with the faults of a {@link FaultSpec} on every connection. A device clear on a raw socket
 * has no message, so the emulator needs none.
 */
final class LineServer implements AutoCloseable {
    private static final int MAX_LINE = 1 << 20;
    private final String name;
    private final Instrument instrument;
    private final FaultInjector faults;
    private final Object lock;
    private final Station station;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    final AtomicLong commands = new AtomicLong();
    final AtomicLong connections = new AtomicLong();
    private ExecutorService threads;
    private ServerSocket server;

    LineServer(String name, Instrument instrument, FaultInjector faults, Object lock, Station station) {
        this.name = name;
        this.instrument = instrument;
        this.faults = faults;
        this.lock = lock;
        this.station = station;
    }

    LineServer start(String bind, int port) throws IOException {
        server = ServerSockets.listen(bind, port);
        threads = ServerSockets.daemonThreads("emulator-" + name + "-" + server.getLocalPort());
        threads.execute(this::acceptLoop);
        return this;
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                clients.add(s);
                connections.incrementAndGet();
                threads.execute(() -> serve(s));
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    /** One line to the instrument under the station's lock; never throws. */
    String dispatch(String command) {
        synchronized (lock) {
            try {
                station.tick();
                return instrument.handle(command);
            } catch (RuntimeException e) {
                return instrument.internalError(String.valueOf(e.getMessage()));
            }
        }
    }

    private void serve(Socket socket) {
        long connectedAt = System.nanoTime();
        long served = 0;
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = socket.getOutputStream()) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    if (line.length() >= MAX_LINE) {
                        return; // a runaway client: hang up
                    }
                    line.append((char) b);
                    continue;
                }
                String command = line.toString().strip();
                line.setLength(0);
                if (command.isEmpty()) {
                    continue;
                }
                served++;
                commands.incrementAndGet();
                String reply = dispatch(command);
                if (faults.shouldGoSilent(served)) {
                    while (!socket.isClosed() && in.read() >= 0) {
                        // a half-open link: the command took effect, its reply and all later ones never come
                    }
                    return;
                }
                if (faults.shouldDrop(connectedAt, served)) {
                    return;
                }
                if (reply != null) {
                    faults.delay();
                    for (String r : reply.split("\n")) {
                        out.write(faults.encode(r));
                    }
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away or the emulator is closing
        } finally {
            clients.remove(socket);
        }
    }

    @Override
    public void close() {
        ServerSockets.close(threads, clients, server);
    }
}
