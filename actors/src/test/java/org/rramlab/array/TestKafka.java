package org.rramlab.array;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.rramlab.streaming.EmbeddedKafka;

/**
 * A broker the test controls: it outlives node restarts and can be stopped and started again on
 * the same ports and log, as when a real broker goes away for a while.
 */
public final class TestKafka implements AutoCloseable {
    private final Path dir;
    private final int brokerPort;
    private final int controllerPort;
    private EmbeddedKafka kafka;

    public TestKafka(Path dir) throws IOException {
        this.dir = dir;
        // both ports picked while both sockets are open, so they differ
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            brokerPort = a.getLocalPort();
            controllerPort = b.getLocalPort();
        }
        start();
    }

    public synchronized void start() {
        kafka = EmbeddedKafka.start(dir, brokerPort, controllerPort, 2);
    }

    public synchronized void stop() {
        kafka.close();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    @Override
    public synchronized void close() {
        kafka.close();
    }
}
