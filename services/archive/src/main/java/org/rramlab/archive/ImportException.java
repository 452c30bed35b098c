package org.rramlab.archive;

/** A measured-reads file refused whole; the message names the line and the field. */
public class ImportException extends Exception {
    private final long line;

    public ImportException(long line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    /** 1-based line of the file (the header is line 1), or 0 when the problem is the whole file. */
    public long line() {
        return line;
    }
}
