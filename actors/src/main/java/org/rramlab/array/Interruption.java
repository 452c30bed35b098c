package org.rramlab.array;

import java.time.Duration;
import java.time.Instant;
import org.rramlab.serialization.CborSerializable;

/**
 * A span during which something could not be done: what kind of trouble, when it began, why, when
 * it ended (null: still open), and how many scheduled reads it delayed (null: not counted).
 *
 * @param kind {@value #STEP_FAILED}, {@value #LINK_DOWN}, {@value #NODE_CRASH} (the node running it
 *             stopped without a clean stop) or {@value #NODE_STOP} (a clean stop that delayed reads);
 *             null in records written before kinds were kept
 */
public record Interruption(String kind, Instant from, String reason, Instant to, Double seconds, Integer readsDelayed)
        implements CborSerializable {
    public static final String STEP_FAILED = "step-failed";
    public static final String LINK_DOWN = "link-down";
    public static final String NODE_CRASH = "node-crash";
    public static final String NODE_STOP = "node-stop";

    public static Interruption open(String kind, Instant from, String reason) {
        return new Interruption(kind, from, reason, null, null, null);
    }

    /** One that is over already: recorded when it is noticed, after the fact (a node that died). */
    public static Interruption closed(String kind, Instant from, String reason, Instant to, int readsDelayed) {
        return new Interruption(kind, from, reason, to, seconds(from, to), readsDelayed);
    }

    public Interruption close(Instant at) {
        return new Interruption(kind, from, reason, at, seconds(from, at), readsDelayed);
    }

    public boolean ongoing() {
        return to == null;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
