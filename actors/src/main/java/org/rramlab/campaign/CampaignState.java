package org.rramlab.campaign;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rramlab.array.Interruption;
import org.rramlab.node.Provenance;
import org.rramlab.serialization.CborSerializable;

/**
 * A campaign as its events tell it; immutable. {@code status} is null until the campaign exists.
 *
 * @param nextRead   index of the next read to take (reads done so far)
 * @param bakesDone  bakes finished so far
 * @param bakeDueAt  while a bake runs: when its wall-clock wait ends
 * @param lastError  while suspended: why the last try of the step failed
 * @param lastEventAt when the last event was journaled: the last sign of life before a crash
 * @param handedOff  the last event is a clean stop ({@link CampaignEvent.HandedOff})
 * @param provenance the software and arrays it started with (null: started before this was recorded)
 * @param readSpans  per array, the first and last frame sequence of its reads (null in snapshots older
 *                   than it): what of an array's archive is this campaign's
 */
public record CampaignState(String id, CampaignSpec spec, Status status, Instant startedAt,
                            Map<String, CampaignEvent.ArrayPlan> plans, int nextRead, int bakesDone, Instant bakeDueAt,
                            Instant nextReadAt, Interruption interruption, List<Interruption> interruptions,
                            Instant endedAt, String endReason, String lastError, Instant lastEventAt,
                            boolean handedOff, Provenance provenance, Map<String, ReadSpan> readSpans)
        implements CborSerializable {
    static final int KEPT_INTERRUPTIONS = 1000;

    /** The first and last frame sequence a campaign read of one array. */
    public record ReadSpan(long first, long last) implements CborSerializable {
        ReadSpan with(long sequence) {
            return new ReadSpan(Math.min(first, sequence), Math.max(last, sequence));
        }
    }

    /** Where a campaign stands. Journals and the API spell it in lower case ("running"), as they always did. */
    public enum Status {
        RUNNING, PAUSED, SUSPENDED, COMPLETED, ABORTED;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Status fromJson(String json) {
            return valueOf(json.toUpperCase(Locale.ROOT));
        }
    }

    /** What the schedule does next; {@link #nextStep(Instant)} chooses it from the events alone. */
    public enum Step { PROGRAM, WAIT_FOR_BAKE, END_BAKE, START_BAKE, WAIT_FOR_READ, READ, COMPLETE }

    public static CampaignState empty() {
        return new CampaignState(null, null, null, null, null, 0, 0, null, null, null, List.of(), null, null, null, null, false, null, Map.of());
    }

    public boolean exists() {
        return status != null;
    }

    /** Running, or suspended and probing: the campaign works towards its next step. */
    public boolean active() {
        return status == Status.RUNNING || status == Status.SUSPENDED;
    }

    public boolean finished() {
        return status == Status.COMPLETED || status == Status.ABORTED;
    }

    public Step nextStep(Instant now) {
        if (plans == null) {
            return Step.PROGRAM;
        }
        if (bakeDueAt != null) {
            return now.isBefore(bakeDueAt) ? Step.WAIT_FOR_BAKE : Step.END_BAKE;
        }
        if (pendingBake() != null) {
            return Step.START_BAKE;
        }
        if (nextRead < spec.totalReads()) {
            return nextReadAt != null && now.isBefore(nextReadAt) ? Step.WAIT_FOR_READ : Step.READ;
        }
        return Step.COMPLETE;
    }

    /** The next step in words, as the status shows it and failures name it. */
    public String describe(Step step) {
        return switch (step) {
            case PROGRAM -> "programming";
            case WAIT_FOR_BAKE -> "baking (bake " + (bakesDone + 1) + ")";
            case END_BAKE -> "ending bake " + (bakesDone + 1);
            case START_BAKE -> "starting bake " + (bakesDone + 1);
            case WAIT_FOR_READ -> "waiting for read " + nextRead;
            case READ -> "read " + nextRead;
            case COMPLETE -> "completed";
        };
    }
    /** The bake to run now: one scheduled after the last read taken and not yet done. */
    public CampaignSpec.Bake pendingBake() {
        List<CampaignSpec.Bake> bakes = spec.bakesOrNone();
        if (bakesDone < bakes.size() && bakes.get(bakesDone).afterRead() == nextRead - 1) {
            return bakes.get(bakesDone);
        }
        return null;
    }

    /** Array time added by bakes 0..count-1. */
    public double bakeSeconds(int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += spec.bakesOrNone().get(i).durationSeconds();
        }
        return sum;
    }

    /** Bakes scheduled before read {@code step}. */
    public int bakesBefore(int step) {
        int n = 0;
        for (CampaignSpec.Bake b : spec.bakesOrNone()) {
            if (b.afterRead() < step) {
                n++;
            }
        }
        return n;
    }

    // ---- one method per event (the actor's event handler lists them) ----

    CampaignState started(CampaignEvent.Started e) {
        Builder b = empty().copy();
        b.id = e.id();
        b.spec = e.spec();
        b.status = Status.RUNNING;
        b.startedAt = e.at();
        b.nextReadAt = e.at();
        b.lastEventAt = lastEventAt;
        b.handedOff = handedOff;
        b.provenance = e.provenance();
        return b.build();
    }

    CampaignState programmed(CampaignEvent.Programmed e) {
        Builder b = copy();
        b.plans = Map.copyOf(e.plans());
        return b.build();
    }

    CampaignState readCompleted(CampaignEvent.ReadCompleted e) {
        Builder b = copy();
        b.nextRead = e.step() + 1;
        b.nextReadAt = e.nextReadAt();
        // started before spans were kept: its reads are told by array time alone
        if (readSpans != null && e.sequences() != null) {
            Map<String, ReadSpan> spans = new java.util.HashMap<>(readSpans);
            e.sequences().forEach((array, seq) -> spans.merge(array, new ReadSpan(seq, seq), (x, y) -> x.with(seq)));
            b.readSpans = Map.copyOf(spans);
        }
        return b.build();
    }

    CampaignState bakeStarted(CampaignEvent.BakeStarted e) {
        Builder b = copy();
        b.bakeDueAt = e.dueAt();
        return b.build();
    }

    CampaignState bakeFinished(CampaignEvent.BakeFinished e) {
        Builder b = copy();
        b.bakesDone = e.index() + 1;
        b.bakeDueAt = null;
        b.nextReadAt = e.nextReadAt();
        return b.build();
    }

    CampaignState paused(CampaignEvent.Paused e) {
        return closeInterruption(e.at()).withStatus(Status.PAUSED, lastError);
    }

    CampaignState resumed(CampaignEvent.Resumed e) {
        return withStatus(Status.RUNNING, lastError);
    }

    CampaignState suspended(CampaignEvent.Suspended e) {
        Builder b = copy();
        b.status = Status.SUSPENDED;
        b.interruption = Interruption.open(Interruption.STEP_FAILED, e.at(), e.reason());
        b.lastError = e.reason();
        return b.build();
    }

    CampaignState stillFailing(CampaignEvent.StillFailing e) {
        return withStatus(status, e.reason());
    }

    CampaignState unsuspended(CampaignEvent.Unsuspended e) {
        return closeInterruption(e.at()).withStatus(Status.RUNNING, null);
    }

    CampaignState completed(CampaignEvent.Completed e) {
        return closeInterruption(e.at()).ended(Status.COMPLETED, e.at(), "all " + spec.totalReads() + " reads taken");
    }

    CampaignState aborted(CampaignEvent.Aborted e) {
        return closeInterruption(e.at()).ended(Status.ABORTED, e.at(), e.reason());
    }

    CampaignState stoppedCleanly(CampaignEvent.HandedOff e) {
        return this;
    }

    CampaignState nodeLost(CampaignEvent.NodeLost e) {
        String kind = e.crash() ? Interruption.NODE_CRASH : Interruption.NODE_STOP;
        String reason = e.crash() ? "the node running the campaign stopped without a clean stop (killed, crashed,"
                + " lost power); it was taken up again on recovery" : "the node running the campaign was stopped";
        return withInterruption(Interruption.closed(kind, e.from(), reason, e.at(), e.readsDelayed()));
    }

    /** After every event: when it happened, and whether it was a clean stop. */
    CampaignState journaled(CampaignEvent e) {
        Builder b = copy();
        b.lastEventAt = e.at();
        b.handedOff = e instanceof CampaignEvent.HandedOff;
        return b.build();
    }

    /** Reads that fell due between the last one planned ({@code nextReadAt}) and {@code now}. */
    public int readsDueBy(Instant now) {
        if (plans == null || nextReadAt == null || now.isBefore(nextReadAt) || spec == null) {
            return 0;
        }
        if (spec.intervalSeconds() == null) {
            return 0;
        }
        double wallInterval = spec.intervalSeconds() / spec.accelerationOrOne();
        long due = (long) Math.floor(java.time.Duration.between(nextReadAt, now).toMillis() / 1000.0 / wallInterval) + 1;
        return (int) Math.min(due, Math.max(0, spec.totalReads() - nextRead));
    }

    // ---- copies with some parts changed ----

    private CampaignState withInterruption(Interruption closed) {
        Builder b = copy();
        b.interruptions = keptWith(closed);
        return b.build();
    }

    private CampaignState withStatus(Status newStatus, String newLastError) {
        Builder b = copy();
        b.status = newStatus;
        b.lastError = newLastError;
        return b.build();
    }

    private CampaignState ended(Status end, Instant at, String reason) {
        Builder b = copy();
        b.status = end;
        b.bakeDueAt = null;
        b.nextReadAt = null;
        b.interruption = null;
        b.endedAt = at;
        b.endReason = reason;
        return b.build();
    }

    private CampaignState closeInterruption(Instant at) {
        if (interruption == null) {
            return this;
        }
        Builder b = copy();
        b.interruptions = keptWith(interruption.close(at));
        b.interruption = null;
        return b.build();
    }

    /** The closed interruptions with one more, the oldest dropped beyond {@value #KEPT_INTERRUPTIONS}. */
    private List<Interruption> keptWith(Interruption closed) {
        List<Interruption> all = new ArrayList<>(interruptions);
        all.add(closed);
        while (all.size() > KEPT_INTERRUPTIONS) {
            all.remove(0);
        }
        return List.copyOf(all);
    }

    private Builder copy() {
        return new Builder(this);
    }

    /** A copy to change by name: the one place that lists the record's components in order. */
    private static final class Builder {
        String id;
        CampaignSpec spec;
        Status status;
        Instant startedAt;
        Map<String, CampaignEvent.ArrayPlan> plans;
        int nextRead;
        int bakesDone;
        Instant bakeDueAt;
        Instant nextReadAt;
        Interruption interruption;
        List<Interruption> interruptions;
        Instant endedAt;
        String endReason;
        String lastError;
        Instant lastEventAt;
        boolean handedOff;
        Provenance provenance;
        Map<String, ReadSpan> readSpans;

        Builder(CampaignState s) {
            id = s.id;
            spec = s.spec;
            status = s.status;
            startedAt = s.startedAt;
            plans = s.plans;
            nextRead = s.nextRead;
            bakesDone = s.bakesDone;
            bakeDueAt = s.bakeDueAt;
            nextReadAt = s.nextReadAt;
            interruption = s.interruption;
            interruptions = s.interruptions;
            endedAt = s.endedAt;
            endReason = s.endReason;
            lastError = s.lastError;
            lastEventAt = s.lastEventAt;
            handedOff = s.handedOff;
            provenance = s.provenance;
            readSpans = s.readSpans;
        }

        CampaignState build() {
            return new CampaignState(id, spec, status, startedAt, plans, nextRead, bakesDone, bakeDueAt, nextReadAt,
                    interruption, interruptions, endedAt, endReason, lastError, lastEventAt, handedOff, provenance,
                    readSpans);
        }
    }
}
