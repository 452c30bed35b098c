package org.rramlab.campaign;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Map;
import org.rramlab.device.Block;
import org.rramlab.node.Provenance;
import org.rramlab.serialization.CborSerializable;

/** What happened to a campaign; a step is recorded only once every array acknowledged it. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CampaignEvent.Started.class, name = "started"),
    @JsonSubTypes.Type(value = CampaignEvent.Programmed.class, name = "programmed"),
    @JsonSubTypes.Type(value = CampaignEvent.ReadCompleted.class, name = "read"),
    @JsonSubTypes.Type(value = CampaignEvent.BakeStarted.class, name = "bake-started"),
    @JsonSubTypes.Type(value = CampaignEvent.BakeFinished.class, name = "bake-finished"),
    @JsonSubTypes.Type(value = CampaignEvent.Paused.class, name = "paused"),
    @JsonSubTypes.Type(value = CampaignEvent.Resumed.class, name = "resumed"),
    @JsonSubTypes.Type(value = CampaignEvent.Suspended.class, name = "suspended"),
    @JsonSubTypes.Type(value = CampaignEvent.StillFailing.class, name = "still-failing"),
    @JsonSubTypes.Type(value = CampaignEvent.Unsuspended.class, name = "unsuspended"),
    @JsonSubTypes.Type(value = CampaignEvent.Completed.class, name = "completed"),
    @JsonSubTypes.Type(value = CampaignEvent.Aborted.class, name = "aborted"),
    @JsonSubTypes.Type(value = CampaignEvent.HandedOff.class, name = "handed-off"),
    @JsonSubTypes.Type(value = CampaignEvent.NodeLost.class, name = "node-lost")
})
public sealed interface CampaignEvent extends CborSerializable {
    Instant at();

    /** {@code provenance}: the software and the arrays as they were at the start (null in older journals). */
    record Started(Instant at, String id, CampaignSpec spec, Provenance provenance) implements CampaignEvent {}

    /**
     * Where each array starts: its clock just after programming and the block the campaign reads;
     * {@code programSequence} the array's sequence of that programming (null: the pattern programs
     * nothing, or an event older than it).
     */
    record ArrayPlan(double startClockSeconds, Block block, Long programSequence) implements CborSerializable {}

    record Programmed(Instant at, Map<String, ArrayPlan> plans) implements CampaignEvent {}

    /** Read {@code step} (0 = the first) is on Kafka for every array, as these frame sequences. */
    record ReadCompleted(Instant at, int step, Map<String, Long> sequences, Instant nextReadAt) implements CampaignEvent {}

    record BakeStarted(Instant at, int index, Instant dueAt) implements CampaignEvent {}

    record BakeFinished(Instant at, int index, Instant nextReadAt) implements CampaignEvent {}

    record Paused(Instant at) implements CampaignEvent {}

    record Resumed(Instant at) implements CampaignEvent {}

    /** The campaign stopped by itself: an array or Kafka could not do the current step. */
    record Suspended(Instant at, String reason) implements CampaignEvent {}

    /** While suspended, the step failed again for another reason (the same reason is not journaled again). */
    record StillFailing(Instant at, String reason) implements CampaignEvent {}

    /** The step that had failed went through: the interruption is over. */
    record Unsuspended(Instant at) implements CampaignEvent {}

    record Completed(Instant at) implements CampaignEvent {}

    record Aborted(Instant at, String reason) implements CampaignEvent {}

    /** The campaign stopped cleanly on its node (a node's stop, a shard moving): not a crash. */
    record HandedOff(Instant at) implements CampaignEvent {}

    /**
     * On recovery: the campaign was running when its node stopped — without a clean stop
     * ({@code crash}) or with one that delayed reads — from {@code from} (its last journaled
     * event) until {@code at}; {@code readsDelayed} reads fell due meanwhile.
     */
    record NodeLost(Instant at, Instant from, boolean crash, int readsDelayed) implements CampaignEvent {}
}
