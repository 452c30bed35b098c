package org.rramlab.deploy;

import java.time.Instant;
import org.rramlab.learning.drift.ColumnGains;
import org.rramlab.learning.drift.DriftAction;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.osa.SramBranch;
import org.rramlab.node.Provenance;
import org.rramlab.serialization.CborSerializable;

/** What happened to a deployment; its state is rebuilt from these. */
public sealed interface DeploymentEvent extends CborSerializable {
    Instant at();

    /**
     * The network was planned onto arrays; {@code softwareAccuracy} is its accuracy with ideal weights;
     * {@code provenance} the software, preset and arrays it started with (null in older journals).
     */
    record Created(Instant at, DeploymentSpec spec, WeightMapping mapping, String model, String dataset,
                   double softwareAccuracy, Provenance provenance) implements DeploymentEvent {}

    /** Every tile is on its array. The RRAM is never programmed again by this deployment. */
    record Programmed(Instant at, long pulses, double seconds) implements DeploymentEvent {}

    /** A HIL accuracy check: the measured network alone ({@code rawAccuracy}) and with the SRAM corrections. */
    record Checked(Instant at, Check check) implements DeploymentEvent {}

    /** An OSA round; {@code branch} is the SRAM branch in use after it (the old one when the new one was no better). */
    record Adapted(Instant at, Round round, SramBranch branch) implements DeploymentEvent {}

    /**
     * What the drift policy chose at check {@code check}, and why; recorded with the check, before it
     * is carried out. {@code gains} are the gains in place from now on (null: the old ones stay).
     * A round it chose ends with {@link Adapted}; one that was chosen when the node stopped is
     * carried out after the restart.
     */
    record Decided(Instant at, int check, DriftAction action, String reason, double expectedGainPoints,
                   double arrayTimeSeconds, ColumnGains gains, RefreshPlan refresh) implements DeploymentEvent {
        /** A decision that writes no device ({@code refresh} is null, as in journals older than refresh). */
        public Decided(Instant at, int check, DriftAction action, String reason, double expectedGainPoints,
                       double arrayTimeSeconds, ColumnGains gains) {
            this(at, check, action, reason, expectedGainPoints, arrayTimeSeconds, gains, null);
        }
    }

    /**
     * A refresh the policy chose at check {@code refresh.check()} was carried out: {@code cells}
     * were written once each (per array, row * cols + col). Before this event it is pending.
     */
    record Refreshed(Instant at, Refresh refresh, java.util.Map<String, int[]> cells) implements DeploymentEvent {
        static Refreshed of(Decided d, int number, AdaptationSteps.RefreshRan ran) {
            java.util.Map<String, int[]> cells = new java.util.TreeMap<>();
            d.refresh().arrays().forEach(a -> cells.put(a.arrayId(), a.cells()));
            return new Refreshed(Instant.now(), new Refresh(number, d.check(), Instant.now(), d.arrayTimeSeconds(),
                    d.refresh().devices(), ran.pulses(), ran.outOfTolerance(), ran.seconds(), d.reason()), cells);
        }
    }

    /** A step could not be done (arrays unreachable, a file missing); it is tried again. */
    record Interrupted(Instant at, String reason) implements DeploymentEvent {}

    /** A step went through again after an interruption. */
    record Recovered(Instant at, double downSeconds) implements DeploymentEvent {}

    /** The operator stopped supervising; the arrays keep what they hold. */
    record Stopped(Instant at, String reason) implements DeploymentEvent {}

    /** The supervisor stopped cleanly on its node (a node's stop, a shard moving): not a crash. */
    record HandedOff(Instant at) implements DeploymentEvent {}

    /**
     * On recovery: the deployment was supervising (or programming) when its node stopped without a
     * clean stop, from {@code from} (its last journaled event) until {@code at}; {@code checksDelayed}
     * periodic checks fell due meanwhile.
     */
    record NodeLost(Instant at, Instant from, int checksDelayed) implements DeploymentEvent {}

    /**
     * @param trigger             what asked for it: deployed, periodic, restart, drift, cusum, operator
     * @param accuracy            on validation images, as the network computed at the check (gains and SRAM in place)
     * @param compensatedAccuracy the same with gains estimated from this check's reads (null: none; older journals)
     */
    record Check(int number, Instant at, Trigger trigger, double arrayTimeSeconds, double rawAccuracy,
                 double accuracy, int images, double readSeconds, double evalSeconds, Double compensatedAccuracy)
            implements CborSerializable {}

    /**
     * @param number          1, 2, ... in this deployment
     * @param check           the check whose decision it carried out
     * @param devices         devices written (each once)
     * @param pulses          write-verify pulses they took
     * @param outOfTolerance  devices that write-verify left outside its tolerance (stuck ones, mostly)
     * @param seconds         wall time, from the first write to the last answer
     */
    record Refresh(int number, int check, Instant at, double arrayTimeSeconds, int devices, long pulses,
                   int outOfTolerance, double seconds, String reason) implements CborSerializable {}

    /**
     * @param trigger        why it ran: deployed (first correction), accuracy (fell past the threshold),
     *                       drift or cusum (after a statistics alarm), operator
     * @param accuracyBefore accuracy with the corrections in place before the round
     * @param rawAccuracy    accuracy of the measured RRAM network alone
     * @param accuracyAfter  accuracy with the new corrections
     * @param applied        whether they replaced the old ones (only when they do better)
     * @param areaCostCell   SRAM cells against RRAM cells
     * @param areaCostMacro  the macro view (arrays with peripherals), as the paper's 7.86 %
     */
    record Round(int number, Instant at, Trigger trigger, double arrayTimeSeconds, String placement, long positions,
                 double sramFraction, double areaCostCell, double areaCostMacro, double accuracyBefore,
                 double rawAccuracy, double accuracyAfter, boolean applied, double seconds) implements CborSerializable {}
}
