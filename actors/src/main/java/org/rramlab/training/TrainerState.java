package org.rramlab.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.rramlab.serialization.CborSerializable;

/**
 * The jobs as the events tell them; immutable. {@code active} is the queue in submission order
 * (the running job first); {@code finished} keeps the last {@value #KEPT_FINISHED} finished jobs,
 * so the state, and with it the snapshots, stays bounded however long the node lives.
 *
 * @param lastNumber the number of the last job submitted; ids are "job-N"
 */
public record TrainerState(int lastNumber, List<TrainingJob> active, List<TrainingJob> finished)
        implements CborSerializable {
    static final int KEPT_FINISHED = 100;

    public static TrainerState empty() {
        return new TrainerState(0, List.of(), List.of());
    }

    static String idOf(int number) {
        return "job-" + number;
    }

    public Optional<TrainingJob> job(String id) {
        return active.stream().filter(j -> j.id().equals(id)).findFirst()
                .or(() -> finished.stream().filter(j -> j.id().equals(id)).findFirst());
    }

    /** Every job kept, oldest first. */
    public List<TrainingJob> all() {
        List<TrainingJob> out = new ArrayList<>(finished);
        out.addAll(active);
        out.sort((a, b) -> Integer.compare(number(a.id()), number(b.id())));
        return out;
    }

    private static int number(String id) {
        return Integer.parseInt(id.substring("job-".length()));
    }

    public Optional<TrainingJob> running() {
        return active.stream().filter(j -> j.state() == TrainingJob.RUNNING).findFirst();
    }

    public Optional<TrainingJob> nextQueued() {
        return active.stream().filter(j -> j.state() == TrainingJob.QUEUED).findFirst();
    }

    // ---- one transition per event (TrainerActor.eventHandler) ----

    TrainerState queued(TrainerEvent.Queued e) {
        List<TrainingJob> queue = new ArrayList<>(active);
        queue.add(TrainingJob.queued(e.jobId(), e.spec(), e.at()));
        return new TrainerState(lastNumber + 1, List.copyOf(queue), finished);
    }

    TrainerState started(TrainerEvent.Started e) {
        return update(e.jobId(), j -> j.started(e.device(), e.at(), e.provenance()));
    }

    TrainerState epochDone(TrainerEvent.EpochDone e) {
        return update(e.jobId(), j -> j.withProgress(new TrainingJob.Progress(e.epoch(), e.epochs(), e.batches(),
                e.batches(), e.loss(), e.trainAccuracy(), e.testAccuracy(), e.imagesPerSecond())));
    }

    TrainerState requeued(TrainerEvent.Requeued e) {
        return update(e.jobId(), j -> j.requeued(e.reason()));
    }

    TrainerState done(TrainerEvent.Done e) {
        return finish(e.jobId(), j -> j.done(e.modelId(), e.accuracy(), e.at()));
    }

    TrainerState failed(TrainerEvent.Failed e) {
        return finish(e.jobId(), j -> j.ended(TrainingJob.FAILED, e.reason(), e.at()));
    }

    TrainerState cancelled(TrainerEvent.Cancelled e) {
        return finish(e.jobId(), j -> j.ended(TrainingJob.CANCELLED, e.reason(), e.at()));
    }

    private TrainerState update(String id, UnaryOperator<TrainingJob> change) {
        return new TrainerState(lastNumber, active.stream().map(j -> j.id().equals(id) ? change.apply(j) : j).toList(),
                finished);
    }

    private TrainerState finish(String id, UnaryOperator<TrainingJob> change) {
        List<TrainingJob> queue = new ArrayList<>();
        List<TrainingJob> done = new ArrayList<>(finished);
        for (TrainingJob j : active) {
            if (j.id().equals(id)) {
                done.add(change.apply(j));
            } else {
                queue.add(j);
            }
        }
        while (done.size() > KEPT_FINISHED) {
            done.remove(0);
        }
        return new TrainerState(lastNumber, List.copyOf(queue), List.copyOf(done));
    }
}
