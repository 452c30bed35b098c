package org.rramlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.node.LabConfig;
import org.rramlab.training.TrainerEvent;
import org.rramlab.training.TrainingJob;

/**
 * Triggers and job states were journaled as words before they were enums: journals written
 * then still read, and what is written now reads back the same and looks the same.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OldJournalsReadTest {
    ActorSystem<Void> system;
    Serialization serialization;

    @BeforeEach
    void start() {
        var config = ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(LabConfig.load(Map.of(), Map.of())).resolve();
        system = ActorSystem.create(Behaviors.empty(), "old-journals", config);
        serialization = SerializationExtension.get(system);
    }

    @AfterEach
    void stop() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }

    @Test
    void aCheckJournaledWithAWordTriggerReadsAsTheEnum() throws Exception {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("number", 3);
        check.put("at", 1_700_000_000.0);
        check.put("trigger", "cusum");
        check.put("arrayTimeSeconds", 86_400.0);
        check.put("rawAccuracy", 0.9);
        check.put("accuracy", 0.95);
        check.put("images", 600);
        check.put("readSeconds", 0.1);
        check.put("evalSeconds", 0.2);
        byte[] old = new CBORMapper().writeValueAsBytes(Map.of("at", 1_700_000_000.0, "check", check));
        int cbor = serialization.serializerFor(DeploymentEvent.Checked.class).identifier();
        var read = (DeploymentEvent.Checked) serialization.deserialize(old, cbor,
                DeploymentEvent.Checked.class.getName()).get();
        assertEquals(Trigger.CUSUM, read.check().trigger());

        byte[] fresh = serialization.serialize(read).get();
        assertEquals(read, serialization.deserialize(fresh, cbor, DeploymentEvent.Checked.class.getName()).get());
        assertEquals("cusum", new CBORMapper().readTree(fresh).get("check").get("trigger").asText(),
                "written as the same word as before");
    }

    @Test
    void aJobSavedWithAWordStateReadsAsTheEnum() throws Exception {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", "job-4");
        job.put("state", "running");
        job.put("restarts", 1);
        byte[] old = new CBORMapper().writeValueAsBytes(job);
        int cbor = serialization.serializerFor(TrainingJob.class).identifier();
        var read = (TrainingJob) serialization.deserialize(old, cbor, TrainingJob.class.getName()).get();
        assertEquals(TrainingJob.State.RUNNING, read.state());
        byte[] fresh = serialization.serialize(read).get();
        assertEquals("running", new CBORMapper().readTree(fresh).get("state").asText());
    }

    @Test
    void aDeploymentSnapshotWithoutTheNodeHistoryReadsAsNoCrashes() throws Exception {
        DeploymentState state = DeploymentState.empty().journaled(new DeploymentEvent.HandedOff(Instant.EPOCH));
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) new CBORMapper().readTree(
                serialization.serialize(state).get());
        tree.remove("node");
        byte[] old = new CBORMapper().writeValueAsBytes(tree);
        int cbor = serialization.serializerFor(DeploymentState.class).identifier();
        var read = (DeploymentState) serialization.deserialize(old, cbor, DeploymentState.class.getName()).get();
        assertEquals(List.of(), read.nodeHistory().interruptions(), "older snapshots had no node history");
        assertFalse(read.nodeHistory().handedOff());
        assertEquals(List.of(), DeploymentStatus.of("old", read).nodeInterruptions());
    }

    @Test
    void journalsOlderThanRefreshReadWithoutWrites() throws Exception {
        DeploymentState state = DeploymentState.empty().journaled(new DeploymentEvent.HandedOff(Instant.EPOCH));
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) new CBORMapper().readTree(
                serialization.serialize(state).get());
        tree.remove("writes");
        int cbor = serialization.serializerFor(DeploymentState.class).identifier();
        var read = (DeploymentState) serialization.deserialize(new CBORMapper().writeValueAsBytes(tree), cbor,
                DeploymentState.class.getName()).get();
        assertEquals(Endurance.NONE, read.endurance(), "older snapshots wrote nothing");
        assertEquals(0, DeploymentStatus.of("old", read).refreshWrites());

        var decided = new DeploymentEvent.Decided(Instant.EPOCH, 3, org.rramlab.learning.drift.DriftAction.OSA_ROUND,
                "why", 0.5, 10, null);
        assertNull(without(decided, "refresh").refresh(), "decisions older than refresh plan none");
        var programmed = new org.rramlab.array.ArrayEvent.Programmed(Instant.EPOCH, "t", 1,
                new org.rramlab.device.Block(0, 0, 1, 2), new int[] {1, 2}, null, true, 4, 1e-6, 0, 0, null);
        var old = without(programmed, "cells");
        assertNull(old.cells(), "programmings older than single cells were of whole blocks");
        assertEquals(programmed.block(), old.block());
    }

    @Test
    void anSramBranchKeepsItsOffsetsAndOneJournaledBeforeOffsetsReadsWithNone() throws Exception {
        var branch = new org.rramlab.learning.osa.SramBranch(8, List.of(new org.rramlab.learning.osa.SramBranch.Layer(
                0, new int[] {2, 5}, new int[] {-3, 7}, 0.01)), List.of(new float[] {0.5f, -0.25f}, new float[] {1f}));
        var round = new DeploymentEvent.Round(2, Instant.EPOCH, Trigger.OPERATOR, 10, "measured", 2, 0.01, 0, 0,
                0.9, 0.8, 0.95, true, 1.5);
        var adapted = new DeploymentEvent.Adapted(Instant.EPOCH, round, branch);
        int cbor = serialization.findSerializerFor(adapted).identifier();
        var read = (DeploymentEvent.Adapted) serialization.deserialize(serialization.serialize(adapted).get(), cbor,
                DeploymentEvent.Adapted.class.getName()).get();
        assertEquals(2, read.branch().offsets().size());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0.5f, -0.25f}, read.branch().offset(0));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {-3, 7}, read.branch().layers().get(0).codes());

        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) new CBORMapper().readTree(
                serialization.serialize(adapted).get());
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("branch")).remove("offsets");
        var old = (DeploymentEvent.Adapted) serialization.deserialize(new CBORMapper().writeValueAsBytes(tree), cbor,
                DeploymentEvent.Adapted.class.getName()).get();
        assertFalse(old.branch().hasOffsets(), "branches journaled before offsets had none");
        assertNull(old.branch().offset(0));
        assertEquals(2, old.branch().count());
    }

    @SuppressWarnings("unchecked")
    private <T> T without(T fresh, String field) throws Exception {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) new CBORMapper().readTree(
                serialization.serialize(fresh).get());
        tree.remove(field);
        int cbor = serialization.findSerializerFor(fresh).identifier();
        return (T) serialization.deserialize(new CBORMapper().writeValueAsBytes(tree), cbor,
                fresh.getClass().getName()).get();
    }

    @Test
    void startEventsWithoutProvenanceReadAsNull() throws Exception {
        var spec = new org.rramlab.campaign.CampaignSpec(List.of("a"), null, null, null, 1.0, 3, null, null, null, null);
        assertNull(withoutProvenance(new org.rramlab.campaign.CampaignEvent.Started(Instant.EPOCH, "c", spec,
                org.rramlab.node.Provenance.of((org.rramlab.device.DevicePreset) null))).provenance());
        assertNull(withoutProvenance(new TrainerEvent.Started(Instant.EPOCH, "job-1", "none",
                org.rramlab.node.Provenance.of((org.rramlab.device.DevicePreset) null))).provenance());
    }

    @SuppressWarnings("unchecked")
    private <T> T withoutProvenance(T fresh) throws Exception {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) new CBORMapper().readTree(
                serialization.serialize(fresh).get());
        assertNotNull(tree.remove("provenance"), "the new event writes it");
        int cbor = serialization.findSerializerFor(fresh).identifier();
        return (T) serialization.deserialize(new CBORMapper().writeValueAsBytes(tree), cbor,
                fresh.getClass().getName()).get();
    }
}
