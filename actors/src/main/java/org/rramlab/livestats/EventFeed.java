package org.rramlab.livestats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.rramlab.api.LabEvents;
import org.rramlab.http.EventLog;
import org.rramlab.http.Json;
import org.rramlab.statistics.CusumAlarm;
import org.rramlab.statistics.DriftDetected;
import org.rramlab.statistics.StatisticsEvent;
import org.rramlab.statistics.StatisticsReport;

/**
 * Feeds the {@link EventLog} behind the live streams: subscribes to the statistics once they run
 * (reports when they changed, at most every {@code reportInterval}; every alarm), and logs what
 * other parts publish. Appending is cheap and never blocks, so the log can also be written directly.
 */
public final class EventFeed {

    public sealed interface Command {}

    /** Logs an event; {@code data} is anything the API's JSON mapper can write. */
    public record Publish(String type, Object data) implements Command {}

    private record FromStatistics(StatisticsActor.Update update) implements Command {}

    private record StatisticsReady(ActorRef<StatisticsActor.Command> statistics, Throwable failure) implements Command {}

    private EventFeed() {}

    public static Behavior<Command> create(EventLog log, CompletionStage<ActorRef<StatisticsActor.Command>> statistics,
                                           Duration reportInterval) {
        return Behaviors.setup(ctx -> {
            ActorRef<StatisticsActor.Update> adapter = ctx.messageAdapter(StatisticsActor.Update.class, FromStatistics::new);
            ctx.pipeToSelf(statistics, StatisticsReady::new);
            var last = new Object() {
                long frames = -1;
                long programmed = -1;
                Instant at = Instant.EPOCH;
            };
            return Behaviors.receive(Command.class)
                    .onMessage(StatisticsReady.class, r -> {
                        if (r.failure() != null) {
                            ctx.getLog().warn("the event streams carry no statistics: they did not start ({})",
                                    r.failure().getMessage());
                        } else {
                            r.statistics().tell(new StatisticsActor.Subscribe(adapter));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(FromStatistics.class, f -> {
                        if (f.update() instanceof StatisticsActor.ReportUpdate u) {
                            StatisticsReport report = u.report();
                            boolean changed = report.framesApplied() != last.frames
                                    || report.programmedApplied() != last.programmed;
                            Instant now = Instant.now();
                            // an unchanged report adds nothing: a new monitor gets the last one anyway
                            if (changed && !now.isBefore(last.at.plus(reportInterval))) {
                                log.append(LabEvents.STATISTICS_REPORT, report);
                                last.frames = report.framesApplied();
                                last.programmed = report.programmedApplied();
                                last.at = now;
                            }
                        } else if (f.update() instanceof StatisticsActor.Alarm a) {
                            log.append(LabEvents.STATISTICS_ALARM, alarm(a.event()));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Publish.class, p -> {
                        try {
                            log.append(p.type(), p.data());
                        } catch (IllegalArgumentException e) {
                            ctx.getLog().warn("event of type {} not logged: {}", p.type(), e.getMessage());
                        }
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    static ObjectNode alarm(StatisticsEvent event) {
        ObjectNode o = Json.mapper().valueToTree(event);
        String kind = event instanceof DriftDetected ? "drift_detected" : event instanceof CusumAlarm ? "cusum" : "other";
        ObjectNode out = Json.mapper().createObjectNode().put("kind", kind);
        out.setAll(o);
        return out;
    }
}
