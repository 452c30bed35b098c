package org.rramlab.device.emulator;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.sim.ArrayModel;

/**
 * A parameter analyzer and a probe station on one TCP port, backed by simulated arrays (one per
 * die). The two command sets are disjoint, so each line goes to the instrument that owns it:
 * CamelCase words (StepFirstDie, MoveChuckContact, ...) to the probe station, FLEX mnemonics
 * (*IDN?, CN, DV, TI, ERRX?, ...) to the analyzer. Clients normally keep one connection per
 * instrument. Faults from a {@link FaultSpec} are applied to every connection.
 */
public final class InstrumentEmulator implements AutoCloseable {
    private static final int MAX_LINE = 1 << 20;

    /** What to emulate. {@code port} 0 picks a free port. */
    public record Config(DevicePreset preset, int rows, int cols, int dies, long seed, FaultSpec faults,
                         String bindAddress, int port) {
        public static Config of(DevicePreset preset, int rows, int cols, long seed, FaultSpec faults) {
            return new Config(preset, rows, cols, 1, seed, faults, "127.0.0.1", 0);
        }
    }

    private final Config config;
    private final Wafer wafer;
    private final FaultInjector faults;
    private final AnalyzerEmulation analyzer;
    private final ProbeEmulation probe;
    private final Object lock = new Object();
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private ExecutorService threads;
    private ServerSocket server;

    public InstrumentEmulator(Config config) {
        this.config = config;
        this.wafer = new Wafer(config.preset(), config.rows(), config.cols(), config.dies(), config.seed());
        this.faults = new FaultInjector(config.faults(), config.seed());
        this.analyzer = new AnalyzerEmulation(wafer, faults, config.seed());
        this.probe = new ProbeEmulation(wafer);
    }

    public InstrumentEmulator start() throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(config.bindAddress()), config.port()), 64);
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "emulator-" + server.getLocalPort());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::acceptLoop);
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    public Config config() {
        return config;
    }

    /** The simulated array of a die (the truth behind the instruments; for tests). */
    public ArrayModel die(int die) {
        return wafer.dies[die];
    }

    public String stats() {
        return "connections " + connections.get() + ", commands " + commands.get() + ", drops " + faults.drops.get()
                + ", garbled " + faults.garbled.get() + ", compliance " + faults.compliances.get()
                + ", overflow " + faults.overflows.get() + ", delayed " + faults.delayed.get();
    }

    public long drops() {
        return faults.drops.get();
    }

    public long garbled() {
        return faults.garbled.get();
    }

    public long delayedReplies() {
        return faults.delayed.get();
    }

    public long badStatuses() {
        return faults.compliances.get() + faults.overflows.get();
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
                if (faults.shouldDrop(connectedAt, served)) {
                    return;
                }
                if (reply != null) {
                    faults.delay();
                    out.write(faults.encode(reply));
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

    /** One command, to the instrument that owns it; never throws. */
    String dispatch(String command) {
        int space = command.indexOf(' ');
        String name = space < 0 ? command : command.substring(0, space);
        String args = space < 0 ? "" : command.substring(space + 1).trim();
        boolean probeCommand = name.length() > 1 && Character.isUpperCase(name.charAt(0))
                && Character.isLowerCase(name.charAt(1));
        synchronized (lock) {
            try {
                return probeCommand ? probe.handle(name, args) : analyzer.handle(name.toUpperCase(java.util.Locale.ROOT), args);
            } catch (RuntimeException e) {
                // an emulator bug must not kill the connection silently
                String why = String.valueOf(e.getMessage()).replaceAll("[^ -~]", "?").replace('"', '\'');
                return probeCommand ? "599: internal error: " + why : "999,\"internal error: " + why + "\"";
            }
        }
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : clients) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        if (threads != null) {
            threads.shutdownNow();
        }
    }
}
