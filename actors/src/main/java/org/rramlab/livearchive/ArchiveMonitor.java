package org.rramlab.livearchive;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.rramlab.archive.ArchiveStatus;

/**
 * Looks at the archive's progress every check interval and raises event {@value #ALARM} when it
 * falls behind toward the topic's retention (or records were lost to it), and again when it caught up.
 */
public final class ArchiveMonitor {
    public static final String ALARM = "archive.alarm";

    public enum Tick { INSTANCE }

    private ArchiveMonitor() {}

    public static Behavior<Tick> create(Supplier<ArchiveStatus> status, ArchiveConfig config, BiConsumer<String, Object> events) {
        return Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Tick.INSTANCE, config.checkInterval());
            return watching(status, config, events, false, 0);
        });
    }

    private static Behavior<Tick> watching(Supplier<ArchiveStatus> status, ArchiveConfig config,
                                           BiConsumer<String, Object> events, boolean raised, long lost) {
        return Behaviors.receive((ctx, tick) -> {
            ArchiveStatus s = status.get();
            if (s.lostRecords() > lost) {
                ctx.getLog().error("{} records were deleted by Kafka retention before the archive had them", s.lostRecords() - lost);
                events.accept(ALARM, Map.of("kind", "lost", "lost_records", s.lostRecords() - lost,
                        "retention_seconds", config.retention().toSeconds()));
            }
            if (s.behind() == raised) {
                return s.lostRecords() > lost ? watching(status, config, events, raised, s.lostRecords()) : Behaviors.same();
            }
            if (s.behind()) {
                ctx.getLog().error("archive behind: oldest unarchived record {} s old, {} records lost to retention, lag {}",
                        Math.round(s.oldestPendingAgeSeconds()), s.lostRecords(), s.lagRecords());
            } else {
                ctx.getLog().info("archive caught up");
            }
            events.accept(ALARM, Map.of("kind", s.behind() ? "behind" : "caught_up",
                    "oldest_pending_age_seconds", s.oldestPendingAgeSeconds(), "lag_records", s.lagRecords(),
                    "lost_records", s.lostRecords(), "retention_seconds", config.retention().toSeconds(),
                    "alarm_fraction", config.alarmFraction()));
            return watching(status, config, events, s.behind(), s.lostRecords());
        });
    }
}
