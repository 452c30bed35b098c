package org.rramlab.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rramlab.array.Interruption;
import org.rramlab.learning.drift.ColumnGains;
import org.rramlab.learning.drift.DriftAction;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.osa.SramBranch;
import org.rramlab.node.Provenance;
import org.rramlab.serialization.CborSerializable;

/**
 * A deployment as its events left it. Checks are kept for the last {@link #RECENT_CHECKS} only;
 * every round is kept (a round is rare and small without its branch, which only the latest needs).
 * {@code pending} is a round or refresh decided and not carried out yet; {@code writes} what
 * refreshes wrote (null in journals older than refresh: read it through {@link #endurance()}).
 */
public record DeploymentState(Phase phase, DeploymentSpec spec, WeightMapping mapping, String model, String dataset,
                              double softwareAccuracy, Instant createdAt, SramBranch branch, double reference,
                              int checks, List<DeploymentEvent.Check> recentChecks, List<DeploymentEvent.Round> rounds,
                              Instant interruptedAt, String problem, int interruptions, String stopReason,
                              ColumnGains gains, DeploymentEvent.Decided pending,
                              List<DeploymentEvent.Decided> recentDecisions, NodeHistory node,
                              Provenance provenance, Endurance writes)
        implements CborSerializable {
    public static final int RECENT_CHECKS = 500;

    /**
     * Where a deployment is. Journaled by its name ("SUPERVISING"), as snapshots always held it; the
     * API writes it as the lower-case word ({@link DeploymentStatus}); either reads.
     */
    public enum Phase {
        NEW, PROGRAMMING, SUPERVISING, STOPPED;

        /** The word the API shows: "supervising". */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Either spelling: the journal's name or the API's word. */
        @com.fasterxml.jackson.annotation.JsonCreator
        public static Phase of(String word) {
            return valueOf(word.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * What the nodes running it did: the crashes it lived through (oldest first, the last
     * {@link #KEPT_INTERRUPTIONS}), when its last event was journaled, and whether that was a clean stop.
     * Null in snapshots older than crashes in the history.
     */
    public record NodeHistory(List<Interruption> interruptions, Instant lastEventAt, boolean handedOff)
            implements CborSerializable {
        static final NodeHistory NONE = new NodeHistory(List.of(), null, false);
    }

    public static final int KEPT_INTERRUPTIONS = 100;

    public static DeploymentState empty() {
        return new DeploymentState(Phase.NEW, null, null, null, null, Double.NaN, null, null, Double.NaN, 0, List.of(),
                List.of(), null, null, 0, null, null, null, List.of(), NodeHistory.NONE, null, null);
    }

    public boolean exists() {
        return phase != Phase.NEW;
    }

    public boolean programmed() {
        return phase == Phase.SUPERVISING || phase == Phase.STOPPED;
    }

    /**
     * Array time of the last check that could plan a refresh (not the read-back after one), for the steady
     * refresh budget; minus infinity before any.
     */
    double lastRefreshingCheckSeconds() {
        for (int i = recentChecks.size() - 1; i >= 0; i--) {
            if (recentChecks.get(i).trigger() != Trigger.REFRESH) {
                return recentChecks.get(i).arrayTimeSeconds();
            }
        }
        return Double.NEGATIVE_INFINITY;
    }

    public DeploymentEvent.Check lastCheck() {
        return recentChecks.isEmpty() ? null : recentChecks.get(recentChecks.size() - 1);
    }

    DeploymentState created(DeploymentEvent.Created c) {
        return new DeploymentState(Phase.PROGRAMMING, c.spec(), c.mapping(), c.model(), c.dataset(), c.softwareAccuracy(),
                c.at(), null, Double.NaN, 0, List.of(), List.of(), null, null, 0, null, null, null, List.of(), node, c.provenance(), null);
    }

    DeploymentState programmed(DeploymentEvent.Programmed p) {
        return with(Phase.SUPERVISING, branch, reference, checks, recentChecks, rounds, interruptedAt, problem);
    }

    DeploymentState checked(DeploymentEvent.Checked c) {
        List<DeploymentEvent.Check> recent = new ArrayList<>(recentChecks);
        recent.add(c.check());
        if (recent.size() > RECENT_CHECKS) {
            recent.remove(0);
        }
        // without corrections yet, the reference is the first accuracy measured
        double ref = Double.isNaN(reference) ? c.check().accuracy() : reference;
        return with(phase, branch, ref, c.check().number(), List.copyOf(recent), rounds, interruptedAt, problem);
    }

    DeploymentState adapted(DeploymentEvent.Adapted a) {
        List<DeploymentEvent.Round> all = new ArrayList<>(rounds);
        all.add(a.round());
        // drift is judged against the accuracy in effect after the last round: when a round could
        // not do better, the level it could not improve on becomes the reference
        double ref = a.round().applied() ? a.round().accuracyAfter() : a.round().accuracyBefore();
        DeploymentState s = with(phase, a.branch(), ref, checks, recentChecks, List.copyOf(all), interruptedAt, problem);
        return new DeploymentState(s.phase, spec, mapping, model, dataset, softwareAccuracy, createdAt, s.branch,
                s.reference, checks, recentChecks, s.rounds, interruptedAt, problem, interruptions, stopReason, gains,
                null, decisions(), node, provenance, writes);
    }

    /** The decision is recorded; a round it chose is pending until {@link #adapted}, a refresh until {@link #refreshed}. */
    DeploymentState decided(DeploymentEvent.Decided d) {
        List<DeploymentEvent.Decided> recent = new ArrayList<>(decisions());
        recent.add(d);
        if (recent.size() > RECENT_CHECKS) {
            recent.remove(0);
        }
        boolean round = d.action() == DriftAction.OSA_ROUND || d.action() == DriftAction.REPLACE
                || (d.action() == DriftAction.REFRESH && d.refresh() != null);
        return new DeploymentState(phase, spec, mapping, model, dataset, softwareAccuracy, createdAt, branch, reference,
                checks, recentChecks, rounds, interruptedAt, problem, interruptions, stopReason,
                d.gains() != null ? d.gains() : gains, round ? d : null, List.copyOf(recent), node, provenance, writes);
    }

    /** The refresh's writes are counted; it is no longer pending. */
    DeploymentState refreshed(DeploymentEvent.Refreshed r) {
        return new DeploymentState(phase, spec, mapping, model, dataset, softwareAccuracy, createdAt, branch, reference,
                checks, recentChecks, rounds, interruptedAt, problem, interruptions, stopReason, gains, null,
                recentDecisions, node, provenance, endurance().refreshed(r));
    }

    /** What refreshes wrote (nothing in journals older than refresh). */
    public Endurance endurance() {
        return writes == null ? Endurance.NONE : writes;
    }

    /** A refresh decided and not carried out yet, or null. */
    public DeploymentEvent.Decided pendingRefresh() {
        return pending != null && pending.action() == DriftAction.REFRESH ? pending : null;
    }

    /** Decisions, oldest first (none in journals older than the drift policy). */
    public List<DeploymentEvent.Decided> decisions() {
        return recentDecisions == null ? List.of() : recentDecisions;
    }

    DeploymentState interrupted(DeploymentEvent.Interrupted i) {
        boolean fresh = interruptedAt == null;
        DeploymentState s = with(phase, branch, reference, checks, recentChecks, rounds, fresh ? i.at() : interruptedAt,
                i.reason());
        return fresh ? s.counted() : s;
    }

    DeploymentState recovered(DeploymentEvent.Recovered r) {
        return with(phase, branch, reference, checks, recentChecks, rounds, null, null);
    }

    /** The events of a step that went through: a Recovered first when it closes an interruption. */
    List<DeploymentEvent> closing(DeploymentEvent... events) {
        List<DeploymentEvent> out = new ArrayList<>();
        if (interruptedAt != null) {
            Instant now = Instant.now();
            out.add(new DeploymentEvent.Recovered(now, java.time.Duration.between(interruptedAt, now).toMillis() / 1e3));
        }
        out.addAll(List.of(events));
        return out;
    }

    DeploymentState stoppedCleanly(DeploymentEvent.HandedOff e) {
        return this;
    }

    DeploymentState nodeLost(DeploymentEvent.NodeLost e) {
        List<Interruption> all = new ArrayList<>(nodeHistory().interruptions());
        all.add(e.crashed()
                ? Interruption.closed(Interruption.NODE_CRASH, e.from(), "the node supervising the deployment stopped"
                        + " without a clean stop (killed, crashed, lost power); it was taken up again on recovery", e.at(),
                        e.checksDelayed())
                : Interruption.closed(Interruption.NODE_STOP, e.from(), "the node supervising the deployment was stopped"
                        + " (a clean stop); checks that fell due meanwhile were taken up on recovery", e.at(),
                        e.checksDelayed()));
        while (all.size() > KEPT_INTERRUPTIONS) {
            all.remove(0);
        }
        return withNode(new NodeHistory(List.copyOf(all), nodeHistory().lastEventAt(), nodeHistory().handedOff()));
    }

    /** After every event: when it happened, and whether it was a clean stop. */
    DeploymentState journaled(DeploymentEvent e) {
        return withNode(new NodeHistory(nodeHistory().interruptions(), e.at(), e instanceof DeploymentEvent.HandedOff));
    }

    /** The node's part of the history (none in snapshots older than it). */
    public NodeHistory nodeHistory() {
        return node == null ? NodeHistory.NONE : node;
    }

    /** Whether it was at work (programming or supervising): a node lost then interrupted it. */
    public boolean active() {
        return phase == Phase.PROGRAMMING || phase == Phase.SUPERVISING;
    }

    /** The record of a node lost while at work: from its last journaled event until {@code now}. */
    /** What a recovery at {@code now} records: a crash unless the last event was a clean stop, and the checks delayed. */
    DeploymentEvent.NodeLost lostAt(Instant now) {
        Instant from = nodeHistory().lastEventAt() != null ? nodeHistory().lastEventAt() : now;
        return new DeploymentEvent.NodeLost(now, from, checksDueBy(now), !nodeHistory().handedOff());
    }

    /** Periodic checks that fell due between the last event and {@code now}. */
    public int checksDueBy(Instant now) {
        Instant last = nodeHistory().lastEventAt();
        if (spec == null || last == null || !now.isAfter(last)) {
            return 0;
        }
        return (int) (java.time.Duration.between(last, now).toMillis() / 1000.0 / spec.checkIntervalOrDefault());
    }

    DeploymentState stopped(DeploymentEvent.Stopped s) {
        return new DeploymentState(Phase.STOPPED, spec, mapping, model, dataset, softwareAccuracy, createdAt, branch,
                reference, checks, recentChecks, rounds, null, null, interruptions, s.reason(), gains, pending,
                recentDecisions, node, provenance, writes);
    }

    private DeploymentState with(Phase p, SramBranch b, double ref, int n, List<DeploymentEvent.Check> recent,
                                 List<DeploymentEvent.Round> r, Instant interrupted, String why) {
        return new DeploymentState(p, spec, mapping, model, dataset, softwareAccuracy, createdAt, b, ref, n, recent, r,
                interrupted, why, interruptions, stopReason, gains, pending, recentDecisions, node, provenance, writes);
    }

    private DeploymentState counted() {
        return new DeploymentState(phase, spec, mapping, model, dataset, softwareAccuracy, createdAt, branch, reference,
                checks, recentChecks, rounds, interruptedAt, problem, interruptions + 1, stopReason, gains, pending,
                recentDecisions, node, provenance, writes);
    }

    private DeploymentState withNode(NodeHistory n) {
        return new DeploymentState(phase, spec, mapping, model, dataset, softwareAccuracy, createdAt, branch, reference,
                checks, recentChecks, rounds, interruptedAt, problem, interruptions, stopReason, gains, pending,
                recentDecisions, n, provenance, writes);
    }
}
