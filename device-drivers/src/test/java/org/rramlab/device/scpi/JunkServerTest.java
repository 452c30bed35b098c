package org.rramlab.device.scpi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A real TCP peer that answers every line with junk, silence, a flood or a hang-up: the drivers
 * return a value or raise their own typed errors, and never hang (every wait has a deadline).
 */
class JunkServerTest {
    @Test
    void driversSurviveAPeerThatAnswersJunk() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "junk-server");
            t.setDaemon(true);
            return t;
        });
        try (ServerSocket server = new ServerSocket(0)) {
            pool.execute(() -> {
                SplittableRandom random = new SplittableRandom(5);
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        long seed = random.nextLong();
                        pool.execute(() -> junk(s, new SplittableRandom(seed)));
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            LinkOptions options = LinkOptions.defaults().withCommandTimeout(Duration.ofMillis(150))
                    .withAttempts(1, Duration.ZERO, Duration.ZERO);
            int values = 0, typed = 0;
            try (ParameterAnalyzer analyzer = new ParameterAnalyzer("127.0.0.1", server.getLocalPort(), options, 1);
                 ProbeStation station = new ProbeStation("127.0.0.1", server.getLocalPort(), options)) {
                for (int i = 0; i < 1500; i++) {
                    try {
                        switch (i % 5) {
                            case 0 -> analyzer.measureRow(0, 0, 2);
                            case 1 -> analyzer.measureCell(1, 1);
                            case 2 -> analyzer.queryError();
                            case 3 -> station.stepNextDie();
                            default -> station.readArrayClock();
                        }
                        values++;
                    } catch (InstrumentException expected) {
                        typed++;
                    }
                }
            }
            assertTrue(typed > 1000, "junk is refused (" + typed + " typed errors, " + values + " values)");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Per line received: random printable junk, a valid-looking reply, nothing, a flood, or a hang-up. */
    private static void junk(Socket s, SplittableRandom r) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') continue;
                int kind = r.nextInt(100);
                if (kind < 2) {
                    return; // hang up
                } else if (kind < 4) {
                    continue; // never answer: the client's deadline fires
                } else if (kind < 5) {
                    out.write(new byte[(1 << 20) + 10]); // a flood without a line end
                } else if (kind < 30) {
                    String[] plausible = {"0,\"No Error\"", "0: 1 0 0", "0: 5.0 300.0", "NAI+001.000E-06",
                            "NAI+001.000E-06,NAI+002.000E-06", "703: End of wafer", "120,\"x\""};
                    out.write((plausible[r.nextInt(plausible.length)] + "\n").getBytes());
                } else {
                    byte[] junk = new byte[r.nextInt(0, 80)];
                    r.nextBytes(junk);
                    for (int i = 0; i < junk.length; i++) if (junk[i] == '\n') junk[i] = 'x';
                    out.write(junk);
                    out.write('\n');
                }
                out.flush();
            }
        } catch (Exception ignored) {
            // the client hung up
        }
    }
}
