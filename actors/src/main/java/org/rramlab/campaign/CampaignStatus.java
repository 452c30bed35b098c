package org.rramlab.campaign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rramlab.array.Interruption;
import org.rramlab.node.Provenance;
import org.rramlab.serialization.CborSerializable;

/**
 * What GetStatus answers.
 *
 * @param state         running, paused, suspended, completed or aborted (written in lower case)
 * @param step          reads taken so far (the next read's index)
 * @param phase         what the campaign does or waits for now
 * @param nextReadAt    wall time of the next read, when one is scheduled
 * @param lastError     why the last try failed while suspended
 * @param interruptions every interruption, most recent last; an ongoing one has no end
 * @param readSpans     per array, what of its records is this campaign's (empty before it programmed)
 * @param metadata      the run metadata it was started with (empty: none)
 */
public record CampaignStatus(String id, CampaignState.Status state, int step, int reads, String phase, Instant nextReadAt,
                             List<String> arrays, Instant startedAt, Instant endedAt, String endReason,
                             String lastError, List<Interruption> interruptions, Provenance provenanceAtStart,
                             CampaignSpec spec, Map<String, ReadSpan> readSpans, Map<String, Object> metadata)
        implements CborSerializable {
    /**
     * What of an array's records is a campaign's: from the array time it was programmed at, its
     * programming {@code programSequence} and the frames {@code firstSequence..lastSequence} (null:
     * none, or a campaign started before they were kept, told by array time alone).
     */
    public record ReadSpan(double fromArrayTimeSeconds, Long programSequence, Long firstSequence, Long lastSequence)
            implements CborSerializable {}

    static CampaignStatus of(CampaignState s, String phase) {
        List<Interruption> all = new ArrayList<>(s.interruptions());
        if (s.interruption() != null) {
            all.add(s.interruption());
        }
        return new CampaignStatus(s.id(), s.status(), s.nextRead(), s.spec().totalReads(), phase,
                s.active() || s.status() == CampaignState.Status.PAUSED ? s.nextReadAt() : null, s.spec().arrays(),
                s.startedAt(), s.endedAt(), s.endReason(), s.status() == CampaignState.Status.SUSPENDED ? s.lastError() : null,
                List.copyOf(all), s.provenance(), s.spec(), spans(s), s.spec().metadataOrEmpty());
    }

    private static Map<String, ReadSpan> spans(CampaignState s) {
        Map<String, ReadSpan> out = new LinkedHashMap<>();
        if (s.plans() == null) {
            return out;
        }
        s.plans().forEach((array, plan) -> {
            CampaignState.ReadSpan r = s.readSpans() == null ? null : s.readSpans().get(array);
            out.put(array, new ReadSpan(plan.startClockSeconds(), plan.programSequence(), r == null ? null : r.first(),
                    r == null ? null : r.last()));
        });
        return out;
    }
}
