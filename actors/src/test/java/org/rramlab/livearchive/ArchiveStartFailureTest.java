package org.rramlab.livearchive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.node.LabConfig;
import org.rramlab.node.Readiness;

/** An archive whose broker never came up says so, with the reason, instead of "starting" for ever. */
class ArchiveStartFailureTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBrokerThatNeverCameUpIsReportedAsAFailedStartWithItsReason() {
        ActorSystem<SpawnProtocol.Command> system = ActorSystem.create(SpawnProtocol.create(), "archive-failure");
        try {
            CompletableFuture<String> broker = CompletableFuture.failedFuture(
                    new IllegalStateException("cannot create or describe Kafka topic rram.conductance"));
            LabArchive archive = LabArchive.start(system, LabConfig.load(Map.of(), Map.of()), dir, broker,
                    new CompletableFuture<>(), (kind, event) -> { });
            assertEquals(org.rramlab.archive.ArchiveStatus.State.FAILED, archive.status().state());
            Readiness.Part ready = archive.readiness();
            assertEquals(Readiness.Part.down("x").state(), ready.state());
            assertTrue(ready.detail().contains("cannot create or describe Kafka topic"), ready.detail());
        } finally {
            ActorTestKit.shutdown(system);
        }
    }
}
