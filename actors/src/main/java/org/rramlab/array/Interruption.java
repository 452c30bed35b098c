package org.rramlab.array;

import java.time.Duration;
import java.time.Instant;
import org.rramlab.serialization.CborSerializable;

/** A span during which something could not be done: when it began, why, when it ended (null: still open). */
public record Interruption(Instant from, String reason, Instant to, Double seconds) implements CborSerializable {
    public static Interruption open(Instant from, String reason) {
        return new Interruption(from, reason, null, null);
    }

    public Interruption close(Instant at) {
        return new Interruption(from, reason, at, Duration.between(from, at).toMillis() / 1000.0);
    }

    public boolean ongoing() {
        return to == null;
    }
}
