package org.rramlab.campaign;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the campaign actors, read from {@code rramlab.campaign} with defaults.
 *
 * @param askTimeout     longest wait for an array to answer one command (a read includes its publishing)
 * @param attemptTimeout wait for one try of such a command before it is sent again (an ask lost with a
 *                       node that died is not waited out for the whole ask timeout)
 * @param probeInterval  wait between two tries while a campaign is suspended
 */
public record CampaignSettings(Duration askTimeout, Duration attemptTimeout, Duration probeInterval) {
    public static final String PATH = "rramlab.campaign";

    public CampaignSettings {
        if (askTimeout.isNegative() || askTimeout.isZero() || attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("invalid configuration: rramlab.campaign.ask-timeout and attempt-timeout"
                    + " must be above 0, got " + askTimeout + " and " + attemptTimeout);
        }
    }

    public static CampaignSettings defaults() {
        return new CampaignSettings(Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    public static CampaignSettings from(Config config) {
        CampaignSettings d = defaults();
        if (!config.hasPath(PATH)) {
            return d;
        }
        Config c = config.getConfig(PATH);
        return new CampaignSettings(
                c.hasPath("ask-timeout") ? c.getDuration("ask-timeout") : d.askTimeout(),
                c.hasPath("attempt-timeout") ? c.getDuration("attempt-timeout") : d.attemptTimeout(),
                c.hasPath("probe-interval") ? c.getDuration("probe-interval") : d.probeInterval());
    }
}
