package org.rramlab.statistics;

/** A statistics snapshot could not be read: truncated, corrupt, or of an unknown format version. */
public final class SnapshotException extends RuntimeException {
    public SnapshotException(String message) {
        super(message);
    }

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
