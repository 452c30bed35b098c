package org.rramlab.learning.drift;

import java.util.Locale;

/**
 * The drift-supervision core (decision 0040): what a check calls for, as a pure function of what the
 * deployment did so far ({@link State}) and what the check measured ({@link Observation}). The live
 * supervisor journals its decisions and does the messaging; {@code bench drift} keeps the same state and
 * calls the same function against simulated arrays, so the two take their decisions by one set of rules:
 * compensation, the refresh budget (devices and pulses per month of array time, steady batches), write
 * endurance and stuck devices, the repair after programming, rounds and re-placement.
 */
public final class Supervision {
    private Supervision() {}

    /**
     * @param policy      thresholds and costs of the actions
     * @param sram        the deployment has an SRAM branch (rounds are possible)
     * @param compensates gains are estimated at each check
     * @param budget      the write budgets
     */
    public record Rules(DriftPolicy policy, boolean sram, boolean compensates, Budget budget) {}

    /**
     * What refreshes may write. A month is 30 days of array time, the devices' own clock.
     *
     * @param writesPerMonth     devices per month, as a share of the deployment's devices (0: never refresh)
     * @param pulsesPerMonth     write-verify pulses per month
     * @param sharePerRefresh    share of the month's devices one refresh may spend
     * @param steady             a refresh spends no more than the array time since the previous refreshing check earned
     * @param atDeployment       share of the weights written again right after programming (0: none)
     * @param maxWritesPerDevice a device refreshes wrote this often is not chosen again (0: no limit)
     */
    public record Budget(double writesPerMonth, long pulsesPerMonth, double sharePerRefresh, boolean steady,
                         double atDeployment, int maxWritesPerDevice) {
        public static final double MONTH_SECONDS = 30 * 86_400.0;

        public boolean on() {
            return writesPerMonth > 0 && pulsesPerMonth > 0 && sharePerRefresh > 0;
        }

        public boolean repairsAtDeployment() {
            return on() && atDeployment > 0;
        }

        public double monthlyDevices(long deviceCount) {
            return writesPerMonth * deviceCount;
        }

        /**
         * Devices a refresh may write at a check: the month's budget less what the last month wrote, at most
         * one refresh's share (steady: what the array time since the previous refreshing check earned), and no
         * more than the month's pulses left can verify at the worst case.
         *
         * @param devicesInMonth devices refreshes wrote in the month of array time before this check
         * @param pulsesInMonth  pulses they took
         * @param sinceLastCheck array seconds since the previous check that could refresh (infinite: none)
         */
        public int devicesNow(double devicesInMonth, double pulsesInMonth, double sinceLastCheck, long deviceCount,
                              int pulsesPerDevice) {
            if (!on() || pulsesPerDevice <= 0) {
                return 0;
            }
            double monthly = monthlyDevices(deviceCount);
            double left = monthly - devicesInMonth;
            double share = steady ? Math.min(sharePerRefresh, Math.max(0, sinceLastCheck) / MONTH_SECONDS)
                    : sharePerRefresh;
            double once = Math.ceil(monthly * share);
            double byPulses = (pulsesPerMonth - pulsesInMonth) / pulsesPerDevice;
            return (int) Math.max(0, Math.floor(Math.min(left, Math.min(once, byPulses))));
        }

        /** The repair after programming: {@code atDeployment} of the weights, within the month's devices and pulses. */
        public int devicesAtDeployment(long weightCount, long deviceCount, int pulsesPerDevice) {
            if (!repairsAtDeployment() || pulsesPerDevice <= 0) {
                return 0;
            }
            double byPulses = (double) pulsesPerMonth / pulsesPerDevice;
            return (int) Math.max(0, Math.floor(Math.min(Math.round(atDeployment * weightCount),
                    Math.min(monthlyDevices(deviceCount), byPulses))));
        }

        /**
         * Write endurance and stuck devices: a device refreshes wrote {@code maxWritesPerDevice} times, or one
         * write-verify is known to have left out of tolerance (stuck), is not chosen again.
         */
        public boolean mayWrite(int writesOfDevice, boolean knownStuck) {
            return !knownStuck && (maxWritesPerDevice <= 0 || writesOfDevice < maxWritesPerDevice);
        }
    }

    /**
     * What the deployment did so far, as far as the rules need it.
     *
     * @param checks            checks recorded
     * @param reference         validation accuracy to hold (NaN before the first check)
     * @param rounds            OSA rounds run
     * @param lastRoundAt       array seconds of the last round (negative infinity before the first)
     * @param pending           a round or refresh decided and not carried out (null: none)
     */
    public record State(int checks, double reference, int rounds, double lastRoundAt, DriftDecision pending) {
        public static final State START = new State(0, Double.NaN, 0, Double.NEGATIVE_INFINITY, null);

        /** A check measured {@code accuracy}: without corrections yet, it is the reference. */
        public State checked(double accuracy) {
            return new State(checks + 1, Double.isNaN(reference) ? accuracy : reference, rounds, lastRoundAt, pending);
        }

        /** A decision was taken: a round or refresh is pending until carried out. */
        public State decided(DriftDecision d) {
            boolean acts = d.action() == DriftAction.OSA_ROUND || d.action() == DriftAction.REPLACE
                    || d.action() == DriftAction.REFRESH;
            // as journaled: the action, its reason and expected gain (the cost is not kept)
            return new State(checks, reference, rounds, lastRoundAt,
                    acts ? new DriftDecision(d.action(), d.reason(), d.expectedGainPoints(), 0) : null);
        }

        /** A refresh was carried out (a read-back check follows). */
        public State refreshed() {
            return new State(checks, reference, rounds, lastRoundAt, null);
        }

        /**
         * A round ran at {@code arrayTime}: the level in effect after it is the reference (the level it could
         * not improve on when it did no better).
         */
        public State adapted(double before, double after, boolean applied, double arrayTime) {
            return new State(checks, applied ? after : before, rounds + 1, arrayTime, null);
        }
    }

    /**
     * What one check measured on the validation images.
     *
     * @param arrayTime      the arrays' clock, seconds
     * @param stale          accuracy as the network computes now (the gains and SRAM in place)
     * @param recompensated  the same with gains estimated from this check's reads
     * @param fresh          gains were estimated from this check (compensation on)
     * @param refresh        the refresh the budget allows now (null: none planned)
     * @param overlap        share of the costliest errors that sit on SRAM positions (1: not looked at)
     * @param asked          an operator asked for a round, or one was pending when the node stopped
     */
    public record Observation(double arrayTime, double stale, double recompensated, boolean fresh, PlannedRefresh refresh,
                              double overlap, boolean asked) {}

    /**
     * @param devices     devices it would write
     * @param share       share of the importance-weighted error they carry
     * @param budgetShare share of the month's budget it spends
     */
    public record PlannedRefresh(int devices, double share, double budgetShare) {}

    /** Right after programming, with a repair configured, the first check repairs (later ones never). */
    public static boolean repairDue(State s, Rules r) {
        return r.budget().repairsAtDeployment() && s.checks() == 0;
    }

    /** Gains are judged against a round's recovery prior of one half (the live supervisor keeps no other). */
    static final double ROUND_RECOVERY = 0.5;

    /**
     * The first check after programming repairs (when configured) or places the SRAM; a round decided
     * before a restart is carried out; an operator's request is a round; otherwise the policy weighs each
     * action's expected gain against its cost. Without drift since the last round a round would learn the
     * same again: only recompensation is then allowed. A refresh is weighed only when one was planned
     * within the budgets.
     */
    public static DriftDecision decide(State s, Observation o, Rules r) {
        if (repairDue(s, r) && o.refresh() != null) {
            return new DriftDecision(DriftAction.REFRESH, String.format(Locale.ROOT,
                    "deployed: write-verify of the %d costliest devices after programming, before %s",
                    o.refresh().devices(), r.sram() ? "the SRAM is placed" : "the first check"), 0, 0);
        }
        if (r.sram() && s.rounds() == 0) {
            return new DriftDecision(DriftAction.REPLACE, "deployed: gains from the first reads, SRAM placed by importance",
                    0, 0);
        }
        if (r.sram() && o.asked() && s.pending() != null) {
            return new DriftDecision(s.pending().action(), "decided before the node stopped: " + s.pending().reason(),
                    s.pending().expectedGainPoints(), 0);
        }
        if (r.sram() && o.asked()) {
            return new DriftDecision(DriftAction.OSA_ROUND, "asked for by an operator", 0, 0);
        }
        double reference = Double.isNaN(s.reference()) ? o.stale() : s.reference();
        PlannedRefresh refresh = o.refresh();
        DriftDecision d = r.policy().decide(new DriftPolicy.Observation(reference, o.stale(), o.recompensated(),
                refresh == null ? 0 : refresh.share(), refresh == null ? 0 : refresh.budgetShare(), o.overlap(),
                ROUND_RECOVERY));
        boolean round = d.action() == DriftAction.OSA_ROUND || d.action() == DriftAction.REPLACE;
        boolean drifted = s.rounds() == 0 || o.arrayTime() > s.lastRoundAt();
        if (round && (!r.sram() || !drifted)) {
            boolean better = o.recompensated() > o.stale() && o.fresh();
            return new DriftDecision(better ? DriftAction.RECOMPENSATE : DriftAction.NOTHING, d.reason()
                    + (r.sram() ? "; but the arrays have not drifted since the last round" : "; but there is no SRAM"), 0, 0);
        }
        return !o.fresh() && d.action() == DriftAction.RECOMPENSATE
                ? new DriftDecision(DriftAction.NOTHING, "compensation is off", 0, 0) : d;
    }
}
