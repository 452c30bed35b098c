package org.rramlab.learning.data;

/** A dataset file that is missing, of the wrong kind or truncated; the message names the file. */
public class DatasetFormatException extends RuntimeException {
    public DatasetFormatException(String message) {
        super(message);
    }

    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
