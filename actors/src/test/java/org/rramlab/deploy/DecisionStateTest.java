package org.rramlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.learning.drift.ColumnGains;
import org.rramlab.learning.drift.DriftAction;

/**
 * A decision is journaled with its check: a round it chose stays pending in the state rebuilt from
 * the journal until the round's own event, so a node that stopped in between carries it out.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DecisionStateTest {
    static final ColumnGains GAINS = new ColumnGains(true, 8, 6, List.of(new float[] {1.25f, 0.75f}));

    @Test
    void aRoundDecidedBeforeAStopIsPendingAfterTheReplayAndDoneAfterItsRound() {
        DeploymentState s = DeploymentState.empty();
        DeploymentEvent.Decided round = new DeploymentEvent.Decided(Instant.now(), 4, DriftAction.OSA_ROUND,
                "1.2 points under the reference", 0.6, 86_400, GAINS);
        s = s.decided(round);
        assertEquals(round, s.pending(), "recorded, not carried out yet");
        assertEquals(GAINS, s.gains(), "the new gains are in place at once");
        assertEquals(List.of(round), s.decisions());

        DeploymentEvent.Decided nothing = new DeploymentEvent.Decided(Instant.now(), 5, DriftAction.NOTHING,
                "within the threshold", 0, 90_000, null);
        DeploymentState later = s.decided(nothing);
        assertNull(later.pending(), "a later decision replaces a round that could not run");
        assertEquals(GAINS, later.gains(), "deciding nothing keeps the gains");
        assertEquals(2, later.decisions().size());
    }

    @Test
    void aRefreshDecidedBeforeAStopIsPendingUntilItsWritesAreCounted() {
        RefreshPlan plan = new RefreshPlan(List.of(new RefreshPlan.Cells("a-0", new int[] {3, 70}, new float[] {4e-5f, 2e-5f}),
                new RefreshPlan.Cells("a-1", new int[] {5}, new float[] {3e-5f})), 0.2, 0.1, 60);
        DeploymentEvent.Decided refresh = new DeploymentEvent.Decided(Instant.now(), 7, DriftAction.REFRESH,
                "2 points under the reference", 1.0, 86_400, GAINS, plan);
        DeploymentState s = DeploymentState.empty().decided(refresh);
        assertEquals(refresh, s.pendingRefresh(), "recorded with its devices, not carried out yet");
        assertEquals(Endurance.NONE, s.endurance());

        DeploymentState done = s.refreshed(DeploymentEvent.Refreshed.of(refresh, 1, new AdaptationSteps.RefreshRan(9, 1, 0.5)));
        assertNull(done.pending());
        assertEquals(3, done.endurance().devicesWritten());
        assertEquals(9, done.endurance().pulses());
        DeploymentState twice = done.decided(refresh).refreshed(DeploymentEvent.Refreshed.of(refresh, 2, new AdaptationSteps.RefreshRan(5, 0, 0.4)));
        assertEquals(2, twice.endurance().maxWrites());
        assertEquals(6, twice.endurance().deviceWrites());
        assertEquals(java.util.Map.of(2, 3L), twice.endurance().histogram());
        assertEquals(6, twice.endurance().devicesInMonthBefore(86_400 + 1), "both refreshes in the month before");
        assertEquals(0, twice.endurance().devicesInMonthBefore(86_400 + 31 * 86_400.0), "none a month later");
    }

    @Test
    void theBudgetIsTheSmallestOfWhatIsLeftOnceAndWhatThePulsesAllow() {
        double never = Double.POSITIVE_INFINITY;
        var settings = new DriftSettings.Refresh(0.01, 3_000, 0.5, false, 0, 0, 0);
        assertEquals(150, RefreshBudget.at(settings, Endurance.NONE, 1e8, never, 50_816, 20).devices(), "the pulses bind");
        var pulses = new DriftSettings.Refresh(0.01, 1_000_000, 0.5, false, 0, 0, 0);
        assertEquals(255, RefreshBudget.at(pulses, Endurance.NONE, 1e8, never, 50_816, 20).devices(),
                "half the month's 508.16 devices, rounded up");
        var off = new DriftSettings.Refresh(0, 3_000, 0.5, false, 0, 0, 0);
        assertEquals(0, RefreshBudget.at(off, Endurance.NONE, 1e8, never, 50_816, 20).devices(), "0 writes a month: never");
    }

    @Test
    void aSteadyRefreshSpendsWhatTheArrayTimeSinceThePreviousCheckEarned() {
        var steady = new DriftSettings.Refresh(0.05, 1_000_000, 0.1, true, 0, 0, 0);
        double day = 86_400;
        // 5 % of 50,816 devices a month is 2,540.8; 3 days earn a tenth of it, 1 day a thirtieth
        assertEquals(255, RefreshBudget.at(steady, Endurance.NONE, 1e8, 3 * day, 50_816, 20).devices());
        assertEquals(85, RefreshBudget.at(steady, Endurance.NONE, 1e8, day, 50_816, 20).devices());
        assertEquals(255, RefreshBudget.at(steady, Endurance.NONE, 1e8, 20 * day, 50_816, 20).devices(),
                "no more than share-per-refresh after a long quiet spell");
        assertEquals(0, RefreshBudget.at(steady, Endurance.NONE, 1e8, 0, 50_816, 20).devices(),
                "no array time since the previous check: nothing earned");
    }

    @Test
    void theRepairAfterProgrammingTakesItsShareOfTheWeightsWithinTheMonthsBudget() {
        var repair = new DriftSettings.Refresh(0.05, 1_000_000, 0.1, false, 0, 0.02, 0);
        assertEquals(508, RefreshBudget.atDeployment(repair, 25_408, 50_816, 20).devices(),
                "2 % of 25,408 weights, not bound by one refresh's 10 %");
        assertEquals(100, RefreshBudget.atDeployment(new DriftSettings.Refresh(0.05, 2_000, 0.1, false, 0, 0.02, 0), 25_408, 50_816,
                20).devices(), "the pulses bind: 2,000 / 20");
        assertEquals(254, RefreshBudget.atDeployment(new DriftSettings.Refresh(0.005, 1_000_000, 0.1, false, 0, 0.02, 0), 25_408,
                50_816, 20).devices(), "the month's 254.08 devices bind");
        assertEquals(0, RefreshBudget.atDeployment(new DriftSettings.Refresh(0.05, 1_000_000, 0.1, false, 0, 0, 0), 25_408, 50_816,
                20).devices(), "no share: no repair");
        assertEquals(0, RefreshBudget.atDeployment(new DriftSettings.Refresh(0, 1_000_000, 0.1, false, 0, 0.02, 0), 25_408, 50_816,
                20).devices(), "refresh off: no repair either");
    }
}
