package org.rramlab.app.node;

import org.rramlab.api.LabEvents;
import org.rramlab.api.Replies;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArrayRegistry;
import org.rramlab.array.ArraySummary;
import org.rramlab.campaign.CampaignActor;
import org.rramlab.campaign.CampaignStatus;
import org.rramlab.http.Json;
import org.rramlab.node.EntityRegistry;

/**
 * Publishes {@code campaign.status} when a campaign's status changed and {@code array.health}
 * when an array's link changed, by looking at them every {@code every}: the campaign and array
 * actors stay free of the monitors, and a look that finds nothing changed publishes nothing.
 */
public final class StatusEvents {
    private final ActorSystem<?> system;
    private final org.apache.pekko.actor.typed.ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays;
    private final CampaignActor.Campaigns campaignActors;
    private final org.apache.pekko.actor.typed.ActorRef<EntityRegistry.Command> arrayRegistry;
    private final BiConsumer<String, Object> publish;
    private final Duration timeout;
    private final Map<String, JsonNode> campaigns = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();
    private final AtomicBoolean looking = new AtomicBoolean();

    private StatusEvents(ActorSystem<?> system, org.apache.pekko.actor.typed.ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays,
                         CampaignActor.Campaigns campaignActors, BiConsumer<String, Object> publish, Duration timeout) {
        this.system = system;
        this.arrays = arrays;
        this.campaignActors = campaignActors;
        // resolved now: a look that resolved it while the node stops would start a singleton proxy
        // on a terminating system, which Pekko reports on stdout
        this.arrayRegistry = ArrayRegistry.of(system);
        this.publish = publish;
        this.timeout = timeout;
    }

    /** Starts looking; cancel the result to stop. */
    public static Cancellable start(ActorSystem<?> system,
                                    org.apache.pekko.actor.typed.ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays,
                                    CampaignActor.Campaigns campaigns, BiConsumer<String, Object> publish, Duration every) {
        StatusEvents events = new StatusEvents(system, arrays, campaigns, publish, every.multipliedBy(5));
        return system.scheduler().scheduleWithFixedDelay(every, every, events::look, system.executionContext());
    }

    private void look() {
        if (!looking.compareAndSet(false, true)) {
            return; // the previous look is still waiting for answers
        }
        try {
            CompletableFuture.allOf(lookAtCampaigns().toCompletableFuture(), lookAtArrays().toCompletableFuture())
                    .whenComplete((v, e) -> looking.set(false));
        } catch (IllegalStateException stopping) {
            looking.set(false); // the node is stopping between two looks: nothing to publish to anyone
        }
    }

    private CompletionStage<Void> lookAtCampaigns() {
        CompletionStage<List<CampaignStatus>> all = Replies.each(ids(campaignActors.registry()), id ->
                AskPattern.<ShardingEnvelope<CampaignActor.Command>, CampaignStatus>askWithStatus(
                        campaignActors.region(), r -> new ShardingEnvelope<>(id, new CampaignActor.GetStatus(r)),
                        timeout, system.scheduler()));
        return all.thenAccept(list -> {
            for (CampaignStatus s : list) {
                JsonNode now = Json.mapper().valueToTree(s);
                JsonNode before = campaigns.put(s.id(), now);
                if (!now.equals(before)) {
                    publish.accept(LabEvents.CAMPAIGN_STATUS, s);
                }
            }
        });
    }

    private CompletionStage<Void> lookAtArrays() {
        CompletionStage<List<ArraySummary>> all = Replies.each(ids(arrayRegistry), id ->
                AskPattern.<ShardingEnvelope<ArrayActor.Command>, ArraySummary>askWithStatus(arrays,
                        r -> new ShardingEnvelope<>(id, new ArrayActor.GetState(r)), timeout, system.scheduler()));
        return all.thenAccept(list -> {
            for (ArraySummary s : list) {
                String link = s.link() + "|" + s.linkDetail();
                if (!link.equals(links.put(s.arrayId(), link))) {
                    publish.accept(LabEvents.ARRAY_HEALTH, s);
                }
            }
        });
    }

    private CompletionStage<List<String>> ids(org.apache.pekko.actor.typed.ActorRef<EntityRegistry.Command> registry) {
        return AskPattern.<EntityRegistry.Command, EntityRegistry.Ids>ask(registry, EntityRegistry.ListIds::new, timeout,
                system.scheduler()).thenApply(EntityRegistry.Ids::ids);
    }
}
