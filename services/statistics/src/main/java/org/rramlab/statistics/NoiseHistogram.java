package org.rramlab.statistics;

/**
 * Read noise from pairs of reads of the same cell close in time: d = |ln(G2 / G1)| has spread
 * sqrt(2) times the relative read noise, and its median, unlike its variance, ignores the rare
 * pair that straddles a real change. A fixed-bin histogram of d keeps memory bounded and merges.
 */
final class NoiseHistogram {
    static final double BIN = 1e-4;
    static final int BINS = 5000;
    /** Median of |N(0, 1)|. */
    private static final double HALF_NORMAL_MEDIAN = 0.6744897501960817;

    final long[] counts = new long[BINS];

    static int bin(double d) {
        int b = (int) (d * (1 / BIN));
        return b >= BINS ? BINS - 1 : b;
    }

    void merge(NoiseHistogram other) {
        for (int i = 0; i < BINS; i++) counts[i] += other.counts[i];
    }

    long pairs() {
        long t = 0;
        for (long c : counts) t += c;
        return t;
    }

    /** Relative read noise: median(|d|) / 0.6745 / sqrt(2), interpolated within the median bin; NaN without pairs. */
    double relativeNoise() {
        long total = pairs();
        if (total == 0) return Double.NaN;
        double half = 0.5 * total;
        long cumulative = 0;
        for (int b = 0; b < BINS; b++) {
            if (cumulative + counts[b] >= half && counts[b] > 0) {
                double median = (b + (half - cumulative) / counts[b]) * BIN;
                return median / HALF_NORMAL_MEDIAN / Math.sqrt(2);
            }
            cumulative += counts[b];
        }
        return Double.NaN;
    }
}
