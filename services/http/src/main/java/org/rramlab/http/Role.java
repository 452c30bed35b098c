package org.rramlab.http;

/** What a token may do: a viewer reads, an operator also changes things. */
public enum Role {
    VIEWER, OPERATOR;

    public boolean allows(Role needed) {
        return this == OPERATOR || needed == VIEWER;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
