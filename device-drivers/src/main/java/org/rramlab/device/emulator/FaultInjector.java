package org.rramlab.device.emulator;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Applies a {@link FaultSpec}: decides drops, delays, garbling and bad measurement statuses. */
final class FaultInjector {
    /** Characters no reply of either protocol contains, so every garble is detectable. */
    private static final char[] FOREIGN = {'#', '~', '\u00bf'};

    private final FaultSpec spec;
    private final SplittableRandom random;
    final AtomicLong drops = new AtomicLong();
    final AtomicLong garbled = new AtomicLong();
    final AtomicLong compliances = new AtomicLong();
    final AtomicLong overflows = new AtomicLong();
    final AtomicLong delayed = new AtomicLong();
    final AtomicLong halfOpened = new AtomicLong();

    FaultInjector(FaultSpec spec, long seed) {
        this.spec = spec;
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    FaultSpec spec() {
        return spec;
    }

    private synchronized double uniform() {
        return random.nextDouble();
    }

    private synchronized int below(int n) {
        return random.nextInt(n);
    }

    boolean shouldDrop(long connectedAtNanos, long commandsOnConnection) {
        boolean drop = (spec.dropAfter() > 0 && commandsOnConnection >= spec.dropAfter())
                || (!spec.dropEvery().isZero() && System.nanoTime() - connectedAtNanos >= spec.dropEvery().toNanos());
        if (drop) {
            drops.incrementAndGet();
        }
        return drop;
    }

    /** True when this connection goes silent from now on (a half-open link). */
    boolean shouldGoSilent(long commandsOnConnection) {
        boolean silent = spec.halfOpenAfter() > 0 && commandsOnConnection == spec.halfOpenAfter();
        if (silent) {
            halfOpened.incrementAndGet();
        }
        return silent;
    }

    void delay() throws InterruptedException {
        if (!spec.delay().isZero()) {
            delayed.incrementAndGet();
            Thread.sleep(spec.delay().toMillis());
        }
    }

    /** The status letter of one measured value: N unless a compliance or overflow fault strikes. */
    org.rramlab.device.scpi.MeasurementStatus status() {
        if (spec.compliance() > 0 && uniform() < spec.compliance()) {
            compliances.incrementAndGet();
            return org.rramlab.device.scpi.MeasurementStatus.COMPLIANCE;
        }
        if (spec.overflow() > 0 && uniform() < spec.overflow()) {
            overflows.incrementAndGet();
            return org.rramlab.device.scpi.MeasurementStatus.OVERFLOW;
        }
        return org.rramlab.device.scpi.MeasurementStatus.OK;
    }

    byte[] encode(String reply) {
        if (spec.garble() > 0 && !reply.isEmpty() && uniform() < spec.garble()) {
            garbled.incrementAndGet();
            char[] c = reply.toCharArray();
            int n = 1 + below(3);
            for (int k = 0; k < n; k++) {
                c[below(c.length)] = FOREIGN[below(FOREIGN.length)];
            }
            reply = new String(c);
        }
        return (reply + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}
