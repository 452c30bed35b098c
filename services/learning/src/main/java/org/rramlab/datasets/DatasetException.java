package org.rramlab.datasets;

/** A dataset is missing, corrupt or cannot be fetched; the message names the file and what to do. */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
