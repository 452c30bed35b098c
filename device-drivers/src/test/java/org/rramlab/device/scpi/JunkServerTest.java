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
@org.junit.jupiter.api.Timeout(120)
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
            org.rramlab.device.visa.VisaAddress at = org.rramlab.device.visa.VisaAddress.parse(
                    "TCPIP0::127.0.0.1::" + server.getLocalPort() + "::SOCKET");
            var open = (org.rramlab.device.visa.Transports.Opener) org.rramlab.device.visa.Transports::open;
            try (ParameterAnalyzer analyzer = new ParameterAnalyzer(at, options, ParameterAnalyzer.Settings.defaults(), open, 1, 2);
                 SwitchMatrix matrix = new SwitchMatrix(at, options, new SwitchMatrix.Layout(SwitchMatrix.Model.B2200A, 1, SwitchMatrix.Mode.NORMAL), Duration.ZERO, open);
                 VeloxProber prober = new VeloxProber(at, options, new VeloxProber.Settings(Duration.ofMillis(150), 0.5, 1,
                         Duration.ZERO, Duration.ofMillis(300)), open)) {
                for (int i = 0; i < 1500; i++) {
                    try {
                        switch (i % 6) {
                            case 0 -> analyzer.multiSpot("DV 1,0,0.2,1E-3", new int[] {1, 2});
                            case 1 -> analyzer.spotCurrent("", 1);
                            case 2 -> analyzer.queryError();
                            case 3 -> prober.stepToDie(1);
                            case 4 -> matrix.route(java.util.List.of(new SwitchMatrix.Channel(1, 1, 1)));
                            default -> prober.heaterCelsius();
                        }
                        values++;
                    } catch (org.rramlab.device.DeviceException expected) {
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
                    String[] plausible = {"+0,\"No Error.\"", "Rsp=1:0:1 0 0 1", "Rsp=2:0:25.0 C 0", "NAI+001.000E-06",
                            "NAI+001.000E-06,NBI+002.000E-06", "Rsp=3:703:EndOfWafer", "120,\"x\"", "1"};
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
