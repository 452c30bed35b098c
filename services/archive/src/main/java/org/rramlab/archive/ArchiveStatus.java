package org.rramlab.archive;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How the archive is doing, as a snapshot for /ready, the metrics and campaign status.
 *
 * @param lagRecords        records on the topic not yet archived (end offsets minus committed)
 * @param oldestPendingAgeSeconds age (by Kafka timestamp) of the oldest record read but not yet on disk
 * @param behind            true when that age passed the alarm threshold: data may be lost to retention
 * @param lostRecords       records deleted by retention before the archive had them
 */
public record ArchiveStatus(State state, long framesArchived, long cellReadsArchived, long programmedArchived,
                            long duplicatesSkipped, long corruptSkipped, long segmentsWritten, long bytesOnDisk,
                            long lagRecords, double oldestPendingAgeSeconds, boolean behind, long lostRecords,
                            String lastError, String directory) {
    /** Where the archive is; written and read as the lower-case word the API and metrics show ("running"). */
    public enum State {
        STARTING, RUNNING, FAILING, STOPPED, FAILED, DISABLED;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static ArchiveStatus starting(String directory) {
        return new ArchiveStatus(State.STARTING, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, 0, null, directory);
    }
}
