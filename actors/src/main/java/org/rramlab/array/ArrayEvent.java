package org.rramlab.array;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import org.rramlab.device.Block;
import org.rramlab.serialization.CborSerializable;

/**
 * What was done to an array. The {@link Op} events are exactly the operations that change a
 * simulated array's state, in order: replayed on the last checkpoint they rebuild it bit for bit.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ArrayEvent.Registered.class, name = "registered"),
    @JsonSubTypes.Type(value = ArrayEvent.Programmed.class, name = "programmed"),
    @JsonSubTypes.Type(value = ArrayEvent.ProgrammedPublished.class, name = "programmed-published"),
    @JsonSubTypes.Type(value = ArrayEvent.ReadTaken.class, name = "read"),
    @JsonSubTypes.Type(value = ArrayEvent.ReadPublished.class, name = "read-published"),
    @JsonSubTypes.Type(value = ArrayEvent.ClockAdvanced.class, name = "clock"),
    @JsonSubTypes.Type(value = ArrayEvent.TemperatureSet.class, name = "temperature"),
    @JsonSubTypes.Type(value = ArrayEvent.Checkpointed.class, name = "checkpoint"),
    @JsonSubTypes.Type(value = ArrayEvent.LinkLost.class, name = "link-lost"),
    @JsonSubTypes.Type(value = ArrayEvent.LinkRestored.class, name = "link-restored")
})
public sealed interface ArrayEvent extends CborSerializable {
    Instant at();

    /** An operation that changed the array. */
    sealed interface Op extends ArrayEvent {}

    /** @param levels levels of the preset; @param temperatureKelvin the array's temperature at registration */
    record Registered(Instant at, ArraySpec spec, int levels, double temperatureKelvin) implements ArrayEvent {}

    /**
     * A block programmed to {@code levels} or {@code targets} (one is null), with what it cost.
     * The sequence counts programmings (1, 2, ...), as on the topic. With {@code cells} (null in
     * older journals and for whole blocks) only those cells of the block were programmed, each on
     * its own; they took the sequences up to this one, one each.
     */
    record Programmed(Instant at, String tag, long sequence, Block block, int[] levels, float[] targets,
                      boolean writeVerify, long pulses, double seconds, int cellsOutOfTolerance,
                      double clockSeconds, int[] cells) implements Op {}

    /** Kafka has the record of programming {@code sequence}. */
    record ProgrammedPublished(Instant at, long sequence) implements ArrayEvent {}

    /**
     * A block was read as frame {@code sequence}. {@code held} carries the conductances only when
     * the frame could not be published, so that it survives a restart until it is.
     */
    record ReadTaken(Instant at, String tag, long sequence, Block block, double arrayTimeSeconds, boolean suspect,
                     float[] held) implements Op {}

    /** A held frame reached Kafka. */
    record ReadPublished(Instant at, long sequence) implements ArrayEvent {}

    record ClockAdvanced(Instant at, double seconds) implements Op {}

    record TemperatureSet(Instant at, double kelvin) implements Op {}

    /** The whole state of a simulated array ({@code SimulatedArray.snapshot()}) after the events before it. */
    record Checkpointed(Instant at, byte[] snapshot) implements ArrayEvent {}

    record LinkLost(Instant at, String reason) implements ArrayEvent {}

    record LinkRestored(Instant at) implements ArrayEvent {}
}
