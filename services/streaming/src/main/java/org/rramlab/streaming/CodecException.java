package org.rramlab.streaming;

/** Bytes that are not a valid conductance record; the message says what is wrong with them. */
public class CodecException extends RuntimeException {
    public CodecException(String message) {
        super(message);
    }
}
