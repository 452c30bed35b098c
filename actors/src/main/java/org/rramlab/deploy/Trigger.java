package org.rramlab.deploy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What asked for a check or an OSA round. Written to the journal and to JSON as the lower-case
 * word journals held before this type existed ("periodic", "cusum", ...), so old journals read.
 */
public enum Trigger {
    /** The first check after programming; a round then always runs. */
    DEPLOYED,
    /** The check timer. */
    PERIODIC,
    /** The first check after the node started again. */
    RESTART,
    /** A statistics drift alarm on one of the deployment's arrays. */
    DRIFT,
    /** A statistics CUSUM alarm on one of the deployment's arrays. */
    CUSUM,
    /** An operator (POST .../check). */
    OPERATOR,
    /** A round because accuracy fell past the threshold. */
    ACCURACY,
    /** The check right after a refresh: the devices written are read back. */
    REFRESH;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Trigger of(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }

    /** A check the supervisor asked itself for says nothing of its own about why a round runs. */
    boolean routine() {
        return this == PERIODIC || this == RESTART;
    }

    @Override
    public String toString() {
        return id();
    }
}
