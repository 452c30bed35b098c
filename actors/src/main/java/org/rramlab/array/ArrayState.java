package org.rramlab.array;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
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

    public ArrayEvent.Programmed unpublishedProgram(long sequence) {
        for (ArrayEvent.Programmed p : unpublishedPrograms) {
            if (p.sequence() == sequence) {
                return p;
            }
        }
        return null;
    }

    // ---- one method per event (the actor's event handler lists them) ----

    ArrayState newlyRegistered(ArrayEvent.Registered e) {
        return new ArrayState(e, 0, 0, 0, e.temperatureKelvin(), null, null, List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of());
    }

    ArrayState programmed(ArrayEvent.Programmed e) {
        // the values are only needed until published; the tag list keeps a light copy
        ArrayEvent.Programmed light = new ArrayEvent.Programmed(e.at(), e.tag(), e.sequence(), e.block(), null, null,
                e.writeVerify(), e.pulses(), e.seconds(), e.cellsOutOfTolerance(), e.clockSeconds(), null);
        return withOp(e).withPrograms(e.sequence(), e.tag() == null ? programTags : plus(programTags, light, KEPT_TAGS),
                plus(unpublishedPrograms, e, Integer.MAX_VALUE));
    }

    ArrayState programPublished(ArrayEvent.ProgrammedPublished e) {
        return withPrograms(programmings, programTags, without(unpublishedPrograms, p -> p.sequence() == e.sequence()));
    }

    ArrayState readTaken(ArrayEvent.ReadTaken e) {
        ArrayEvent.ReadTaken light = new ArrayEvent.ReadTaken(e.at(), e.tag(), e.sequence(), e.block(),
                e.arrayTimeSeconds(), e.suspect(), null);
        return withOp(light).withReads(e.sequence(), e.tag() == null ? readTags : plus(readTags, light, KEPT_TAGS),
                e.held() == null ? heldReads : plus(heldReads, e, Integer.MAX_VALUE));
    }

    ArrayState readPublished(ArrayEvent.ReadPublished e) {
        return withReads(lastReadSequence, readTags, without(heldReads, r -> r.sequence() == e.sequence()));
    }

    ArrayState clockAdvanced(ArrayEvent.ClockAdvanced e) {
        return withOp(e).withConditions(clockSeconds + e.seconds(), temperatureKelvin);
    }

    ArrayState temperatureSet(ArrayEvent.TemperatureSet e) {
        return withOp(e).withConditions(clockSeconds, e.kelvin());
    }

    ArrayState checkpointed(ArrayEvent.Checkpointed e) {
        return new ArrayState(registration, programmings, lastReadSequence, clockSeconds, temperatureKelvin, linkDown,
                e.snapshot(), List.of(), readTags, programTags, unpublishedPrograms, heldReads, interruptions);
    }

    ArrayState linkLost(ArrayEvent.LinkLost e) {
        return withLink(Interruption.open(Interruption.LINK_DOWN, e.at(), e.reason()), interruptions);
    }

    ArrayState linkRestored(ArrayEvent.LinkRestored e) {
        return withLink(null, linkDown == null ? interruptions : plus(interruptions, linkDown.close(e.at()), KEPT_INTERRUPTIONS));
    }

    // ---- copies with one part changed ----

    private ArrayState withOp(ArrayEvent.Op op) {
        return new ArrayState(registration, programmings, lastReadSequence, clockSeconds, temperatureKelvin, linkDown,
                checkpoint, plus(sinceCheckpoint, op, Integer.MAX_VALUE), readTags, programTags, unpublishedPrograms,
                heldReads, interruptions);
    }

    private ArrayState withPrograms(long count, List<ArrayEvent.Programmed> tags, List<ArrayEvent.Programmed> unpublished) {
        return new ArrayState(registration, count, lastReadSequence, clockSeconds, temperatureKelvin, linkDown,
                checkpoint, sinceCheckpoint, readTags, tags, unpublished, heldReads, interruptions);
    }

    private ArrayState withReads(long last, List<ArrayEvent.ReadTaken> tags, List<ArrayEvent.ReadTaken> held) {
        return new ArrayState(registration, programmings, last, clockSeconds, temperatureKelvin, linkDown,
                checkpoint, sinceCheckpoint, tags, programTags, unpublishedPrograms, held, interruptions);
    }

    private ArrayState withConditions(double clock, double kelvin) {
        return new ArrayState(registration, programmings, lastReadSequence, clock, kelvin, linkDown,
                checkpoint, sinceCheckpoint, readTags, programTags, unpublishedPrograms, heldReads, interruptions);
    }

    private ArrayState withLink(Interruption down, List<Interruption> past) {
        return new ArrayState(registration, programmings, lastReadSequence, clockSeconds, temperatureKelvin, down,
                checkpoint, sinceCheckpoint, readTags, programTags, unpublishedPrograms, heldReads, past);
    }

    private static <T> List<T> without(List<T> list, Predicate<T> drop) {
        List<T> rest = new ArrayList<>(list);
        rest.removeIf(drop);
        return List.copyOf(rest);
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
