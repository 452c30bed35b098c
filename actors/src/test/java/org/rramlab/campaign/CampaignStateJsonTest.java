package org.rramlab.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.node.LabConfig;

/** Snapshots journaled when the campaign status was a string still read, and new ones spell it the same. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CampaignStateJsonTest {
    @Test
    void anOldSnapshotWithAStatusStringReadsAsTheEnumAndTheSpellingIsKept() throws Exception {
        var config = ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(LabConfig.load(Map.of(), Map.of())).resolve();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "campaign-state-json", config);
        try {
            Serialization serialization = SerializationExtension.get(system);
            Serializer cbor = serialization.serializerFor(CampaignState.class);
            // the fields of a snapshot as written before the status became an enum (and before lastError)
            Map<String, Object> old = new LinkedHashMap<>();
            old.put("id", "drift-1");
            old.put("status", "suspended");
            old.put("startedAt", "2026-11-30T10:00:00Z");
            old.put("nextRead", 3);
            old.put("bakesDone", 0);
            old.put("interruption", Map.of("from", "2026-11-30T11:00:00Z", "reason", "read 3: link down"));
            old.put("interruptions", List.of());
            byte[] bytes = new CBORMapper().writeValueAsBytes(old);
            CampaignState read = (CampaignState) serialization.deserialize(bytes, cbor.identifier(),
                    CampaignState.class.getName()).get();
            assertEquals(CampaignState.Status.SUSPENDED, read.status());
            assertEquals(3, read.nextRead());
            assertNull(read.lastError());
            assertNull(read.readSpans(), "an old snapshot kept no read spans: its export goes by array time");
            for (CampaignState.Status status : CampaignState.Status.values()) {
                CampaignState fresh = new CampaignState("drift-2", null, status, Instant.EPOCH, null, 0, 0, null, null,
                        null, List.of(), null, null, null, Instant.EPOCH, false, null,
                        Map.of("sim-1", new CampaignState.ReadSpan(3, 9)));
                JsonNode written = new CBORMapper().readTree(serialization.serialize(fresh).get());
                assertEquals(status.name().toLowerCase(java.util.Locale.ROOT), written.get("status").asText());
                assertEquals(fresh, serialization.deserialize(serialization.serialize(fresh).get(), cbor.identifier(),
                        CampaignState.class.getName()).get());
            }
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
        }
    }
}
