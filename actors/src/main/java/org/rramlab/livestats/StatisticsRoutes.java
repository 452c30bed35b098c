package org.rramlab.livestats;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameter;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.rramlab.device.DevicePreset;
import org.rramlab.http.ApiErrors;
import org.rramlab.http.Json;
import org.rramlab.measurement.MeasurementActor;
import org.rramlab.measurement.MeasurementMetrics;
import org.rramlab.statistics.StatisticsReport;

/**
 * /api/measurement: the measurement path's counters. /api/statistics: the live model overall and
 * per array, and a preset fitted from it, written
 * to {@code <data-dir>/presets/NAME.conf} where `rramlab device characterize --preset` and the
 * simulated arrays can use it.
 */
public final class StatisticsRoutes {
    private static final Pattern PRESET_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ActorSystem<?> system;
    private final CompletableFuture<Actors> pipeline;
    private final Path presetDir;

    /** The actors these routes ask, once the live pipeline runs. */
    public record Actors(ActorRef<MeasurementActor.Command> measurement, ActorRef<StatisticsActor.Command> statistics) {}

    public StatisticsRoutes(ActorSystem<?> system, CompletableFuture<Actors> pipeline, Path dataDir) {
        this.system = system;
        this.pipeline = pipeline;
        this.presetDir = dataDir.resolve("presets");
    }

    public Route routes() {
        return concat(path("measurement", () -> get(this::measurement)), pathPrefix("statistics", () -> concat(
                pathEnd(() -> get(() -> report(null))),
                pathPrefix("preset", () -> pathEnd(() -> post(() -> parameter("name", this::writePreset)))),
                pathPrefix(PathMatchers.segment(), arrayId -> pathEnd(() -> get(() -> report(arrayId)))))));
    }

    /** The measurement path's counters: records Kafka acknowledged, cell reads/s, waiting, lag. */
    private Route measurement() {
        if (!pipeline.isDone() || pipeline.isCompletedExceptionally()) {
            return ApiErrors.error(StatusCodes.SERVICE_UNAVAILABLE, "the measurement path is not running yet; see /ready");
        }
        CompletionStage<MeasurementMetrics> metrics = AskPattern.ask(pipeline.join().measurement(),
                MeasurementActor.GetMetrics::new, TIMEOUT, system.scheduler());
        return onSuccess(metrics, m -> complete(StatusCodes.OK, m, Json.<MeasurementMetrics>marshaller()));
    }

    private Route report(String arrayId) {
        if (!pipeline.isDone() || pipeline.isCompletedExceptionally()) {
            return ApiErrors.error(StatusCodes.SERVICE_UNAVAILABLE, "the statistics are not running yet; see /ready");
        }
        CompletionStage<Optional<StatisticsReport>> reply = AskPattern.ask(pipeline.join().statistics(),
                to -> new StatisticsActor.GetReport(arrayId, to), TIMEOUT, system.scheduler());
        return onSuccess(reply, report -> report.isPresent()
                ? complete(StatusCodes.OK, report.get(), Json.<StatisticsReport>marshaller())
                : ApiErrors.error(StatusCodes.NOT_FOUND, "no statistics for array '" + arrayId
                        + "': it has sent no records yet"));
    }

    private Route writePreset(String name) {
        if (!PRESET_NAME.matcher(name).matches()) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, "preset name '" + name + "' is not allowed: use"
                    + " lower-case letters, digits, '.', '_' or '-', at most 64 characters");
        }
        if (!pipeline.isDone() || pipeline.isCompletedExceptionally()) {
            return ApiErrors.error(StatusCodes.SERVICE_UNAVAILABLE, "the statistics are not running yet; see /ready");
        }
        CompletionStage<DevicePreset> fitted = AskPattern.ask(pipeline.join().statistics(),
                to -> new StatisticsActor.FitPreset(name, to), TIMEOUT, system.scheduler());
        // the file is written on the blocking dispatcher, not on the one that serves requests
        Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
        return onSuccess(fitted.thenApplyAsync(preset -> written(name, preset), blocking), route -> route);
    }

    private Route written(String name, DevicePreset preset) {
        Path file;
        try {
            file = preset.writeTo(presetDir.resolve(name + ".conf"));
        } catch (java.io.IOException e) {
            return ApiErrors.error(StatusCodes.INSUFFICIENT_STORAGE, "cannot write the preset to " + presetDir
                    + ": " + e.getMessage() + "; check that the data directory is writable");
        }
        return complete(StatusCodes.CREATED, Map.of("name", name, "path", file.toString(),
                "variation_sigma", preset.variationSigma(), "stuck_at_high_fraction", preset.stuckAtHighFraction(),
                "stuck_at_low_fraction", preset.stuckAtLowFraction(), "read_noise_relative", preset.readNoiseRelative()),
                Json.marshaller());
    }
}
