package org.rramlab.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import org.rramlab.node.Provenance;
import org.rramlab.serialization.CborSerializable;

/**
 * A training job as GET /api/training-jobs/{id} shows it.
 *
 * @param state      queued, running, done, failed or cancelled (as those words in JSON and the journal)
 * @param progress   where the run is; null until it starts
 * @param modelId    the saved model, once done
 * @param accuracy   the saved model's test accuracy in [0, 1] (software, master weights), once done
 * @param device     the device model a kd student trains against, as a sentence; set when it starts
 * @param reason     why it failed or was cancelled, saying what to do; for a job queued again after
 *                   a restart, that it was restarted (until it runs)
 * @param restarts   how often the node stopped while the job ran (it then runs again from the start)
 * @param provenanceAtStart the software and device preset it started with (null: not started, or
 *                   started before this was recorded)
 */
public record TrainingJob(String id, TrainingJobSpec spec, State state, Progress progress, String modelId,
                          Double accuracy, String device, String reason, int restarts, Instant submittedAt,
                          Instant startedAt, Instant finishedAt, Provenance provenanceAtStart)
        implements CborSerializable {
    /** Where a job is. Written as the lower-case word, as journals held it before this type existed. */
    public enum State {
        QUEUED, RUNNING, DONE, FAILED, CANCELLED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static State of(String id) {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return id();
        }
    }

    /** Short names for the states. */
    public static final State QUEUED = State.QUEUED;
    public static final State RUNNING = State.RUNNING;
    public static final State DONE = State.DONE;
    public static final State FAILED = State.FAILED;
    public static final State CANCELLED = State.CANCELLED;

    /**
     * Epochs are counted from 1; {@code batch} of {@code batches} is within the current epoch.
     * Loss and accuracies are of the last finished epoch (the loss is the last batch's while an
     * epoch runs); null before the first epoch has ended. A kd student's test accuracy here is
     * measured through device draws, the job's {@code accuracy} in software.
     */
    public record Progress(int epoch, int epochs, int batch, int batches, Double loss, Double trainAccuracy,
                           Double testAccuracy, Double imagesPerSecond) implements CborSerializable {}

    static TrainingJob queued(String id, TrainingJobSpec spec, Instant at) {
        return new TrainingJob(id, spec, QUEUED, null, null, null, null, null, 0, at, null, null, null);
    }

    public boolean finished() {
        return state == DONE || state == FAILED || state == CANCELLED;
    }

    /** Failed or cancelled, saying why; what it had done so far stays. */
    TrainingJob ended(State endState, String why, Instant at) {
        return new TrainingJob(id, spec, endState, progress, modelId, accuracy, device, why, restarts,
                submittedAt, startedAt, at, provenanceAtStart);
    }

    TrainingJob started(String newDevice, Instant at, Provenance provenance) {
        return new TrainingJob(id, spec, State.RUNNING, null, modelId, accuracy, newDevice, null, restarts, submittedAt,
                at, null, provenance);
    }

    TrainingJob withProgress(Progress newProgress) {
        return new TrainingJob(id, spec, state, newProgress, modelId, accuracy, device, reason, restarts, submittedAt,
                startedAt, finishedAt, provenanceAtStart);
    }

    TrainingJob done(String model, double testAccuracy, Instant at) {
        return new TrainingJob(id, spec, DONE, progress, model, testAccuracy, device, null, restarts, submittedAt,
                startedAt, at, provenanceAtStart);
    }

    /** Back in the queue after the node stopped while it ran: it starts over; {@code why} shows until then. */
    TrainingJob requeued(String why) {
        return new TrainingJob(id, spec, QUEUED, null, null, null, null, why, restarts + 1, submittedAt, null, null, null);
    }
}
