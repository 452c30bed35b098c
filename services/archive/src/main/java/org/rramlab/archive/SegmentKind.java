package org.rramlab.archive;

/** The two record kinds of the conductance topic, each archived in its own segment files. */
public enum SegmentKind {
    READS("reads"),
    PROGRAMMED("programmed");

    private final String prefix;

    SegmentKind(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }
}
