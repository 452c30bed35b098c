package org.rramlab.deploy;

import com.typesafe.config.Config;
import org.rramlab.learning.drift.DriftPolicy;

/**
 * How the supervisors hold accuracy through drift, read from {@code rramlab.deployments.drift}
 * (config/rramlab.conf says what each value does). The threshold is the deployment's own
 * ({@link DeploymentSpec#thresholdOrDefault()}).
 *
 * @param gains        "column" (a gain per output column), "layer" (one per layer) or "off"
 * @param gainBits     bits of a gain register
 * @param fractionBits of those, bits after the binary point
 * @param roundCost    accuracy points a round must promise to be worth its time
 * @param replaceCost  the same for a round that also moves the SRAM positions
 * @param movedOverlap the error map has moved when fewer than this share of the costliest errors sit on SRAM
 * @param refresh      the budgets of selective refresh
 */
public record DriftSettings(String gains, int gainBits, int fractionBits, double roundCost, double replaceCost,
                            double movedOverlap, Refresh refresh) {
    public static final String PATH = "rramlab.deployments.drift";

    /**
     * Selective refresh (reprogramming the costliest devices with write-verify). A month is 30 days
     * of array time, the devices' own clock, so accelerated drift spends the budget as fast as it drifts.
     *
     * @param writesPerMonth  devices written per month, as a share of the deployment's devices (0: never refresh)
     * @param pulsesPerMonth  write-verify pulses per month (a refresh never plans more than it may spend)
     * @param sharePerRefresh share of the month's device budget one refresh may spend
     * @param steady          a refresh spends no more of the month's budget than the array time since the
     *                        previous check earned (steady small batches, as the drift benchmark chose over bursts)
     * @param cost            accuracy points a refresh must promise per month's budget it spends
     * @param maxWritesPerDevice a device refreshes (the repair included) wrote this often is not chosen again:
     *                        write-verify cannot move a stuck device, and it would be chosen at every check (0: no limit)
     * @param atDeployment    share of the weights written again, the costliest first, right after the
     *                        programming and before the SRAM is placed (0: none); it counts in the month's budget
     */
    public record Refresh(double writesPerMonth, long pulsesPerMonth, double sharePerRefresh, boolean steady,
                          double cost, double atDeployment, int maxWritesPerDevice) {
        public static final double MONTH_SECONDS = 30 * 86_400.0;

        boolean on() {
            return writesPerMonth > 0 && pulsesPerMonth > 0 && sharePerRefresh > 0;
        }

        boolean repairsAtDeployment() {
            return on() && atDeployment > 0;
        }

        /** The same budgets as the supervision core reads them. */
        public org.rramlab.learning.drift.Supervision.Budget budget() {
            return new org.rramlab.learning.drift.Supervision.Budget(writesPerMonth, pulsesPerMonth, sharePerRefresh,
                    steady, atDeployment, maxWritesPerDevice);
        }
    }

    public static DriftSettings defaults() {
        return new DriftSettings("layer", 8, 6, 0.05, 0.1, 0.5, new Refresh(0.05, 1_000_000, 0.1, true, 0.05, 0.02, 2));
    }

    public static DriftSettings from(Config config) {
        DriftSettings d = defaults();
        if (!config.hasPath(PATH)) {
            return d;
        }
        Config c = config.getConfig(PATH);
        String gains = c.hasPath("gains") ? c.getString("gains") : d.gains();
        if (!gains.equals("column") && !gains.equals("layer") && !gains.equals("off")) {
            throw new IllegalArgumentException(PATH + ".gains must be column, layer or off, got '" + gains + "'");
        }
        Refresh r = d.refresh();
        Refresh refresh = new Refresh(
                share(c, "refresh.writes-per-month", r.writesPerMonth()),
                c.hasPath("refresh.pulses-per-month") ? c.getLong("refresh.pulses-per-month") : r.pulsesPerMonth(),
                share(c, "refresh.share-per-refresh", r.sharePerRefresh()),
                c.hasPath("refresh.steady") ? c.getBoolean("refresh.steady") : r.steady(),
                c.hasPath("refresh.cost") ? c.getDouble("refresh.cost") : r.cost(),
                share(c, "refresh.at-deployment", r.atDeployment()),
                c.hasPath("refresh.max-writes-per-device") ? c.getInt("refresh.max-writes-per-device")
                        : r.maxWritesPerDevice());
        if (refresh.pulsesPerMonth() < 0 || refresh.cost() < 0 || refresh.maxWritesPerDevice() < 0) {
            throw new IllegalArgumentException(PATH + ".refresh.pulses-per-month, .cost and .max-writes-per-device must"
                    + " not be negative, got " + refresh.pulsesPerMonth() + ", " + refresh.cost() + " and "
                    + refresh.maxWritesPerDevice());
        }
        return new DriftSettings(gains,
                c.hasPath("gain-bits") ? c.getInt("gain-bits") : d.gainBits(),
                c.hasPath("gain-fraction-bits") ? c.getInt("gain-fraction-bits") : d.fractionBits(),
                c.hasPath("round-cost") ? c.getDouble("round-cost") : d.roundCost(),
                c.hasPath("replace-cost") ? c.getDouble("replace-cost") : d.replaceCost(),
                c.hasPath("moved-overlap") ? c.getDouble("moved-overlap") : d.movedOverlap(), refresh);
    }

    private static double share(Config c, String key, double otherwise) {
        double v = c.hasPath(key) ? c.getDouble(key) : otherwise;
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(PATH + "." + key + " is a share of 0..1 (0.05 = 5 %), got " + v);
        }
        return v;
    }

    boolean compensates() {
        return !gains.equals("off");
    }

    boolean perColumn() {
        return gains.equals("column");
    }

    /** The policy for a deployment with this threshold. */
    DriftPolicy policy(double thresholdPoints) {
        return new DriftPolicy(thresholdPoints, roundCost, replaceCost, refresh.cost(), movedOverlap);
    }
}
