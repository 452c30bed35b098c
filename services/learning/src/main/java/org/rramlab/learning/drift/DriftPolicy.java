package org.rramlab.learning.drift;

import java.util.Locale;

/**
 * Chooses at each check between nothing, recompensation, an OSA round, re-placement and refresh,
 * by expected gain (accuracy points won back on validation images) against cost. Costs are in one
 * unit, points of accuracy an action must at least promise: {@code roundCost} for a round (its
 * seconds on the arrays' host), {@code replaceCost} for a round that also moves the SRAM, and
 * {@code refreshCostPerShare} per share of the month's write budget that a refresh spends (a refresh
 * is followed by a refining round, and costs that round too).
 * Recompensation costs nothing but a read, so it is taken whenever it helps.
 *
 * @param thresholdPoints     below this gap to the reference, nothing but recompensation is done
 * @param movedOverlap        the error map has moved when fewer than this share of the costliest
 *                            positions are still SRAM positions: re-placement is then considered
 */
public record DriftPolicy(double thresholdPoints, double roundCost, double replaceCost, double refreshCostPerShare,
                          double movedOverlap) {

    public static DriftPolicy defaults() {
        // a threshold of 0.1 points: on the tuning chips' validation images it held both benchmark networks
        // closer than 0.3 did (docs/drift.md, 2026-12-02)
        return new DriftPolicy(0.1, 0.05, 0.1, 0.05, 0.5);
    }

    /**
     * What one check found, in accuracy points for the gains and in [0, 1] for shares.
     *
     * @param reference       validation accuracy after the last action (the level to hold)
     * @param stale           validation accuracy now, with the gains and SRAM in place
     * @param recompensated   validation accuracy now with gains estimated from this check
     * @param refreshShare    share of the importance-weighted error the refresh budget can remove
     * @param budgetShare     share of this month's write budget one refresh would spend (1 = all)
     * @param overlap         share of the costliest positions that are SRAM positions already
     * @param roundRecovery   share of a gap an OSA round won back so far (0.5 before the first)
     */
    public record Observation(double reference, double stale, double recompensated, double refreshShare,
                              double budgetShare, double overlap, double roundRecovery) {}

    public DriftDecision decide(Observation o) {
        double gap = 100 * (o.reference() - o.recompensated());
        double fresh = 100 * (o.recompensated() - o.stale());
        if (gap <= thresholdPoints) {
            return fresh > 0
                    ? new DriftDecision(DriftAction.RECOMPENSATE, String.format(Locale.ROOT,
                            "new gains win %.2f points and leave %.2f under the reference", fresh, Math.max(gap, 0)),
                            fresh, 0)
                    : new DriftDecision(DriftAction.NOTHING, String.format(Locale.ROOT,
                            "%.2f points under the reference, within %.2f", Math.max(gap, 0), thresholdPoints), 0, 0);
        }
        double round = gap * o.roundRecovery() - roundCost;
        boolean moved = o.overlap() < movedOverlap;
        double replace = moved ? gap * Math.min(1, o.roundRecovery() + (1 - o.overlap()) / 2) - replaceCost : -1;
        // a refresh is followed by a refining round: it removes its share of the error, the round part of the rest
        double refresh = o.budgetShare() <= 1 && o.budgetShare() > 0 && o.refreshShare() > 0
                ? gap * (o.refreshShare() + (1 - o.refreshShare()) * o.roundRecovery()) - roundCost
                        - refreshCostPerShare * o.budgetShare() : -1;
        if (refresh >= round && refresh >= replace && refresh > 0) {
            return new DriftDecision(DriftAction.REFRESH, String.format(Locale.ROOT,
                    "%.2f points under the reference after new gains; refreshing %.0f %% of the month's budget"
                            + " removes %.0f %% of the weighted error", gap, 100 * o.budgetShare(),
                    100 * o.refreshShare()), gap * o.refreshShare(), refreshCostPerShare * o.budgetShare());
        }
        if (replace >= round && replace > 0) {
            return new DriftDecision(DriftAction.REPLACE, String.format(Locale.ROOT,
                    "%.2f points under the reference after new gains; only %.0f %% of the costliest positions"
                            + " hold SRAM: move it", gap, 100 * o.overlap()), replace + replaceCost, replaceCost);
        }
        if (round > 0) {
            return new DriftDecision(DriftAction.OSA_ROUND, String.format(Locale.ROOT,
                    "%.2f points under the reference after new gains; a round wins back about %.0f %% of it", gap,
                    100 * o.roundRecovery()), round + roundCost, roundCost);
        }
        return new DriftDecision(fresh > 0 ? DriftAction.RECOMPENSATE : DriftAction.NOTHING, String.format(Locale.ROOT,
                "%.2f points under the reference, but no action promises more than it costs", gap), Math.max(fresh, 0), 0);
    }
}
