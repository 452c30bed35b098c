package org.rramlab.archive;

/** An HDF5 export that would not fit the memory bound; the message says what to do instead. */
public class ExportTooLargeException extends RuntimeException {
    public ExportTooLargeException(String message) {
        super(message);
    }
}
