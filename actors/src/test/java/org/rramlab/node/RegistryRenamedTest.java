package org.rramlab.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** Campaign-registry events journaled under the registry's old class name still read back. */
class RegistryRenamedTest {
    @Test
    void anOldRegistryEventReadsAsTheNewOne() throws Exception {
        var config = ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(LabConfig.load(Map.of(), Map.of())).resolve();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "registry-renamed", config);
        try {
            Serialization serialization = SerializationExtension.get(system);
            Serializer cbor = serialization.serializerFor(EntityRegistry.Added.class);
            byte[] old = new CBORMapper().writeValueAsBytes(Map.of("campaignId", "drift-7"));
            Object read = serialization.deserialize(old, cbor.identifier(),
                    "org.rramlab.campaign.CampaignRegistry$Added").get();
            assertEquals(new EntityRegistry.Added("drift-7"), read);
            byte[] fresh = serialization.serialize(new EntityRegistry.Added("drift-8")).get();
            assertEquals(new EntityRegistry.Added("drift-8"), serialization.deserialize(fresh, cbor.identifier(),
                    EntityRegistry.Added.class.getName()).get());
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
        }
    }
}
