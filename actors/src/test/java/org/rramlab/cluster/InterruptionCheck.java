package org.rramlab.cluster;

import com.fasterxml.jackson.databind.JsonNode;

/** Whether a campaign's or deployment's status shows an interruption caused by a node's unclean stop. */
final class InterruptionCheck {
    private InterruptionCheck() {}

    static boolean recordsCrash(JsonNode status) {
        for (JsonNode i : status.path("interruptions")) {
            if ("node-crash".equals(i.path("kind").asText()) && i.hasNonNull("to") && i.path("reads_delayed").asInt(-1) >= 0) {
                return true;
            }
        }
        return false;
    }
}
