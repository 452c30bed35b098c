package org.rramlab.measurement;

/** Cell reads per second over roughly the last five seconds (two alternating buckets). */
final class RateMeter {
    private static final long BUCKET = 5_000_000_000L;
    private long bucketStart = System.nanoTime();
    private long current;
    private long previous;
    private long previousSpan = BUCKET;

    void add(long now, long cells) {
        roll(now);
        current += cells;
    }

    double cellsPerSecond(long now) {
        roll(now);
        long span = now - bucketStart;
        return span + previousSpan == 0 ? 0 : (current + previous) * 1e9 / (span + previousSpan);
    }

    private void roll(long now) {
        if (now - bucketStart >= BUCKET) {
            previous = current;
            previousSpan = now - bucketStart;
            current = 0;
            bucketStart = now;
        }
    }
}
