package org.rramlab.device.visa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Prologix adapter gives up a read when no character comes within {@code ++read_tmo_ms} (at
 * most 3000 ms) and sends nothing: an instrument that starts its reply later (an XE of many
 * integrations) is read by asking again until the driver's own deadline.
 */
@Timeout(30)
class PrologixReadTimeoutTest {
    /** An adapter with its between-characters timeout in front of an instrument that answers after {@code replyAfterMs}. */
    private static void adapter(ServerSocket server, long replyAfterMs, AtomicInteger reads) {
        try (Socket client = server.accept()) {
            client.setTcpNoDelay(true);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            StringBuilder line = new StringBuilder();
            int tmo = 3000;
            long answerAt = Long.MAX_VALUE;
            boolean answered = false;
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    line.append((char) b);
                    continue;
                }
                String l = line.toString();
                line.setLength(0);
                if (l.startsWith("++read_tmo_ms ")) {
                    tmo = Integer.parseInt(l.substring(14).trim());
                } else if (l.equals("++read eoi")) {
                    reads.incrementAndGet();
                    long wait = answerAt - System.nanoTime() / 1_000_000L;
                    if (!answered && wait <= tmo) {
                        Thread.sleep(Math.max(0, wait));
                        out.write("NAI+000.1234E-06\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        answered = true;
                    } else {
                        Thread.sleep(tmo); // the adapter's read times out between characters: nothing is sent
                    }
                } else if (!l.startsWith("++")) {
                    answerAt = System.nanoTime() / 1_000_000L + replyAfterMs; // "XE" reached the instrument
                }
            }
        } catch (SocketTimeoutException | InterruptedException e) {
            // the test is over
        } catch (java.io.IOException e) {
            // the client closed
        }
    }

    @Test
    void aReplyLaterThanTheAdapterTimeoutIsReadByAskingAgain() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            AtomicInteger reads = new AtomicInteger();
            Thread t = new Thread(() -> adapter(server, 900, reads), "fake-prologix");
            t.setDaemon(true);
            t.start();
            VisaAddress.Prologix at = (VisaAddress.Prologix) VisaAddress.parse("PROLOGIX::127.0.0.1:" + server.getLocalPort() + "::17");
            Transports.Settings settings = new Transports.Settings(Duration.ofSeconds(2), 4096, 111);
            try (PrologixTransport p = PrologixTransport.open(at, settings, 200)) {
                p.write("XE");
                assertEquals("NAI+000.1234E-06", p.readLine(Duration.ofSeconds(5), "XE"));
                assertTrue(reads.get() >= 3, "asked the adapter " + reads.get() + " times");
            }
        }
    }

    @Test
    void theDriversDeadlineStillHolds() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            Thread t = new Thread(() -> adapter(server, 60_000, new AtomicInteger()), "fake-prologix");
            t.setDaemon(true);
            t.start();
            VisaAddress.Prologix at = (VisaAddress.Prologix) VisaAddress.parse("PROLOGIX::127.0.0.1:" + server.getLocalPort() + "::17");
            try (PrologixTransport p = PrologixTransport.open(at, new Transports.Settings(Duration.ofSeconds(2), 4096, 111), 200)) {
                p.write("XE");
                long t0 = System.nanoTime();
                TransportException e = assertThrows(TransportException.class, () -> p.readLine(Duration.ofMillis(1500), "XE"));
                assertTrue(e.timedOut() && e.getMessage().contains("within 1500 ms"), e.getMessage());
                assertTrue((System.nanoTime() - t0) / 1e6 < 3000, "gave up at its deadline");
            }
            assertThrows(IllegalArgumentException.class, () -> PrologixTransport.open(null, null, 5000));
        }
    }
}
