package org.rramlab.http;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the event log and its live streams, read from {@code rramlab.http.events} and
 * {@code rramlab.http.streams}; every key has a default here.
 *
 * @param capacity     events the log holds ({@code events.capacity}, 20000)
 * @param maxBytes     JSON bytes the log holds ({@code events.max-bytes}, 64 MiB)
 * @param heartbeat    idle time before a stream sends a heartbeat ({@code streams.heartbeat}, 15 s)
 * @param batch        events a stream takes from the log at once ({@code streams.batch}, 256)
 * @param maxMonitors  concurrent stream connections; more get a 503 ({@code streams.max-monitors}, 256)
 * @param retry        reconnection delay an EventSource is told to use ({@code streams.retry}, 3 s)
 */
public record StreamSettings(int capacity, long maxBytes, Duration heartbeat, int batch, int maxMonitors,
                             Duration retry) {

    public static StreamSettings defaults() {
        return new StreamSettings(20_000, 64L << 20, Duration.ofSeconds(15), 256, 256, Duration.ofSeconds(3));
    }

    public static StreamSettings from(Config config) {
        StreamSettings d = defaults();
        return new StreamSettings(
                config.hasPath("rramlab.http.events.capacity") ? config.getInt("rramlab.http.events.capacity") : d.capacity(),
                config.hasPath("rramlab.http.events.max-bytes") ? config.getBytes("rramlab.http.events.max-bytes") : d.maxBytes(),
                config.hasPath("rramlab.http.streams.heartbeat") ? config.getDuration("rramlab.http.streams.heartbeat") : d.heartbeat(),
                config.hasPath("rramlab.http.streams.batch") ? config.getInt("rramlab.http.streams.batch") : d.batch(),
                config.hasPath("rramlab.http.streams.max-monitors") ? config.getInt("rramlab.http.streams.max-monitors") : d.maxMonitors(),
                config.hasPath("rramlab.http.streams.retry") ? config.getDuration("rramlab.http.streams.retry") : d.retry());
    }

    public StreamSettings withHeartbeat(Duration h) {
        return new StreamSettings(capacity, maxBytes, h, batch, maxMonitors, retry);
    }
}
