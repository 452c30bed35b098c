package org.rramlab.deploy;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMap;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.StatusReply;
import org.rramlab.api.Replies;
import org.rramlab.http.ApiErrors;
import org.rramlab.http.Json;
import org.rramlab.node.EntityRegistry;
import org.rramlab.node.RunMetadata;

/**
 * HTTP API of deployments (networks on arrays under an OSA supervisor):
 * <pre>
 * POST /api/deployments                   deploy a saved model           201 status
 * GET  /api/deployments[?key=value...]    every deployment's status, or those whose metadata
 *                                         has every key with that value  200 [status]
 * GET  /api/deployments/{id}              one deployment's status        200 status
 * GET  /api/deployments/{id}/checks       its recent HIL accuracy checks 200 [check]
 * GET  /api/deployments/{id}/osa-rounds   its OSA rounds                 200 [round]
 * GET  /api/deployments/{id}/refreshes    its refreshes (devices, pulses) 200 [refresh]
 * POST /api/deployments/{id}/check[?adapt=true]   check now (and adapt)  200 status
 * POST /api/deployments/{id}/stop[?reason=...]    stop supervising       200 status
 * </pre>
 */
public final class DeploymentRoutes {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String EXAMPLE = "{\"id\": \"lenet-1\", \"model\": \"mnist-kd\", \"sram_fraction\": 0.005,"
            + " \"threshold_points\": 0.1, \"check_interval_seconds\": 30}";

    private final ActorSystem<?> system;
    private final OsaSupervisor.Deployments deployments;
    private final Duration timeout;

    public DeploymentRoutes(ActorSystem<?> system, OsaSupervisor.Deployments deployments, Duration timeout) {
        this.system = system;
        this.deployments = deployments;
        this.timeout = timeout;
    }

    public Route routes() {
        // rejections are handled inside the prefix, so that other paths go on to the next routes
        return pathPrefix("api", () -> pathPrefix("deployments", () -> ApiErrors.handled(() -> concat(
                pathEndOrSingleSlash(() -> concat(
                        post(() -> entity(org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller.entityToString(),
                                this::start)),
                        get(() -> parameterMap(this::list)))),
                pathPrefix(PathMatchers.segment(), id -> concat(
                        pathEndOrSingleSlash(() -> get(() -> reply(ask(id, OsaSupervisor.GetStatus::new), StatusCodes.OK))),
                        path("checks", () -> get(() -> reply(this.<OsaSupervisor.History>ask(id,
                                OsaSupervisor.GetHistory::new).thenApply(OsaSupervisor.History::checks), StatusCodes.OK))),
                        path("osa-rounds", () -> get(() -> reply(this.<OsaSupervisor.History>ask(id,
                                OsaSupervisor.GetHistory::new).thenApply(OsaSupervisor.History::rounds), StatusCodes.OK))),
                        path("refreshes", () -> get(() -> reply(this.<OsaSupervisor.History>ask(id,
                                OsaSupervisor.GetHistory::new).thenApply(OsaSupervisor.History::refreshes), StatusCodes.OK))),
                        path("check", () -> post(() -> parameterOptional("adapt", adapt -> reply(
                                this.<DeploymentStatus>ask(id, r -> new OsaSupervisor.CheckNow(
                                        "true".equalsIgnoreCase(adapt.orElse("false")), r)), StatusCodes.OK)))),
                        path("stop", () -> post(() -> parameterOptional("reason", reason -> reply(
                                this.<DeploymentStatus>ask(id, r -> new OsaSupervisor.Stop(reason.orElse(null), r)),
                                StatusCodes.OK))))))))));
    }

    private Route start(String body) {
        String id;
        DeploymentSpec spec;
        try {
            JsonNode tree = Json.mapper().readTree(Replies.nonEmpty(body));
            if (!(tree instanceof ObjectNode object)) {
                return ApiErrors.error(StatusCodes.BAD_REQUEST, "the deployment spec must be a JSON object like " + EXAMPLE);
            }
            JsonNode idNode = object.remove("id");
            id = idNode == null || idNode.isNull() ? "deployment-" + UUID.randomUUID().toString().substring(0, 8)
                    : idNode.asText();
            if (object.hasNonNull("preset") && object.get("preset").isTextual()) {
                // a shipped name stays, a data-directory preset becomes its file's path; nothing else is read
                object.put("preset", org.rramlab.array.Presets.resolve(object.get("preset").asText(),
                        org.rramlab.array.Presets.dataDir(system.settings().config())));
            }
            spec = Json.mapper().treeToValue(object, DeploymentSpec.class);
        } catch (JsonProcessingException e) {
            return Replies.badJson(e, EXAMPLE);
        } catch (IllegalArgumentException e) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, e.getMessage());
        }
        if (!ID.matcher(id).matches()) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, "deployment id \"" + id + "\" is not usable: ids are 1 to 64"
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        List<String> problems = spec.problems();
        if (!problems.isEmpty()) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, String.join("; ", problems));
        }
        // planning loads the model and its data: allow it more than a plain ask
        return Replies.reply(AskPattern.<ShardingEnvelope<OsaSupervisor.Command>, DeploymentStatus>askWithStatus(deployments.region(),
                        r -> new ShardingEnvelope<>(id, new OsaSupervisor.Start(spec, r)), timeout.multipliedBy(3),
                        system.scheduler()), StatusCodes.CREATED, timeout.multipliedBy(3));
    }

    private Route list(Map<String, String> filters) {
        List<String> problems = RunMetadata.filterProblems(filters);
        if (!problems.isEmpty()) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, String.join("; ", problems));
        }
        CompletionStage<List<String>> ids = AskPattern.<EntityRegistry.Command, EntityRegistry.Ids>ask(
                        deployments.registry(), EntityRegistry.ListIds::new, timeout, system.scheduler())
                .thenApply(EntityRegistry.Ids::ids);
        CompletionStage<List<DeploymentStatus>> all =
                Replies.each(ids, id -> this.<DeploymentStatus>ask(id, OsaSupervisor.GetStatus::new));
        return reply(all.thenApply(list -> list.stream().filter(d -> RunMetadata.matches(d.metadata(), filters))
                .toList()), StatusCodes.OK);
    }

    private <T> CompletionStage<T> ask(String id, Function<ActorRef<StatusReply<T>>, OsaSupervisor.Command> command) {
        return AskPattern.askWithStatus(deployments.region(), r -> new ShardingEnvelope<>(id, command.apply(r)), timeout,
                system.scheduler());
    }

    private <T> Route reply(CompletionStage<T> answer, StatusCode ok) {
        return Replies.reply(answer, ok, timeout);
    }
}
