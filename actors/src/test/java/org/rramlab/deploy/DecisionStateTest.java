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
}
