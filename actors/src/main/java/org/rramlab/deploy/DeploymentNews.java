package org.rramlab.deploy;

import java.util.function.BiConsumer;
import org.rramlab.api.LabEvents;

/** What a deployment tells the live streams (SSE, WebSocket, dashboard) once its events are journaled. */
final class DeploymentNews {
    private final String id;
    private final BiConsumer<String, Object> events;

    DeploymentNews(String id, BiConsumer<String, Object> events) {
        this.id = id;
        this.events = events;
    }

    void checked(DeploymentEvent.Check c, DeploymentEvent.Decided d, double softwareAccuracy) {
        events.accept(LabEvents.ACCURACY, new LabEvents.AccuracyCheck(id, c.accuracy(), softwareAccuracy,
                c.arrayTimeSeconds()));
        events.accept(LabEvents.DRIFT_DECISION, new LabEvents.DriftDecision(id, c.number(), d.action().id(), d.reason(),
                c.arrayTimeSeconds()));
    }

    void adapted(DeploymentEvent.Round round, double softwareAccuracy) {
        events.accept(LabEvents.OSA_ROUND, new LabEvents.OsaRound(id, round.number(), round.trigger().id(),
                (int) round.positions(), round.sramFraction(), round.areaCostCell(), round.areaCostMacro(),
                round.accuracyBefore(), round.accuracyAfter(), round.arrayTimeSeconds()));
        events.accept(LabEvents.ACCURACY, new LabEvents.AccuracyCheck(id,
                round.applied() ? round.accuracyAfter() : round.accuracyBefore(), softwareAccuracy,
                round.arrayTimeSeconds()));
    }
}
