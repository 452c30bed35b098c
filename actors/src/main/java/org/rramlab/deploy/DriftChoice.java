package org.rramlab.deploy;

import org.rramlab.learning.drift.DriftAction;
import org.rramlab.learning.drift.DriftDecision;
import org.rramlab.learning.drift.Supervision;

/** The supervisor's side of {@link Supervision}: its journaled state seen by the core, the decision as journaled. */
final class DriftChoice {
    private DriftChoice() {}

    /**
     * The supervision core's decision ({@link Supervision#decide}) for this deployment's state and check.
     *
     * @param asked an operator asked for a round, or a round was pending when the node stopped
     */
    static DriftDecision decide(DeploymentState s, DeploymentEvent.Check c, AdaptationWork.Measured m, boolean asked,
                                DriftSettings drift) {
        RefreshPlan refresh = m.refresh();
        return Supervision.decide(core(s), new Supervision.Observation(c.arrayTimeSeconds(), m.accuracy(),
                m.recompensated(), m.gains() != null, refresh == null ? null : new Supervision.PlannedRefresh(
                        refresh.devices(), refresh.share(), refresh.budgetShare()), m.overlap(), asked),
                rules(s, drift));
    }

    /** The core's view of a deployment's journaled state. */
    static Supervision.State core(DeploymentState s) {
        double lastRound = s.rounds().isEmpty() ? Double.NEGATIVE_INFINITY
                : s.rounds().get(s.rounds().size() - 1).arrayTimeSeconds();
        DeploymentEvent.Decided p = s.pending();
        return new Supervision.State(s.checks(), s.reference(), s.rounds().size(), lastRound,
                p == null ? null : new DriftDecision(p.action(), p.reason(), p.expectedGainPoints(), 0));
    }

    static Supervision.Rules rules(DeploymentState s, DriftSettings drift) {
        return new Supervision.Rules(drift.policy(s.spec().thresholdOrDefault()), s.spec().sramFractionOrDefault() > 0,
                drift.compensates(), drift.refresh().budget());
    }

    /** Right after programming, with a repair configured, the first check repairs (later ones never: it is recorded). */
    static boolean repairDue(DeploymentState s, DriftSettings drift) {
        return Supervision.repairDue(core(s), rules(s, drift));
    }

    /** The decision as journaled: new gains unless it does nothing, the devices of a refresh it chose. */
    static DeploymentEvent.Decided decided(DeploymentEvent.Check c, DriftDecision d, AdaptationWork.Measured m) {
        return new DeploymentEvent.Decided(java.time.Instant.now(), c.number(), d.action(), d.reason(),
                d.expectedGainPoints(), c.arrayTimeSeconds(), d.action() == DriftAction.NOTHING ? null : m.gains(),
                d.action() == DriftAction.REFRESH ? m.refresh() : null);
    }

    /** Why the round runs: deployed (the first), operator, accuracy (after a routine check) or the alarm. */
    static Trigger roundTrigger(DeploymentState s, DeploymentEvent.Check c, boolean operator) {
        if (s.rounds().isEmpty()) {
            return operator ? Trigger.OPERATOR : Trigger.DEPLOYED;
        }
        if (operator && c.trigger() != Trigger.RESTART) {
            return Trigger.OPERATOR;
        }
        return c.trigger().routine() ? Trigger.ACCURACY : c.trigger();
    }
}
