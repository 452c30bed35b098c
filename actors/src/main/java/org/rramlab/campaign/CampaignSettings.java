package org.rramlab.campaign;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the campaign actors, read from {@code rramlab.campaign} with defaults.
 *
 * @param askTimeout    longest wait for an array to answer one command (a read includes its publishing)
 * @param probeInterval wait between two tries while a campaign is suspended
 */
public record CampaignSettings(Duration askTimeout, Duration probeInterval) {
    public static final String PATH = "rramlab.campaign";

    public static CampaignSettings defaults() {
        return new CampaignSettings(Duration.ofMinutes(2), Duration.ofSeconds(10));
    }

    public static CampaignSettings from(Config config) {
        CampaignSettings d = defaults();
        if (!config.hasPath(PATH)) {
            return d;
        }
        Config c = config.getConfig(PATH);
        return new CampaignSettings(
                c.hasPath("ask-timeout") ? c.getDuration("ask-timeout") : d.askTimeout(),
                c.hasPath("probe-interval") ? c.getDuration("probe-interval") : d.probeInterval());
    }
}
