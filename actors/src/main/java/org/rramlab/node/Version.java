package org.rramlab.node;

/** The version built into the jar's manifest, or "dev" when run from classes. */
public final class Version {
    private Version() {}

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
