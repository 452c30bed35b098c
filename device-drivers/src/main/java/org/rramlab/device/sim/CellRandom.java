package org.rramlab.device.sim;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Counter-based random numbers: every draw is a pure function of (stream, cell, counter).
 *
 * <p>Why counters and not a sequential generator: the draws a cell gets do not depend on how
 * operations were split into blocks (a whole-array read and 256 row reads give the same values),
 * and restoring a snapshot only needs the counters, so restore is exact by construction.
 * Gaussians come from the ziggurat sampler of commons-rng fed by a SplitMix64 sequence that
 * starts at the hashed key. Not thread-safe: one instance per array model.
 */
final class CellRandom {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final SplitMix source = new SplitMix();
    private final ZigguratSampler.NormalizedGaussian gaussian = ZigguratSampler.NormalizedGaussian.of(source);

    /** Stafford's mix13 finalizer, as in SplitMix64. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A named stream of an array seed, e.g. stream(seed, 1) for programming. */
    static long stream(long seed, long name) {
        return mix64(mix64(seed) + name * GOLDEN);
    }

    static long key(long stream, int cell, long counter) {
        return mix64(stream ^ mix64(((long) cell << 32) ^ (counter * GOLDEN)));
    }

    /** Standard normal for a key. */
    double gaussian(long key) {
        source.state = key;
        return gaussian.sample();
    }

    /** Uniform in [0, 1) for a key. */
    static double uniform(long key) {
        return (mix64(key + GOLDEN) >>> 11) * 0x1.0p-53;
    }

    private static final class SplitMix implements UniformRandomProvider {
        long state;

        @Override
        public long nextLong() {
            state += GOLDEN;
            return mix64(state);
        }
    }
}
