package org.rramlab.archive;

import java.time.Duration;

/**
 * Settings of the archive (rramlab.archive in config/rramlab.conf).
 *
 * @param groupId          the archive's own consumer group on the conductance topic
 * @param flushBytes       payload bytes buffered before the buffered records are written and committed
 * @param flushInterval    the longest a record waits in memory before it is written
 * @param retention        the topic's retention: records older than this are gone from Kafka
 * @param alarmFraction    the archive raises an alarm when its oldest unarchived record is older
 *                         than this fraction of the retention
 * @param maxHdf5ExportBytes bound on the conductance bytes of one HDF5 export (built in memory)
 */
public record ArchiveSettings(String bootstrapServers, String groupId, long flushBytes, Duration flushInterval,
                              Duration retention, double alarmFraction, long maxHdf5ExportBytes) {
    public Duration alarmAge() {
        return Duration.ofMillis((long) (retention.toMillis() * alarmFraction));
    }
}
