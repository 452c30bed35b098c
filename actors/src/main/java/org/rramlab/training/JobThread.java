package org.rramlab.training;

import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/** The thread a job runs on, so that a cancel interrupts that job and nothing else the pool runs. */
final class JobThread {
    final String jobId;
    volatile boolean cancelled;
    /** Batches per epoch, from the run's first event; used on the actor's thread only. */
    int batches;
    private Thread thread;

    JobThread(String jobId) {
        this.jobId = jobId;
    }

    <T> T run(Supplier<T> body) {
        synchronized (this) {
            if (cancelled) {
                throw new CancellationException("cancelled before it started");
            }
            thread = Thread.currentThread();
        }
        try {
            return body.get();
        } finally {
            synchronized (this) {
                thread = null;
            }
            // the pool's thread goes on to other jobs: no interrupt may stay behind
            Thread.interrupted();
        }
    }

    synchronized void cancel() {
        cancelled = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
