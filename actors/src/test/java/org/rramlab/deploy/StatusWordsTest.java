package org.rramlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.archive.ArchiveStatus;
import org.rramlab.array.ArraySummary;
import org.rramlab.campaign.CampaignState;
import org.rramlab.campaign.CampaignStatus;
import org.rramlab.device.ArrayHealth;
import org.rramlab.http.Json;
import org.rramlab.node.Readiness;
import org.rramlab.serialization.JournalBytes;

/**
 * States are enums in the status records, and the API still shows the lower-case words it always
 * did ("running", "supervising", "connected", "up"); what nodes send each other reads back equal.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusWordsTest {
    @AutoClose
    final JournalBytes wire = JournalBytes.start("status-words");

    private static JsonNode api(Object o) {
        return Json.mapper().valueToTree(o);
    }

    @Test
    void aDeploymentsPhaseIsTheWordAndItsSnapshotKeepsTheName() throws Exception {
        DeploymentStatus status = DeploymentStatus.of("d-1", DeploymentState.empty());
        assertEquals(DeploymentState.Phase.NEW, status.phase());
        assertEquals("new", api(status).get("phase").asText());
        assertEquals(status, Json.mapper().treeToValue(api(status), DeploymentStatus.class));
        assertEquals(status, wire.read(wire.write(status), DeploymentStatus.class));
        assertEquals("NEW", wire.tree(DeploymentState.empty()).get("phase").asText(), "snapshots spell it as they always did");
    }

    @Test
    void aCampaignsStateIsTheWord() throws Exception {
        var status = new CampaignStatus("c-1", CampaignState.Status.SUSPENDED, 3, 10, "waiting", null, List.of("a"),
                null, null, null, "link down", List.of(), null, null, Map.of(), Map.of());
        assertEquals("suspended", api(status).get("state").asText());
        assertEquals(status, wire.read(wire.write(status), CampaignStatus.class));
    }

    @Test
    void theArchivesStateAnArraysLinkAndReadinessAreWords() throws Exception {
        ArchiveStatus archive = ArchiveStatus.starting("/tmp/a");
        assertEquals("starting", api(archive).get("state").asText());
        assertEquals(archive, Json.mapper().treeToValue(api(archive), ArchiveStatus.class));

        var array = new ArraySummary("a", "simulated", "default", 4, 4, 10, 1L, null, null,
                ArrayHealth.LinkState.RECONNECTING, "retrying", 0, 300, 0, 0, 0, List.of(), null, "sim");
        assertEquals("reconnecting", api(array).get("link").asText());
        assertEquals(array, wire.read(wire.write(array), ArraySummary.class));
        assertEquals(array, Json.mapper().treeToValue(api(array), ArraySummary.class));

        var ready = new Readiness(false, Map.of("archive", Readiness.Part.starting("starting")));
        assertEquals("starting", api(ready).get("parts").get("archive").get("state").asText());
        assertEquals("down", api(Readiness.Part.down("x")).get("state").asText());
    }
}
