package org.rramlab.api;

/**
 * The event types of the live streams and the payloads the dashboard reads. Anything may be
 * published ({@link EventFeed.Publish}); these are the ones with a fixed form.
 */
public final class LabEvents {
    /** The overall {@link org.rramlab.statistics.StatisticsReport}, when it changed. */
    public static final String STATISTICS_REPORT = "statistics.report";
    /** A statistics alarm: {@code kind} drift_detected or cusum, and the alarm's fields. */
    public static final String STATISTICS_ALARM = "statistics.alarm";
    /** A campaign's status after a change (the body of GET /api/campaigns/{id}). */
    public static final String CAMPAIGN_STATUS = "campaign.status";
    /** An array's summary after a change of its health (the body of GET /api/arrays/{id}). */
    public static final String ARRAY_HEALTH = "array.health";
    /** A HIL accuracy check of a deployed network: {@link AccuracyCheck}. */
    public static final String ACCURACY = "accuracy.check";
    /** An OSA round: {@link OsaRound}. */
    public static final String OSA_ROUND = "osa.round";
    /** What the drift policy chose at a check: {@link DriftDecision}. */
    public static final String DRIFT_DECISION = "drift.decision";
    /** A training job's state change. */
    public static final String TRAINING_JOB = "training.job";

    private LabEvents() {}

    /**
     * A HIL accuracy measurement.
     *
     * @param deployment       the deployed network's id
     * @param accuracy         fraction correct on the calibration or test set, 0..1
     * @param baseline         the accuracy of the ideal (software) student, 0..1, NaN when unknown
     * @param arrayTimeSeconds the arrays' clock at the check (accelerated in a drift campaign)
     */
    public record AccuracyCheck(String deployment, double accuracy, double baseline, double arrayTimeSeconds) {}

    /**
     * One OSA round.
     *
     * @param trigger        what started it: "accuracy", "drift", "cusum", "operator"
     * @param positions      SRAM positions in use after the round
     * @param sramFraction   SRAM weights / RRAM weights
     * @param areaCostCell   area of the SRAM cells / area of the RRAM cells
     * @param areaCostMacro  area cost at macro level (arrays with peripherals), as in the paper's 7.86 %
     * @param accuracyBefore HIL accuracy before the round, 0..1
     * @param accuracyAfter  HIL accuracy after it, 0..1
     */
    public record OsaRound(String deployment, int round, String trigger, int positions, double sramFraction,
                           double areaCostCell, double areaCostMacro, double accuracyBefore, double accuracyAfter,
                           double arrayTimeSeconds) {}

    /**
     * A decision of a deployment's drift policy.
     *
     * @param action nothing, recompensate, osa-round, replace or refresh
     * @param reason why, in a sentence
     */
    public record DriftDecision(String deployment, int check, String action, String reason, double arrayTimeSeconds) {}
}
