package org.rramlab.device;

/** Link and device state of an array as its driver sees it. */
public record ArrayHealth(String arrayId, LinkState link, double arrayTimeSeconds,
                          double temperatureKelvin, String detail) {
    public enum LinkState { CONNECTED, RECONNECTING, FAILED }
}
