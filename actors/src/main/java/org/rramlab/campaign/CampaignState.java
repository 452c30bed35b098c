package org.rramlab.campaign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rramlab.array.Interruption;
import org.rramlab.serialization.CborSerializable;

/**
 * A campaign as its events tell it; immutable. {@code status} is null until the campaign exists.
 *
 * @param nextRead   index of the next read to take (reads done so far)
 * @param bakesDone  bakes finished so far
 * @param bakeDueAt  while a bake runs: when its wall-clock wait ends
 */
public record CampaignState(String id, CampaignSpec spec, String status, Instant startedAt,
                            Map<String, CampaignEvent.ArrayPlan> plans, int nextRead, int bakesDone, Instant bakeDueAt,
                            Instant nextReadAt, Interruption interruption, List<Interruption> interruptions,
                            Instant endedAt, String endReason) implements CborSerializable {
    public static final String CREATED = "created";
    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    public static final String SUSPENDED = "suspended";
    public static final String COMPLETED = "completed";
    public static final String ABORTED = "aborted";
    static final int KEPT_INTERRUPTIONS = 1000;

    public static CampaignState empty() {
        return new CampaignState(null, null, null, null, null, 0, 0, null, null, null, List.of(), null, null);
    }

    public boolean exists() {
        return status != null;
    }

    /** Running, or suspended and probing: the campaign works towards its next step. */
    public boolean active() {
        return RUNNING.equals(status) || SUSPENDED.equals(status);
    }

    public boolean finished() {
        return COMPLETED.equals(status) || ABORTED.equals(status);
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

    public CampaignState apply(CampaignEvent event) {
        if (event instanceof CampaignEvent.Started e) {
            return new CampaignState(e.id(), e.spec(), RUNNING, e.at(), null, 0, 0, null, e.at(), null, List.of(), null, null);
        }
        if (event instanceof CampaignEvent.Programmed e) {
            return with(status, Map.copyOf(e.plans()), nextRead, bakesDone, bakeDueAt, nextReadAt);
        }
        if (event instanceof CampaignEvent.ReadCompleted e) {
            return with(status, plans, e.step() + 1, bakesDone, bakeDueAt, e.nextReadAt());
        }
        if (event instanceof CampaignEvent.BakeStarted e) {
            return with(status, plans, nextRead, bakesDone, e.dueAt(), nextReadAt);
        }
        if (event instanceof CampaignEvent.BakeFinished e) {
            return with(status, plans, nextRead, e.index() + 1, null, e.nextReadAt());
        }
        if (event instanceof CampaignEvent.Paused e) {
            return closeInterruption(e.at()).with(PAUSED, plans, nextRead, bakesDone, bakeDueAt, nextReadAt);
        }
        if (event instanceof CampaignEvent.Resumed) {
            return with(RUNNING, plans, nextRead, bakesDone, bakeDueAt, nextReadAt);
        }
        if (event instanceof CampaignEvent.Suspended e) {
            return new CampaignState(id, spec, SUSPENDED, startedAt, plans, nextRead, bakesDone, bakeDueAt, nextReadAt,
                    Interruption.open(e.at(), e.reason()), interruptions, endedAt, endReason);
        }
        if (event instanceof CampaignEvent.Unsuspended e) {
            return closeInterruption(e.at()).with(RUNNING, plans, nextRead, bakesDone, bakeDueAt, nextReadAt);
        }
        if (event instanceof CampaignEvent.Completed e) {
            CampaignState s = closeInterruption(e.at());
            return new CampaignState(id, spec, COMPLETED, startedAt, plans, nextRead, bakesDone, null, null, null,
                    s.interruptions, e.at(), "all " + spec.totalReads() + " reads taken");
        }
        if (event instanceof CampaignEvent.Aborted e) {
            CampaignState s = closeInterruption(e.at());
            return new CampaignState(id, spec, ABORTED, startedAt, plans, nextRead, bakesDone, null, null, null,
                    s.interruptions, e.at(), e.reason());
        }
        throw new IllegalStateException("unknown campaign event " + event.getClass().getName());
    }

    private CampaignState with(String newStatus, Map<String, CampaignEvent.ArrayPlan> newPlans, int newNextRead,
                               int newBakesDone, Instant newBakeDueAt, Instant newNextReadAt) {
        return new CampaignState(id, spec, newStatus, startedAt, newPlans, newNextRead, newBakesDone, newBakeDueAt,
                newNextReadAt, interruption, interruptions, endedAt, endReason);
    }

    private CampaignState closeInterruption(Instant at) {
        if (interruption == null) {
            return this;
        }
        List<Interruption> all = new ArrayList<>(interruptions);
        all.add(interruption.close(at));
        while (all.size() > KEPT_INTERRUPTIONS) {
            all.remove(0);
        }
        return new CampaignState(id, spec, status, startedAt, plans, nextRead, bakesDone, bakeDueAt, nextReadAt, null,
                List.copyOf(all), endedAt, endReason);
    }
}
