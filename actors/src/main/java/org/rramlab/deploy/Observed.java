package org.rramlab.deploy;

import java.time.Instant;

/** What a check read and computed, before it is journaled as a {@link DeploymentEvent.Check}. */
record Observed(AdaptationWork.Measured measured, double arrayTimeSeconds, double readSeconds) {

    DeploymentEvent.Check toCheck(int number, Trigger trigger) {
        return new DeploymentEvent.Check(number, Instant.now(), trigger, arrayTimeSeconds, measured.rawAccuracy(),
                measured.accuracy(), measured.images(), readSeconds, measured.evalSeconds(),
                measured.gains() == null ? null : measured.recompensated());
    }
}
