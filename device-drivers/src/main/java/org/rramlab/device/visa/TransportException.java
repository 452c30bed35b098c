package org.rramlab.device.visa;

/** A transport failed: could not connect, connection lost, or no reply within the deadline ({@link #timedOut()}). */
public final class TransportException extends RuntimeException {
    private final boolean timedOut;

    public TransportException(String message, boolean timedOut, Throwable cause) {
        super(message, cause);
        this.timedOut = timedOut;
    }

    public boolean timedOut() {
        return timedOut;
    }
}
