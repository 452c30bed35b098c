package org.rramlab.device.scpi;

/** The connection to an instrument failed: could not connect, closed, or no reply in time ({@link #timedOut()}). */
public final class LinkException extends InstrumentException {
    private final int attempts;
    private final boolean timedOut;

    public LinkException(String message, int attempts, Throwable cause) {
        this(message, attempts, false, cause);
    }

    public LinkException(String message, int attempts, boolean timedOut, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
        this.timedOut = timedOut;
    }

    /** How many times the driver tried before giving up (0 for a single failure inside a try). */
    public int attempts() {
        return attempts;
    }

    /** True when the instrument did not answer in time (rather than the connection failing). */
    public boolean timedOut() {
        return timedOut;
    }
}
