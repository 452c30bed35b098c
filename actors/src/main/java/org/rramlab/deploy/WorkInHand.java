package org.rramlab.deploy;

import java.util.concurrent.CompletableFuture;

/**
 * What one incarnation of a supervisor holds and a restart loses: the loaded network, the step
 * under way and its tensor work, and the check asked for while it ran. None of it is state: after
 * a restart the network is loaded again and the journal says which step comes next. Touched on
 * the supervisor's thread only.
 */
final class WorkInHand {
    /** The steps, one at a time; each ends in a message of its own. */
    enum Step { PLANNING, LOADING, PROGRAMMING, CHECKING, ADAPTING, REFRESHING }

    /** A check asked for while a step ran: the strongest trigger, and whether a round was asked for. */
    record Folded(Trigger trigger, boolean adapt) {}

    private AdaptationWork network;
    private Step step;
    /** The tensor work of the step under way: the network is freed only once it has ended. */
    private CompletableFuture<?> running;
    private Trigger foldedTrigger;
    private boolean foldedAdapt;

    AdaptationWork network() {
        return network;
    }

    /** Takes {@code loaded} as the network, freeing the one held before. */
    void use(AdaptationWork loaded) {
        if (network != null && network != loaded) {
            network.close();
        }
        network = loaded;
    }

    boolean busy() {
        return step != null;
    }

    <T> CompletableFuture<T> start(Step next, CompletableFuture<T> work) {
        step = next;
        running = work;
        return work;
    }

    void end() {
        step = null;
        running = null;
    }

    /** Folds a check asked for meanwhile into the one that runs when the step ends. */
    void fold(Trigger trigger, boolean adapt) {
        foldedTrigger = foldedTrigger == null || foldedTrigger == Trigger.PERIODIC ? trigger : foldedTrigger;
        foldedAdapt |= adapt;
    }

    /** Ends the step; the check folded meanwhile, or null. */
    Folded endAndTakeFolded() {
        end();
        if (foldedTrigger == null && !foldedAdapt) {
            return null;
        }
        Folded f = new Folded(foldedTrigger == null ? Trigger.OPERATOR : foldedTrigger, foldedAdapt);
        foldedTrigger = null;
        foldedAdapt = false;
        return f;
    }

    /** On stop: the network's memory is freed once no tensor work uses it (and a network still loading with it). */
    void freeWhenDone() {
        AdaptationWork held = network;
        CompletableFuture<?> inFlight = running;
        if (inFlight == null) {
            if (held != null) {
                held.close();
            }
            return;
        }
        inFlight.whenComplete((result, error) -> {
            if (held != null) {
                held.close();
            }
            if (result instanceof AdaptationWork loaded && loaded != held) {
                loaded.close();
            } else if (result instanceof PlannedWork planned && planned.work() != held) {
                planned.work().close();
            }
        });
    }
}
