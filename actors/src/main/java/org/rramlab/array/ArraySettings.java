package org.rramlab.array;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the array actors, read from {@code rramlab.array} with defaults, so a node whose
 * configuration lacks them still runs.
 *
 * @param publishTimeout   wait for the measurement actor's acknowledgement of one record
 * @param publishAttempts  tries to publish one record before the command is answered with an error
 * @param publishBackoff   wait before the second try; doubled for each further one
 * @param checkpointEvery  array operations between two checkpoints of a simulated array's state
 * @param snapshotEvery    events between two snapshots of the actor's state
 * @param linkAttempts     tries of one instrument exchange before the link counts as down
 * @param commandTimeout   longest wait for one instrument reply
 * @param operationTimeout bound on one whole array operation (a block read, a programming)
 * @param station          cabling, biases and timings of the probe station of physical arrays
 */
public record ArraySettings(Duration publishTimeout, int publishAttempts, Duration publishBackoff,
                            int checkpointEvery, int snapshotEvery, int linkAttempts, Duration commandTimeout,
                            Duration operationTimeout, org.rramlab.device.scpi.StationSettings station) {
    public static final String PATH = "rramlab.array";

    public ArraySettings {
        if (publishAttempts < 1 || checkpointEvery < 1 || snapshotEvery < 1 || linkAttempts < 1) {
            throw new IllegalArgumentException(PATH + ": publish-attempts, checkpoint-every, snapshot-every and "
                    + "link-attempts must be at least 1");
        }
    }

    public static ArraySettings defaults() {
        return new ArraySettings(Duration.ofSeconds(10), 3, Duration.ofMillis(500), 50, 100, 10,
                Duration.ofSeconds(5), Duration.ofMinutes(10), org.rramlab.device.scpi.StationSettings.defaults());
    }

    public static ArraySettings from(Config config) {
        ArraySettings d = defaults();
        if (!config.hasPath(PATH)) {
            return d;
        }
        Config c = config.getConfig(PATH);
        return new ArraySettings(
                c.hasPath("publish-timeout") ? c.getDuration("publish-timeout") : d.publishTimeout(),
                c.hasPath("publish-attempts") ? c.getInt("publish-attempts") : d.publishAttempts(),
                c.hasPath("publish-backoff") ? c.getDuration("publish-backoff") : d.publishBackoff(),
                c.hasPath("checkpoint-every") ? c.getInt("checkpoint-every") : d.checkpointEvery(),
                c.hasPath("snapshot-every") ? c.getInt("snapshot-every") : d.snapshotEvery(),
                c.hasPath("link-attempts") ? c.getInt("link-attempts") : d.linkAttempts(),
                c.hasPath("command-timeout") ? c.getDuration("command-timeout") : d.commandTimeout(),
                c.hasPath("operation-timeout") ? c.getDuration("operation-timeout") : d.operationTimeout(),
                c.hasPath("station") ? org.rramlab.device.scpi.StationSettings.from(c.getConfig("station")) : d.station());
    }
}
