package org.rramlab.device.scpi;

/** The instrument understood the command and refused it, with its own error code and message. */
public final class InstrumentErrorException extends InstrumentException {
    private final String instrument;
    private final int code;
    private final String instrumentMessage;

    public InstrumentErrorException(String instrument, String command, int code, String instrumentMessage) {
        super(instrument + " refused '" + command + "' with error " + code + " (" + instrumentMessage
                + "); check the command's arguments and the instrument's state", null);
        this.instrument = instrument;
        this.code = code;
        this.instrumentMessage = instrumentMessage;
    }

    public String instrument() {
        return instrument;
    }

    public int code() {
        return code;
    }

    public String instrumentMessage() {
        return instrumentMessage;
    }
}
