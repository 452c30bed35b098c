package org.rramlab.device.scpi;

import org.rramlab.device.DeviceException;

/**
 * Every failure the instrument drivers raise: the link failed ({@link LinkException}), a reply
 * could not be understood ({@link MalformedReplyException}) or the instrument reported an error
 * ({@link InstrumentErrorException}). Nothing else escapes a driver.
 */
public abstract sealed class InstrumentException extends DeviceException
        permits LinkException, MalformedReplyException, InstrumentErrorException {
    protected InstrumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
