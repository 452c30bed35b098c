package org.rramlab.statistics;

import java.util.Map;

/** What {@link LiveStatistics#restore(byte[])} gives back: the engine and the Kafka offsets saved with it. */
public record Restored(LiveStatistics statistics, Map<String, Long> offsets) {
    public Restored {
        offsets = Map.copyOf(offsets);
    }
}
