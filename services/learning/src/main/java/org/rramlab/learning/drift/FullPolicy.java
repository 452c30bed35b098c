package org.rramlab.learning.drift;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code bench drift}'s {@code full} policy keeps between checks around the supervision core
 * ({@link Supervision}): the core's state, the refreshes of the last month of array time (the budget counts them)
 * and the last check that could refresh (steady batches). The bench's deployment measures and acts; this class
 * takes its decisions. A live node's journaled checks can be replayed through it to see that the bench decides as
 * the node did (app's {@code BenchAndNodeDecideAlikeTest}).
 */
public final class FullPolicy {
    private final Supervision.Rules rules;
    /** (array seconds, devices, pulses) of every refresh, the repair included. */
    private final List<double[]> refreshes = new ArrayList<>();
    private Supervision.State state = Supervision.State.START;
    private double lastRefreshingCheck = Double.NEGATIVE_INFINITY;

    public FullPolicy(Supervision.Rules rules) {
        this.rules = rules;
    }

    /** The supervisor's rules with the bench's threshold, budget and repair (its defaults are the supervisor's). */
    public static Supervision.Rules rules(DriftBenchOptions o) {
        Supervision.Budget b = new Supervision.Budget(o.refreshPerMonth(), 1_000_000, 0.1, true, o.levers().deployRepair(),
                2);
        return new Supervision.Rules(o.rules(), true, true, b);
    }

    public Supervision.Rules rules() {
        return rules;
    }

    public Supervision.State state() {
        return state;
    }

    /** This check is the first after programming and a repair is configured. */
    public boolean repairDue() {
        return Supervision.repairDue(state, rules);
    }

    /** Devices the repair after programming writes. */
    public int repairDevices(long weightCount, long deviceCount, int pulsesPerDevice) {
        return rules.budget().devicesAtDeployment(weightCount, deviceCount, pulsesPerDevice);
    }

    /** Accuracy with fresh gains fell past the threshold under the reference: a refresh is worth planning. */
    public boolean pastThreshold(double stale, double recompensated) {
        double reference = Double.isNaN(state.reference()) ? stale : state.reference();
        return 100 * (reference - recompensated) > rules.policy().thresholdPoints();
    }

    /**
     * Devices a refresh may write at a check at {@code clock} (array seconds): the month's budget less what the
     * refreshes of the last 30 days wrote, steady batches since the last check that could refresh. A read-back
     * check right after a refresh plans none.
     */
    public int refreshDevices(double clock, boolean readBack, long deviceCount, int pulsesPerDevice) {
        if (readBack) {
            return 0;
        }
        return rules.budget().devicesNow(monthSum(clock, 1), monthSum(clock, 2), clock - lastRefreshingCheck,
                deviceCount, pulsesPerDevice);
    }

    /** Share of the month's device budget {@code devices} spend. */
    public double budgetShare(int devices, long deviceCount) {
        return devices / rules.budget().monthlyDevices(deviceCount);
    }

    /** The core's decision for what this check measured; the state then records the check and the decision. */
    public DriftDecision decide(double clock, double stale, double recompensated, Supervision.PlannedRefresh refresh,
                                double overlap, boolean readBack) {
        DriftDecision d = Supervision.decide(state, new Supervision.Observation(clock, stale, recompensated, true,
                refresh, overlap, false), rules);
        state = state.checked(stale).decided(d);
        if (!readBack) {
            lastRefreshingCheck = clock;
        }
        return d;
    }

    /** A refresh (or the repair) wrote {@code devices} with {@code pulses} at {@code clock}. */
    public void refreshed(double clock, int devices, long pulses) {
        refreshes.add(new double[] {clock, devices, pulses});
        state = state.refreshed();
    }

    /** A round ran: it is kept when it did better than {@code before} (NaN: always). */
    public boolean adapted(double before, double after, double clock) {
        boolean applied = Double.isNaN(before) || after > before;
        state = state.adapted(Double.isNaN(before) ? after : before, after, applied, clock);
        return applied;
    }

    private double monthSum(double clock, int column) {
        return refreshes.stream().filter(w -> w[0] > clock - Supervision.Budget.MONTH_SECONDS)
                .mapToDouble(w -> w[column]).sum();
    }
}
