package org.rramlab.array;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rramlab.device.ArrayHealth;
import org.rramlab.node.Provenance;
import org.rramlab.serialization.CborSerializable;
import org.rramlab.serialization.LowerCaseWord;

/**
 * What GetState answers: the array, its link, its clock, what was done to it.
 *
 * @param link          as the driver sees it, written "connected", "reconnecting" or "failed"
 * @param unpublished   records (programmings and frames) Kafka may not have yet
 * @param interruptions link interruptions, most recent last; an ongoing one has no end
 * @param identity      who answers for it: the instruments' *IDN? answers (and the prober's version), or a
 *                      simulated array's identity; null while a physical array has not connected yet
 */
public record ArraySummary(String arrayId, String kind, String preset, int rows, int cols, int levels, Long seed,
                           String address, Integer die,
                           @JsonSerialize(using = LowerCaseWord.class)
                           @JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_VALUES) ArrayHealth.LinkState link,
                           String linkDetail, double clockSeconds,
                           double temperatureKelvin, long programmings, long reads, int unpublished,
                           List<Interruption> interruptions, Instant registeredAt, String identity) implements CborSerializable {
    /** True for an array behind instruments, whose devices age in wall time. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean physical() {
        return ArraySpec.PHYSICAL.equals(kind);
    }

    /** The provenance of work on these arrays, as they describe themselves. */
    public static Provenance provenance(Collection<ArraySummary> arrays) {
        Map<String, Provenance.ArrayIdentity> each = new LinkedHashMap<>();
        for (ArraySummary a : arrays) {
            each.put(a.arrayId(), new Provenance.ArrayIdentity(a.kind(), a.preset(),
                    Provenance.presetSha256(a.preset()), a.address(), a.identity()));
        }
        return Provenance.ofArrays(each);
    }

    /** The summary of a registered array's state; {@code health} as the driver just told it, or null to go by the events. */
    static ArraySummary of(String arrayId, ArrayState s, ArrayHealth health, String identity) {
        ArraySpec spec = s.registration().spec();
        ArrayHealth.LinkState link;
        String detail;
        if (health != null) {
            link = health.link();
            detail = health.detail();
        } else if (s.linkDown() != null) {
            link = ArrayHealth.LinkState.FAILED;
            detail = s.linkDown().reason();
        } else {
            link = ArrayHealth.LinkState.CONNECTED;
            detail = "last operation succeeded";
        }
        List<Interruption> interruptions = new ArrayList<>(s.interruptions());
        if (s.linkDown() != null) {
            interruptions.add(s.linkDown());
        }
        Long seed = spec instanceof ArraySpec.Simulated sim ? sim.seed() : null;
        String address = spec instanceof ArraySpec.Physical p ? p.instruments() : null;
        Integer die = spec instanceof ArraySpec.Physical p ? p.die() : null;
        return new ArraySummary(arrayId, spec.kind(), spec.presetName(), spec.rows(), spec.cols(), s.registration().levels(),
                seed, address, die, link, detail, s.clockSeconds(), s.temperatureKelvin(),
                s.programmings(), s.lastReadSequence(), s.unpublishedPrograms().size() + s.heldReads().size(),
                interruptions, s.registration().at(), identity);
    }
}

