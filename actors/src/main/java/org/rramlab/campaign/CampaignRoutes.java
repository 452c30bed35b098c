package org.rramlab.campaign;

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
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.StatusReply;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySpec;
import org.rramlab.array.ArraySummary;
import org.rramlab.array.Presets;
import org.rramlab.api.Replies;
import org.rramlab.node.EntityRegistry;
import org.rramlab.node.RunMetadata;
import org.rramlab.http.ApiErrors;
import org.rramlab.http.Json;

/**
 * HTTP API of arrays and campaigns:
 * <pre>
 * POST /api/arrays                  register an array             201 summary
 * GET  /api/arrays/{id}             its state and health          200 summary
 *      (GET /api/arrays, the list with imported arrays, is in ArchiveRoutes)
 * POST /api/campaigns               create and start a campaign   201 status
 * GET  /api/campaigns[?key=value...] every campaign's status, or those whose metadata has every
 *                                   key with that value (?sample=W12&operator=ana)   200 [status]
 * GET  /api/campaigns/{id}          one campaign's status         200 status
 * POST /api/campaigns/{id}/pause | resume | abort[?reason=...]    200 status
 * </pre>
 * Bad input is a 400, an unknown id a 404, a transition the state does not allow a 409, each with
 * a JSON message that says what to do.
 */
public final class CampaignRoutes {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String ID_RULE = "ids are 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    /** The body of POST /api/arrays. */
    public record ArrayRegistration(String id, String kind, String preset, Integer rows, Integer cols, Long seed,
                                    String address, Integer die, String analyzer, String matrix, String board,
                                    String prober) {}

    private final ActorSystem<?> system;
    private final ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays;
    private final CampaignActor.Campaigns campaigns;
    private final Duration timeout;

    public CampaignRoutes(ActorSystem<?> system, ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays,
                          CampaignActor.Campaigns campaigns) {
        this.system = system;
        this.arrays = arrays;
        this.campaigns = campaigns;
        this.timeout = CampaignSettings.from(system.settings().config()).askTimeout();
    }

    public Route routes() {
        return ApiErrors.handled(() -> pathPrefix("api", () -> concat(
                pathPrefix("arrays", () -> concat(
                        pathEndOrSingleSlash(() -> post(() -> entity(Unmarshaller.entityToString(), this::register))),
                        path(PathMatchers.segment(), id -> get(() -> reply(
                                askArray(id, ArrayActor.GetState::new), StatusCodes.OK))))),
                pathPrefix("campaigns", () -> concat(
                        pathEndOrSingleSlash(() -> concat(
                                post(() -> entity(Unmarshaller.entityToString(), this::start)),
                                get(() -> parameterMap(this::list)))),
                        pathPrefix(PathMatchers.segment(), id -> concat(
                                pathEndOrSingleSlash(() -> get(() -> reply(
                                        askCampaign(id, CampaignActor.GetStatus::new), StatusCodes.OK))),
                                path("pause", () -> post(() -> reply(
                                        askCampaign(id, CampaignActor.Pause::new), StatusCodes.OK))),
                                path("resume", () -> post(() -> reply(
                                        askCampaign(id, CampaignActor.Resume::new), StatusCodes.OK))),
                                path("abort", () -> post(() -> parameterOptional("reason", reason -> reply(
                                        this.<CampaignStatus>askCampaign(id, r -> new CampaignActor.Abort(reason.orElse(null), r)),
                                        StatusCodes.OK)))))))))));
    }

    private Route register(String body) {
        ArrayRegistration r;
        try {
            r = Json.mapper().readValue(Replies.nonEmpty(body), ArrayRegistration.class);
        } catch (JsonProcessingException e) {
            return Replies.badJson(e, "{\"id\": \"sim-1\", \"kind\": \"simulated\", \"rows\": 64, \"cols\": 64, \"seed\": 1}");
        }
        if (r.id() == null || !ID.matcher(r.id()).matches()) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, "id \"" + r.id() + "\" is not usable: " + ID_RULE);
        }
        if (r.rows() == null || r.cols() == null) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, "give the array's shape: \"rows\" and \"cols\"");
        }
        String preset;
        try {
            preset = Presets.resolve(r.preset(), Presets.dataDir(system.settings().config()));
        } catch (IllegalArgumentException e) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, e.getMessage());
        }
        ArraySpec spec;
        try {
            spec = ArraySpec.of(r.kind(), preset, r.rows(), r.cols(), r.seed(), r.address(), r.die(),
                    r.analyzer(), r.matrix(), r.board(), r.prober());
        } catch (IllegalArgumentException e) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, "cannot register array '" + r.id() + "': " + e.getMessage());
        }
        return reply(this.<ArraySummary>askArray(r.id(), reply -> new ArrayActor.Register(spec, reply))
                .thenApply(summary -> {
                    org.rramlab.array.ArrayRegistry.add(system, r.id());
                    return summary;
                }), StatusCodes.CREATED);
    }

    private Route start(String body) {
        String id;
        CampaignSpec spec;
        try {
            JsonNode tree = Json.mapper().readTree(Replies.nonEmpty(body));
            if (!(tree instanceof ObjectNode object)) {
                return ApiErrors.error(StatusCodes.BAD_REQUEST, "the campaign spec must be a JSON object");
            }
            JsonNode idNode = object.remove("id");
            id = idNode == null || idNode.isNull() ? "campaign-" + UUID.randomUUID().toString().substring(0, 8) : idNode.asText();
            spec = Json.mapper().treeToValue(object, CampaignSpec.class);
        } catch (JsonProcessingException e) {
            return Replies.badJson(e, "{\"id\": \"drift-1\", \"arrays\": [\"sim-1\"], \"program\": {\"pattern\": \"every-level\"},"
                    + " \"interval_seconds\": 600, \"reads\": 100, \"acceleration\": 600}");
        }
        if (!ID.matcher(id).matches()) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, "campaign id \"" + id + "\" is not usable: " + ID_RULE);
        }
        // an unknown array in the spec is bad input (the actor says so), not a missing resource
        return reply(this.<CampaignStatus>askCampaign(id, r -> new CampaignActor.Start(spec, r)), StatusCodes.CREATED);
    }

    private Route list(Map<String, String> filters) {
        List<String> problems = RunMetadata.filterProblems(filters);
        if (!problems.isEmpty()) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, String.join("; ", problems));
        }
        CompletionStage<List<String>> ids = AskPattern.<EntityRegistry.Command, EntityRegistry.Ids>ask(
                        campaigns.registry(), EntityRegistry.ListIds::new, timeout, system.scheduler())
                .thenApply(EntityRegistry.Ids::ids);
        CompletionStage<List<CampaignStatus>> all =
                Replies.each(ids, id -> this.<CampaignStatus>askCampaign(id, CampaignActor.GetStatus::new));
        return reply(all.thenApply(list -> list.stream().filter(c -> RunMetadata.matches(c.metadata(), filters))
                .toList()), StatusCodes.OK);
    }

    private <T> CompletionStage<T> askArray(String id, Function<ActorRef<StatusReply<T>>, ArrayActor.Command> command) {
        return AskPattern.askWithStatus(arrays, r -> new ShardingEnvelope<>(id, command.apply(r)), timeout, system.scheduler());
    }

    private <T> CompletionStage<T> askCampaign(String id,
                                               Function<ActorRef<StatusReply<T>>, CampaignActor.Command> command) {
        return AskPattern.askWithStatus(campaigns.region(), r -> new ShardingEnvelope<>(id, command.apply(r)), timeout,
                system.scheduler());
    }

    private <T> Route reply(CompletionStage<T> answer, StatusCode ok) {
        return Replies.reply(answer, ok, timeout);
    }
}
