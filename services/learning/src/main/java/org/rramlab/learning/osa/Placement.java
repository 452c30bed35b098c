package org.rramlab.learning.osa;

/** Where the SRAM branch's weights go. */
public enum Placement {
    /** Uniformly at random: the control. */
    RANDOM,
    /** Drawn without replacement with probability proportional to |gradient| through the measured network (the paper). */
    IMPORTANCE,
    /**
     * Uses the measurement: the positions with the largest sqrt(Fisher) x |intended - measured| weight,
     * i.e. the largest expected loss from that cell's error; stuck and far-off cells come first.
     */
    MEASURED
}
