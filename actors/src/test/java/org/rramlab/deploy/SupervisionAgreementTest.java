package org.rramlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.learning.drift.ColumnGains;
import org.rramlab.learning.drift.DriftAction;
import org.rramlab.learning.drift.DriftDecision;
import org.rramlab.learning.drift.DriftPolicy;
import org.rramlab.learning.drift.Supervision;

/**
 * The supervisor keeps its state as journaled events; `bench drift` keeps the core's {@link Supervision.State}
 * and its transitions. Fed the same checks, the two must see the same state and take the same decisions at
 * every step (repair, placement, rounds, a refresh and its read-back, a check without drift), with the
 * supervisor's shipped settings and the bench's defaults. Fails if either side keeps the reference, the
 * rounds or a pending decision differently, or if their rules or budgets part.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SupervisionAgreementTest {
    static final ColumnGains GAINS = new ColumnGains(false, 8, 6, List.of(new float[] {1.1f}));
    static final double DAY = 86_400;

    DeploymentState live = DeploymentState.empty().created(new DeploymentEvent.Created(Instant.now(),
            DeploymentSpec.of("tiny"), null, "tiny", "mnist", 0.98, null));
    Supervision.State bench = Supervision.State.START;
    final DriftSettings settings = DriftSettings.defaults();
    /** The bench's rules: its defaults are the supervisor's (5 % a month, 10 % a refresh, steady, 2 %, 2 writes). */
    final Supervision.Rules benchRules = new Supervision.Rules(DriftPolicy.defaults(), true, true,
            new Supervision.Budget(0.05, 1_000_000, 0.1, true, 0.02, 2));
    int number;

    /** One check on both sides: the same measurement, each side's decision, each side's transitions. */
    DriftDecision check(double arrayTime, double stale, double recompensated, RefreshPlan refresh, double overlap) {
        live = live.programmed(new DeploymentEvent.Programmed(Instant.now(), 0, 0));
        assertEquals(DriftChoice.core(live), bench, "the same state before check " + (number + 1));
        DeploymentEvent.Check c = new DeploymentEvent.Check(++number, Instant.now(), Trigger.PERIODIC, arrayTime,
                stale - 0.1, stale, 500, 0.1, 0.1, recompensated);
        AdaptationWork.Measured m = new AdaptationWork.Measured(List.of(), stale - 0.1, stale, GAINS, recompensated,
                overlap, refresh, 500, 0.1);
        DriftDecision liveDecision = DriftChoice.decide(live, c, m, false, settings);
        DriftDecision benchDecision = Supervision.decide(bench, new Supervision.Observation(arrayTime, stale,
                recompensated, true, refresh == null ? null : new Supervision.PlannedRefresh(refresh.devices(),
                refresh.share(), refresh.budgetShare()), overlap, false), benchRules);
        assertEquals(liveDecision, benchDecision, "check " + number);
        live = live.checked(new DeploymentEvent.Checked(Instant.now(), c))
                .decided(DriftChoice.decided(c, liveDecision, m));
        bench = bench.checked(stale).decided(benchDecision);
        return liveDecision;
    }

    void round(double arrayTime, double before, double after) {
        boolean applied = after > before;
        live = live.adapted(new DeploymentEvent.Adapted(Instant.now(), new DeploymentEvent.Round(live.rounds().size() + 1,
                Instant.now(), Trigger.ACCURACY, arrayTime, "measured", 10, 0.02, 1, 0.07, before, before - 0.1, after,
                applied, 1), null));
        bench = bench.adapted(before, after, applied, arrayTime);
    }

    void refreshed(DriftDecision d) {
        live = live.refreshed(DeploymentEvent.Refreshed.of(live.pending(), 1, new AdaptationSteps.RefreshRan(40, 0, 0.1)));
        bench = bench.refreshed();
    }

    @Test
    void theJournaledStateAndTheBenchsCoreTakeTheSameDecisions() {
        RefreshPlan repair = new RefreshPlan(List.of(new RefreshPlan.Cells("a-0", new int[] {1, 2}, new float[] {1e-5f, 2e-5f})),
                1, 0, 40);
        assertEquals(DriftAction.REFRESH, check(0, 0.90, 0.90, repair, 1).action(), "the repair after programming");
        refreshed(null);
        assertEquals(DriftAction.REPLACE, check(0, 0.93, 0.93, null, 1).action(), "the SRAM is placed");
        round(0, 0.93, 0.97);
        assertEquals(DriftAction.NOTHING, check(3 * DAY, 0.9695, 0.9695, null, 1).action(), "within the threshold");
        assertEquals(DriftAction.RECOMPENSATE, check(6 * DAY, 0.96, 0.9695, null, 1).action(), "new gains hold it");
        DriftDecision r = check(9 * DAY, 0.95, 0.955, null, 0.9);
        assertEquals(DriftAction.OSA_ROUND, r.action(), "1.5 points under: a round");
        round(9 * DAY, 0.955, 0.968);
        RefreshPlan plan = new RefreshPlan(List.of(new RefreshPlan.Cells("a-0", new int[] {7}, new float[] {3e-5f})),
                0.8, 0.1, 20);
        assertEquals(DriftAction.REFRESH, check(12 * DAY, 0.94, 0.945, plan, 0.9).action(), "a refresh wins most");
        refreshed(null);
        assertEquals(DriftAction.OSA_ROUND, check(12 * DAY, 0.95, 0.955, null, 0.9).action(), "read back: a round");
        round(12 * DAY, 0.955, 0.95);
        assertEquals(DriftAction.RECOMPENSATE, check(12 * DAY, 0.94, 0.955, null, 0.9).action(),
                "no drift since the last round: gains only");
        assertEquals(DriftAction.REPLACE, check(15 * DAY, 0.93, 0.935, null, 0.1).action(), "the error map moved");
        assertEquals(DriftChoice.core(live).pending(), bench.pending());
    }
}
