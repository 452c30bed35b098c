package org.rramlab.device.scpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reconnect waits grow exponentially to a cap, and jitter only ever shortens them. */
class LinkOptionsTest {
    @Test
    void backoffDoublesUpToTheCapWithJitter() {
        LinkOptions o = LinkOptions.defaults(); // 20 ms doubling to 2 s, jitter 0.5
        long[] expected = {20, 40, 80, 160, 320, 640, 1280, 2000, 2000};
        for (int attempt = 2; attempt <= 10; attempt++) {
            assertEquals(expected[attempt - 2], o.backoffMillis(attempt, 0.0), "attempt " + attempt);
            assertEquals(expected[attempt - 2] / 2, o.backoffMillis(attempt, 1.0), "attempt " + attempt + " full jitter");
        }
    }

    @Test
    void nonsenseOptionsAreRefused() {
        LinkOptions d = LinkOptions.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withAttempts(0, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> d.withAttempts(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> d.withCommandTimeout(Duration.ZERO));
    }
}
