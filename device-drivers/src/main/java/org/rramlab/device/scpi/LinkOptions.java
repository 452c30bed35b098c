package org.rramlab.device.scpi;

import java.time.Duration;

/**
 * How a session talks and reconnects.
 *
 * @param commandTimeout  longest wait for one reply
 * @param connectTimeout  longest wait for a TCP connection
 * @param terminator      appended to every command (instruments accept LF; some want CR LF)
 * @param maxAttempts     tries of one operation (first try included) before a {@link LinkException}
 * @param initialBackoff  wait before the first reconnect; doubled on each further try
 * @param maxBackoff      cap of the wait
 * @param jitter          fraction of each wait drawn at random (0: none, 1: anywhere in 0..wait),
 *                        so that many clients do not reconnect in lockstep
 * @param maxLineLength   longest reply line accepted
 * @param clearTimeout    longest wait for a device clear after a timeout
 * @param portmapperPort  ONC-RPC portmapper port of VXI-11 hosts (111 on every real host)
 */
public record LinkOptions(Duration commandTimeout, Duration connectTimeout, String terminator, int maxAttempts,
                          Duration initialBackoff, Duration maxBackoff, double jitter, int maxLineLength,
                          Duration clearTimeout, int portmapperPort) {
    public LinkOptions {
        if (portmapperPort < 1 || portmapperPort > 65535) {
            throw new IllegalArgumentException("portmapper port must be 1..65535, got " + portmapperPort);
        }
        if (commandTimeout.toMillis() <= 0 || connectTimeout.toMillis() <= 0) {
            throw new IllegalArgumentException("command and connect timeouts must be at least 1 ms");
        }
        if (!terminator.equals("\n") && !terminator.equals("\r\n")) {
            throw new IllegalArgumentException("terminator must be LF or CR LF");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be in 0..1, got " + jitter);
        }
        if (maxLineLength < 64) {
            throw new IllegalArgumentException("max line length must be at least 64");
        }
    }

    public static LinkOptions defaults() {
        return new LinkOptions(Duration.ofSeconds(5), Duration.ofSeconds(3), "\n", 10,
                Duration.ofMillis(20), Duration.ofSeconds(2), 0.5, 1 << 20, Duration.ofSeconds(2), 111);
    }

    public LinkOptions withCommandTimeout(Duration t) {
        return new LinkOptions(t, connectTimeout, terminator, maxAttempts, initialBackoff, maxBackoff, jitter, maxLineLength,
                clearTimeout, portmapperPort);
    }

    public LinkOptions withAttempts(int attempts, Duration initial, Duration max) {
        return new LinkOptions(commandTimeout, connectTimeout, terminator, attempts, initial, max, jitter, maxLineLength,
                clearTimeout, portmapperPort);
    }

    public LinkOptions withPortmapperPort(int port) {
        return new LinkOptions(commandTimeout, connectTimeout, terminator, maxAttempts, initialBackoff, maxBackoff, jitter,
                maxLineLength, clearTimeout, port);
    }

    /** Wait before try number {@code attempt} (2 = first retry): exponential, capped, jittered. */
    long backoffMillis(int attempt, double uniform) {
        double base = initialBackoff.toMillis() * Math.pow(2, Math.max(0, attempt - 2));
        double capped = Math.min(maxBackoff.toMillis(), base);
        return Math.round(capped * (1 - jitter * uniform));
    }
}
