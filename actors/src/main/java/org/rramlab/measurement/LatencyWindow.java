package org.rramlab.measurement;

import java.util.Arrays;

/** The last N latencies, for percentiles over a sliding window; bounded memory. */
final class LatencyWindow {
    private final long[] nanos;
    private int count;
    private int next;

    LatencyWindow(int size) {
        nanos = new long[size];
    }

    void add(long latencyNanos) {
        nanos[next] = latencyNanos;
        next = (next + 1) % nanos.length;
        count = Math.min(count + 1, nanos.length);
    }

    double percentileMillis(double p) {
        if (count == 0) {
            return 0;
        }
        long[] copy = Arrays.copyOf(nanos, count);
        Arrays.sort(copy);
        int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(p / 100.0 * count) - 1));
        return copy[index] / 1e6;
    }
}
