package org.rramlab.deploy;

import org.rramlab.learning.drift.DriftAction;
import org.rramlab.learning.drift.DriftDecision;
import org.rramlab.learning.drift.DriftPolicy;

/** What a check calls for, and why a round it calls for runs: the supervisor's rules around {@link DriftPolicy}. */
final class DriftChoice {
    private DriftChoice() {}

    /**
     * The first check after programming places the SRAM; a round decided before a restart is
     * carried out; an operator's request is a round; otherwise the policy weighs each action's
     * expected gain against its cost. Without drift since the last round a round would learn the
     * same again: the policy may then only recompensate. A refresh is weighed only when the check
     * planned one within the budgets ({@link AdaptationWork.Measured#refresh()}).
     *
     * @param asked an operator asked for a round, or a round was pending when the node stopped
     */
    static DriftDecision decide(DeploymentState s, DeploymentEvent.Check c, AdaptationWork.Measured m, boolean asked,
                                DriftSettings drift) {
        boolean sram = s.spec().sramFractionOrDefault() > 0;
        if (repairDue(s, drift) && m.refresh() != null) {
            return new DriftDecision(DriftAction.REFRESH, String.format(java.util.Locale.ROOT,
                    "deployed: write-verify of the %d costliest devices after programming, before %s",
                    m.refresh().devices(), sram ? "the SRAM is placed" : "the first check"), 0, 0);
        }
        if (sram && s.rounds().isEmpty()) {
            return new DriftDecision(DriftAction.REPLACE, "deployed: gains from the first reads, SRAM placed by importance",
                    0, 0);
        }
        if (sram && asked && s.pending() != null) {
            return new DriftDecision(s.pending().action(), "decided before the node stopped: " + s.pending().reason(),
                    s.pending().expectedGainPoints(), 0);
        }
        if (sram && asked) {
            return new DriftDecision(DriftAction.OSA_ROUND, "asked for by an operator", 0, 0);
        }
        double reference = Double.isNaN(s.reference()) ? c.accuracy() : s.reference();
        RefreshPlan refresh = m.refresh();
        DriftDecision d = drift.policy(s.spec().thresholdOrDefault()).decide(new DriftPolicy.Observation(
                reference, m.accuracy(), m.recompensated(), refresh == null ? 0 : refresh.share(),
                refresh == null ? 0 : refresh.budgetShare(), m.overlap(), 0.5));
        boolean round = d.action() == DriftAction.OSA_ROUND || d.action() == DriftAction.REPLACE;
        boolean drifted = s.rounds().isEmpty()
                || c.arrayTimeSeconds() > s.rounds().get(s.rounds().size() - 1).arrayTimeSeconds();
        if (round && (!sram || !drifted)) {
            boolean better = m.recompensated() > m.accuracy() && m.gains() != null;
            return new DriftDecision(better ? DriftAction.RECOMPENSATE : DriftAction.NOTHING, d.reason()
                    + (sram ? "; but the arrays have not drifted since the last round" : "; but there is no SRAM"), 0, 0);
        }
        return m.gains() == null && d.action() == DriftAction.RECOMPENSATE
                ? new DriftDecision(DriftAction.NOTHING, "compensation is off", 0, 0) : d;
    }

    /** Right after programming, with a repair configured, the first check repairs (later ones never: it is recorded). */
    static boolean repairDue(DeploymentState s, DriftSettings drift) {
        return drift.refresh().repairsAtDeployment() && s.checks() == 0;
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
