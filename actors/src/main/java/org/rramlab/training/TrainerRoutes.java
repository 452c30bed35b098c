package org.rramlab.training;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.pattern.StatusReply;
import org.rramlab.api.Replies;
import org.rramlab.http.ApiErrors;
import org.rramlab.http.Json;

/**
 * HTTP API of models and training jobs:
 * <pre>
 * GET  /api/models                        the saved models            200 [model]
 * GET  /api/models/{id}                   one, with its training      200 model
 * POST /api/training-jobs                 queue a job                 201 job
 * GET  /api/training-jobs                 the jobs kept, oldest first 200 [job]
 * GET  /api/training-jobs/{id}            one job                     200 job
 * POST /api/training-jobs/{id}/cancel     cancel it                   200 job
 * </pre>
 * Bad input is a 400, an unknown id a 404, cancelling a finished job a 409; until the trainer runs
 * (the journal is still starting) the job routes answer 503. Each error says what to do.
 */
public final class TrainerRoutes {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String EXAMPLE = "{\"kind\": \"teacher\", \"dataset\": \"mnist\", \"model\": \"mnist-teacher\","
            + " \"epochs\": 15}";

    private final ActorSystem<?> system;
    private final CompletableFuture<ActorRef<TrainerActor.Command>> trainer;
    private final ModelCatalog models;
    private final Executor blocking;

    public TrainerRoutes(ActorSystem<?> system, Path dataDir, CompletableFuture<ActorRef<TrainerActor.Command>> trainer) {
        this.system = system;
        this.trainer = trainer;
        this.models = new ModelCatalog(dataDir);
        this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    }

    /** Matches only /api/models and /api/training-jobs, so routes after it see everything else. */
    public Route routes() {
        return pathPrefix("api", () -> concat(
                pathPrefix("models", () -> ApiErrors.handled(() -> concat(
                        pathEndOrSingleSlash(() -> get(() -> reply(files(models::list), StatusCodes.OK))),
                        path(PathMatchers.segment(), id -> get(() -> model(id)))))),
                pathPrefix("training-jobs", () -> ApiErrors.handled(() -> running(() -> concat(
                        pathEndOrSingleSlash(() -> concat(
                                post(() -> entity(Unmarshaller.entityToString(), this::submit)),
                                get(() -> reply(AskPattern.<TrainerActor.Command, TrainerActor.Jobs>ask(trainer.join(),
                                        TrainerActor.ListJobs::new, TIMEOUT, system.scheduler())
                                        .thenApply(TrainerActor.Jobs::jobs), StatusCodes.OK)))),
                        pathPrefix(PathMatchers.segment(), id -> concat(
                                pathEndOrSingleSlash(() -> get(() -> reply(ask(r -> new TrainerActor.GetJob(id, r)),
                                        StatusCodes.OK))),
                                path("cancel", () -> post(() -> reply(ask(r -> new TrainerActor.Cancel(id, r)),
                                        StatusCodes.OK)))))))))));
    }

    private Route running(Supplier<Route> inner) {
        if (!trainer.isDone() || trainer.isCompletedExceptionally()) {
            return ApiErrors.error(StatusCodes.SERVICE_UNAVAILABLE, "training is not running yet: the broker or the"
                    + " journal is still starting; see /ready");
        }
        return inner.get();
    }

    private Route model(String id) {
        return onSuccess(files(() -> models.get(id)), found -> found
                .<Route>map(m -> complete(StatusCodes.OK, m, Json.<ModelCatalog.ModelInfo>marshaller()))
                .orElseGet(() -> ApiErrors.error(StatusCodes.NOT_FOUND, "no model '" + id
                        + "'; GET /api/models lists the models, POST /api/training-jobs trains one")));
    }

    private Route submit(String body) {
        TrainingJobSpec spec;
        try {
            JsonNode tree = Json.mapper().readTree(Replies.nonEmpty(body));
            if (!tree.isObject()) {
                return ApiErrors.error(StatusCodes.BAD_REQUEST, "the training job must be a JSON object like " + EXAMPLE);
            }
            spec = Json.mapper().treeToValue(tree, TrainingJobSpec.class);
        } catch (JsonProcessingException e) {
            return Replies.badJson(e, EXAMPLE);
        }
        return reply(ask(r -> new TrainerActor.Submit(spec, r)), StatusCodes.CREATED);
    }

    private CompletionStage<TrainingJob> ask(Function<ActorRef<StatusReply<TrainingJob>>, TrainerActor.Command> command) {
        return AskPattern.askWithStatus(trainer.join(), command::apply, TIMEOUT, system.scheduler());
    }

    /** File reads off the HTTP threads. */
    private <T> CompletionStage<T> files(IoSupplier<T> read) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return read.get();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, blocking);
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private <T> Route reply(CompletionStage<T> answer, StatusCode ok) {
        return onSuccess(answer.handle((value, error) -> error == null
                ? complete(ok, value, Json.<T>marshaller()) : failure(error)), route -> route);
    }

    private Route failure(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof UncheckedIOException io) {
            return ApiErrors.error(StatusCodes.INTERNAL_SERVER_ERROR, "cannot read the models: "
                    + io.getCause().getMessage() + "; check that the data directory is readable");
        }
        // the trainer's refusals carry their kind: unknown job 404, finished job or full queue 409, bad job 400
        return Replies.failure(error, TIMEOUT);
    }
}
