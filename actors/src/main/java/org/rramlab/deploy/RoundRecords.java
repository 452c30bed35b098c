package org.rramlab.deploy;

import java.time.Instant;
import org.rramlab.learning.area.AreaModel;
import org.rramlab.learning.area.AreaParameters;
import org.rramlab.learning.area.AreaReport;
import org.rramlab.learning.osa.OsaResult;

/** The record of an OSA round, with its area cost; corrections that do no better than those in place are recorded but not used. */
final class RoundRecords {
    private final AreaModel area = new AreaModel(AreaParameters.neurosim65nm());

    /** @param before accuracy with the corrections in place (and the fresh gains) before the round */
    DeploymentEvent.Round record(DeploymentState state, Trigger trigger, DeploymentEvent.Check check, double before,
                                 OsaResult result, double seconds) {
        AreaReport cost = area.report(state.mapping().weightCount(), result.sramWeights());
        return new DeploymentEvent.Round(state.rounds().size() + 1, Instant.now(), trigger, check.arrayTimeSeconds(),
                result.placement().name().toLowerCase(), result.sramWeights(), result.sramFraction(), cost.cellOnlyCost(),
                cost.macroCost() + compensationCost(state), before, check.rawAccuracy(), result.accuracy(),
                result.accuracy() > before, seconds);
    }

    /** The gain registers and their multipliers (one per array), against the RRAM macro. */
    private double compensationCost(DeploymentState state) {
        return state.gains() == null ? 0 : area.compensationCost(state.mapping().weightCount(), state.gains().registers(),
                state.gains().bits(), state.mapping().arrayIds().size());
    }
}
