package org.rramlab.device;

/** A failure talking to or operating an array; the message says what happened and what to do. */
public class DeviceException extends RuntimeException {
    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
