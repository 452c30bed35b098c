package org.rramlab.device.emulator;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** What the emulators' servers share: a listening socket, daemon threads, and closing all of it. */
final class ServerSockets {
    private ServerSockets() {}

    static ServerSocket listen(String bind, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(bind), port), 64);
        return s;
    }

    /** Threads that never keep the JVM alive: an emulator runs beside what it serves. */
    static ExecutorService daemonThreads(String name) {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Stops listening, hangs up on every client and stops the threads; what fails while closing does not matter. */
    static void close(ExecutorService threads, Collection<Socket> clients, ServerSocket... listening) {
        for (ServerSocket s : listening) {
            quietly(s);
        }
        clients.forEach(ServerSockets::quietly);
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    private static void quietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
