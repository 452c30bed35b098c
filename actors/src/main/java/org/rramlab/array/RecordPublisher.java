package org.rramlab.array;

import static org.rramlab.node.Failures.rootMessage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.rramlab.measurement.MeasurementActor;
import org.rramlab.streaming.ConductanceRecord;

/** Hands an array's records to the {@link MeasurementActor}; done once Kafka has them. Holds no state. */
final class RecordPublisher {
    private final ActorRef<MeasurementActor.Command> measurement;
    private final ArraySettings settings;
    private final Scheduler scheduler;
    private final Executor blocking;

    RecordPublisher(ActorRef<MeasurementActor.Command> measurement, ArraySettings settings, Scheduler scheduler,
                    Executor blocking) {
        this.measurement = measurement;
        this.settings = settings;
        this.scheduler = scheduler;
        this.blocking = blocking;
    }

    /** Publishes one record, trying again with a growing wait when the measurement actor refuses or is silent. */
    CompletionStage<Done> publish(ConductanceRecord record) {
        return publish(record, 1);
    }

    /** The ask's own timeout names an actor and a message class; what a person needs is what it means. */
    private String why(Throwable error) {
        Throwable cause = org.rramlab.node.Failures.unwrap(error);
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return "Kafka did not acknowledge the record within " + settings.publishTimeout().toMillis() + " ms (the"
                    + " brokers are unreachable or slow; it is tried again while the frame is kept)";
        }
        return rootMessage(error);
    }

    private CompletionStage<Done> publish(ConductanceRecord record, int attempt) {
        CompletionStage<Done> sent = AskPattern.askWithStatus(measurement,
                replyTo -> new MeasurementActor.Publish(record, replyTo), settings.publishTimeout(), scheduler);
        return sent.exceptionallyCompose(error -> {
            if (attempt >= settings.publishAttempts()) {
                return CompletableFuture.failedStage(new IllegalStateException("publishing failed " + attempt
                        + " times, last: " + why(error), error));
            }
            long wait = settings.publishBackoff().toMillis() << (attempt - 1);
            Executor later = CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS, blocking);
            return CompletableFuture.supplyAsync(() -> attempt + 1, later).thenCompose(next -> publish(record, next));
        });
    }
}
