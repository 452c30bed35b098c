package org.rramlab.device;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs array operations on an executor with a timeout, failing only with {@link DeviceException}. */
public final class AsyncOps {
    private AsyncOps() {}

    /**
     * Runs {@code op} on {@code executor}; the stage fails with a {@link DeviceException} naming
     * {@code what} if the operation fails or does not finish within {@code timeout}.
     */
    public static <T> CompletableFuture<T> run(Executor executor, Duration timeout, String what, Callable<T> op) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<T> work;
        try {
            work = CompletableFuture.supplyAsync(() -> {
                try {
                    return op.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new DeviceException(what + " was refused because the array's executor is shut down; "
                    + "the array was closed, open it again", e));
            return result;
        }
        work.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(toDeviceException(what, timeout, error));
            }
        });
        return result;
    }

    static DeviceException toDeviceException(String what, Duration timeout, Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof DeviceException d) {
            return d;
        }
        if (cause instanceof TimeoutException) {
            return new DeviceException(what + " did not finish within " + timeout.toMillis()
                    + " ms; give the operation a longer timeout or a smaller block", cause);
        }
        if (cause instanceof IllegalArgumentException) {
            return new DeviceException(what + ": " + cause.getMessage(), cause);
        }
        return new DeviceException(what + " failed: " + cause, cause);
    }

    /** A single daemon thread, so that operations on one array run in order. */
    public static ExecutorService singleThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Waits for a stage, unwrapping its failure into the {@link DeviceException} it carries. */
    public static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw toDeviceException("operation", Duration.ZERO, e);
        }
    }
}
