package org.rramlab.learning.drift;

import java.util.Locale;

/** What the drift policy may do at a check, cheapest first. */
public enum DriftAction {
    /** Accuracy holds: leave everything as it is. */
    NOTHING,
    /** Estimate the column gains again from this check's reads (no write, no training). */
    RECOMPENSATE,
    /** Recompensate, then train the SRAM values again at their positions. */
    OSA_ROUND,
    /** Recompensate, then choose new SRAM positions within the same budget and train them. */
    REPLACE,
    /** Reprogram the costliest devices with write-verify, read again, recompensate, refine the SRAM. */
    REFRESH;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
