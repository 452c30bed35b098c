package org.rramlab.deploy;

import java.time.Duration;
import java.time.Instant;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.statistics.CusumAlarm;

/**
 * Which statistics alarms start a check: a drift or CUSUM alarm on one of the deployment's arrays
 * while it supervises, one per {@link #GAP} (alarms close together start one check, not one each).
 * This incarnation's only: after a restart the supervisor checks anyway.
 */
final class AlarmGate {
    static final Duration GAP = Duration.ofSeconds(5);
    private Instant last = Instant.EPOCH;

    /** The trigger of the check {@code update} starts, or null. */
    Trigger admit(StatisticsActor.Update update, DeploymentState state) {
        if (!(update instanceof StatisticsActor.Alarm alarm) || state.phase() != DeploymentState.Phase.SUPERVISING
                || !state.mapping().arrayIds().contains(alarm.event().arrayId()) || Instant.now().isBefore(last.plus(GAP))) {
            return null;
        }
        last = Instant.now();
        return alarm.event() instanceof CusumAlarm ? Trigger.CUSUM : Trigger.DRIFT;
    }
}
