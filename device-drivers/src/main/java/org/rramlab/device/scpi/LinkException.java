package org.rramlab.device.scpi;

/** The connection to an instrument failed: could not connect, closed, or no reply in time. */
public final class LinkException extends InstrumentException {
    private final int attempts;

    public LinkException(String message, int attempts, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
    }

    /** How many times the driver tried before giving up (0 for a single failure inside a try). */
    public int attempts() {
        return attempts;
    }
}
