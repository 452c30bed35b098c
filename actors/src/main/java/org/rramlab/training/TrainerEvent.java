package org.rramlab.training;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import org.rramlab.node.Provenance;
import org.rramlab.serialization.CborSerializable;

/** What happened to the training jobs of a node; per-batch progress is not recorded, epochs are. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TrainerEvent.Queued.class, name = "queued"),
    @JsonSubTypes.Type(value = TrainerEvent.Started.class, name = "started"),
    @JsonSubTypes.Type(value = TrainerEvent.EpochDone.class, name = "epoch-done"),
    @JsonSubTypes.Type(value = TrainerEvent.Done.class, name = "done"),
    @JsonSubTypes.Type(value = TrainerEvent.Failed.class, name = "failed"),
    @JsonSubTypes.Type(value = TrainerEvent.Cancelled.class, name = "cancelled"),
    @JsonSubTypes.Type(value = TrainerEvent.Requeued.class, name = "requeued")
})
public sealed interface TrainerEvent extends CborSerializable {
    Instant at();

    String jobId();

    record Queued(Instant at, String jobId, TrainingJobSpec spec) implements TrainerEvent {}

    /** @param device the device model the run trains against, as a sentence */
    /** {@code provenance}: the software and device preset it started with (null in older journals). */
    record Started(Instant at, String jobId, String device, Provenance provenance) implements TrainerEvent {}

    record EpochDone(Instant at, String jobId, int epoch, int epochs, int batches, double loss, double trainAccuracy,
                     double testAccuracy, double imagesPerSecond) implements TrainerEvent {}

    record Done(Instant at, String jobId, String modelId, double accuracy, double seconds) implements TrainerEvent {}

    record Failed(Instant at, String jobId, String reason) implements TrainerEvent {}

    record Cancelled(Instant at, String jobId, String reason) implements TrainerEvent {}

    /** The node stopped while the job ran; it is queued again and starts over. */
    record Requeued(Instant at, String jobId, String reason) implements TrainerEvent {}
}
