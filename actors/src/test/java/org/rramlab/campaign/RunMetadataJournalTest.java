package org.rramlab.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.deploy.DeploymentSpec;
import org.rramlab.node.RunMetadata;
import org.rramlab.serialization.JournalBytes;

/**
 * Run metadata in the journal: campaigns and deployments journaled before it existed still read
 * (no metadata), and what is journaled now reads back equal, its numbers and booleans kept.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunMetadataJournalTest {
    @AutoClose
    final JournalBytes journal = JournalBytes.start("run-metadata-journal");

    @Test
    void aCampaignStartedBeforeMetadataReadsWithoutIt() throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("arrays", List.of("sim-1"));
        spec.put("intervalSeconds", 600.0);
        spec.put("reads", 10);
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("type", "started");
        started.put("at", 1_700_000_000.0);
        started.put("id", "drift-1");
        started.put("spec", spec);
        var read = journal.read(JournalBytes.cbor(started), CampaignEvent.Started.class);
        assertNull(read.spec().metadata());
        assertEquals(Map.of(), read.spec().metadataOrEmpty());
        assertEquals(10, read.spec().totalReads());
    }

    @Test
    void metadataJournaledNowReadsBackEqual() throws Exception {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("sample", "W12");
        metadata.put("die", 7);
        metadata.put("vdd", 1.2);
        metadata.put("baked", true);
        var spec = new CampaignSpec(List.of("sim-1"), null, null, null, 600.0, 10, null, null, null, null, metadata);
        assertTrue(spec.problems().isEmpty(), spec.problems().toString());
        var event = new CampaignEvent.Started(Instant.parse("2026-12-07T00:00:00Z"), "drift-1", spec, null);
        var back = journal.read(journal.write(event), CampaignEvent.Started.class);
        assertEquals(event, back);
        assertEquals(7L, back.spec().metadata().get("die"));
        assertEquals(true, back.spec().metadata().get("baked"));

        var deploy = new DeploymentSpec("tiny", null, null, null, null, 1L, null, null, null, null, null, null, null, null,
                Map.of("wafer", "W3", "slot", 4));
        var deployBack = journal.read(journal.write(deploy), DeploymentSpec.class);
        assertEquals(deploy, deployBack);
        assertEquals(4L, deployBack.metadata().get("slot"));
    }

    @Test
    void aDeploymentCreatedBeforeMetadataReadsWithoutIt() throws Exception {
        DeploymentSpec read = journal.read(JournalBytes.cbor(Map.of("model", "tiny", "seed", 3)), DeploymentSpec.class);
        assertNull(read.metadata());
        assertEquals(3L, read.seedOrOne());
    }

    @Test
    void theRulesSayWhatIsAllowed() {
        assertTrue(RunMetadata.problems(Map.of("sample", Map.of("x", 1))).get(0).contains("strings, numbers or booleans"));
        assertTrue(RunMetadata.problems(Map.of("1st", "x")).get(0).contains("starting with a letter"));
        assertTrue(RunMetadata.problems(Map.of("notes", "x".repeat(1025))).get(0).contains("at most 1024"));
        assertTrue(RunMetadata.problems(Map.of("sample", "W12", "ok", true, "n", 3.5)).isEmpty());
        assertTrue(RunMetadata.matches(Map.of("die", 7L), Map.of("die", "7.0")));
        assertTrue(!RunMetadata.matches(Map.of("die", 7L), Map.of("die", "8")));
        assertTrue(!RunMetadata.matches(Map.of(), Map.of("sample", "W12")));
        assertTrue(RunMetadata.matches(null, Map.of()));
    }
}
