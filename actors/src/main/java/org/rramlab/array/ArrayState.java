package org.rramlab.array;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import org.rramlab.serialization.CborSerializable;

/**
 * The array as its events tell it. Immutable: every event gives a new state, so a snapshot being
 * written never sees a change. Lists of tags and interruptions keep only the most recent entries.
 *
 * @param checkpoint       last {@code SimulatedArray.snapshot()}, null before the first
 * @param sinceCheckpoint  operations after the checkpoint, replayed on it to rebuild the array
 * @param readTags         recent tagged reads (without values): a repeated tag is answered from here
 * @param programTags      recent tagged programmings
 * @param unpublishedPrograms programmings whose record Kafka may not have
 * @param heldReads        frames not yet published, with their values
 */
public record ArrayState(ArrayEvent.Registered registration, long programmings, long lastReadSequence,
                         double clockSeconds, double temperatureKelvin, Interruption linkDown,
                         byte[] checkpoint, List<ArrayEvent.Op> sinceCheckpoint,
                         List<ArrayEvent.ReadTaken> readTags, List<ArrayEvent.Programmed> programTags,
                         List<ArrayEvent.Programmed> unpublishedPrograms, List<ArrayEvent.ReadTaken> heldReads,
                         List<Interruption> interruptions) implements CborSerializable {
    static final int KEPT_TAGS = 256;
    static final int KEPT_INTERRUPTIONS = 100;

    public static ArrayState empty() {
        return new ArrayState(null, 0, 0, 0, 0, null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    @JsonIgnore
    public boolean registered() {
        return registration != null;
    }

    public ArrayEvent.ReadTaken readTag(String tag) {
        for (ArrayEvent.ReadTaken r : readTags) {
            if (r.tag().equals(tag)) {
                return r;
            }
        }
        return null;
    }

    public ArrayEvent.Programmed programTag(String tag) {
        for (ArrayEvent.Programmed p : programTags) {
            if (p.tag().equals(tag)) {
                return p;
            }
        }
        return null;
    }

    public ArrayEvent.ReadTaken held(long sequence) {
        for (ArrayEvent.ReadTaken r : heldReads) {
            if (r.sequence() == sequence) {
                return r;
            }
        }
        return null;
    }

    public ArrayState apply(ArrayEvent event) {
        if (event instanceof ArrayEvent.Registered e) {
            return new ArrayState(e, 0, 0, 0, e.temperatureKelvin(), null, null, List.of(), List.of(), List.of(),
                    List.of(), List.of(), List.of());
        }
        if (event instanceof ArrayEvent.Programmed e) {
            // the values are only needed until published; the tag list keeps a light copy
            ArrayEvent.Programmed light = new ArrayEvent.Programmed(e.at(), e.tag(), e.sequence(), e.block(), null, null,
                    e.writeVerify(), e.pulses(), e.seconds(), e.cellsOutOfTolerance(), e.clockSeconds());
            return new ArrayState(registration, e.sequence(), lastReadSequence, clockSeconds, temperatureKelvin, linkDown,
                    checkpoint, plus(sinceCheckpoint, e, Integer.MAX_VALUE),
                    readTags, e.tag() == null ? programTags : plus(programTags, light, KEPT_TAGS),
                    plus(unpublishedPrograms, e, Integer.MAX_VALUE), heldReads, interruptions);
        }
        if (event instanceof ArrayEvent.ProgrammedPublished e) {
            List<ArrayEvent.Programmed> rest = new ArrayList<>(unpublishedPrograms);
            rest.removeIf(p -> p.sequence() == e.sequence());
            return new ArrayState(registration, programmings, lastReadSequence, clockSeconds, temperatureKelvin, linkDown,
                    checkpoint, sinceCheckpoint, readTags, programTags, List.copyOf(rest), heldReads, interruptions);
        }
        if (event instanceof ArrayEvent.ReadTaken e) {
            ArrayEvent.ReadTaken light = new ArrayEvent.ReadTaken(e.at(), e.tag(), e.sequence(), e.block(),
                    e.arrayTimeSeconds(), e.suspect(), null);
            return new ArrayState(registration, programmings, e.sequence(), clockSeconds, temperatureKelvin, linkDown,
                    checkpoint, plus(sinceCheckpoint, light, Integer.MAX_VALUE),
                    e.tag() == null ? readTags : plus(readTags, light, KEPT_TAGS), programTags, unpublishedPrograms,
                    e.held() == null ? heldReads : plus(heldReads, e, Integer.MAX_VALUE), interruptions);
        }
        if (event instanceof ArrayEvent.ReadPublished e) {
            List<ArrayEvent.ReadTaken> rest = new ArrayList<>(heldReads);
            rest.removeIf(r -> r.sequence() == e.sequence());
            return new ArrayState(registration, programmings, lastReadSequence, clockSeconds, temperatureKelvin, linkDown,
                    checkpoint, sinceCheckpoint, readTags, programTags, unpublishedPrograms, List.copyOf(rest), interruptions);
        }
        if (event instanceof ArrayEvent.ClockAdvanced e) {
            return new ArrayState(registration, programmings, lastReadSequence, clockSeconds + e.seconds(), temperatureKelvin,
                    linkDown, checkpoint, plus(sinceCheckpoint, e, Integer.MAX_VALUE), readTags, programTags,
                    unpublishedPrograms, heldReads, interruptions);
        }
        if (event instanceof ArrayEvent.TemperatureSet e) {
            return new ArrayState(registration, programmings, lastReadSequence, clockSeconds, e.kelvin(), linkDown,
                    checkpoint, plus(sinceCheckpoint, e, Integer.MAX_VALUE), readTags, programTags, unpublishedPrograms,
                    heldReads, interruptions);
        }
        if (event instanceof ArrayEvent.Checkpointed e) {
            return new ArrayState(registration, programmings, lastReadSequence, clockSeconds, temperatureKelvin, linkDown,
                    e.snapshot(), List.of(), readTags, programTags, unpublishedPrograms, heldReads, interruptions);
        }
        if (event instanceof ArrayEvent.LinkLost e) {
            Interruption open = Interruption.open(e.at(), e.reason());
            return new ArrayState(registration, programmings, lastReadSequence, clockSeconds, temperatureKelvin, open,
                    checkpoint, sinceCheckpoint, readTags, programTags, unpublishedPrograms, heldReads, interruptions);
        }
        if (event instanceof ArrayEvent.LinkRestored e) {
            List<Interruption> done = linkDown == null ? interruptions
                    : plus(interruptions, linkDown.close(e.at()), KEPT_INTERRUPTIONS);
            return new ArrayState(registration, programmings, lastReadSequence, clockSeconds, temperatureKelvin, null,
                    checkpoint, sinceCheckpoint, readTags, programTags, unpublishedPrograms, heldReads, done);
        }
        throw new IllegalStateException("unknown array event " + event.getClass().getName());
    }

    private static <T> List<T> plus(List<T> list, T item, int keep) {
        List<T> out = new ArrayList<>(Math.min(list.size() + 1, keep));
        int skip = Math.max(0, list.size() + 1 - keep);
        for (int i = skip; i < list.size(); i++) {
            out.add(list.get(i));
        }
        out.add(item);
        return List.copyOf(out);
    }
}
