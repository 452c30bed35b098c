package org.rramlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.rramlab.array.ArrayEvent;
import org.rramlab.array.ArraySpec;
import org.rramlab.serialization.JournalBytes;
import org.rramlab.training.TrainerEvent;
import org.rramlab.training.TrainingJob;

/**
 * Triggers and job states were journaled as words before they were enums, array specs as one
 * record with a kind word and every field of both kinds: journals written then still read, and
 * what is written now reads back the same and looks the same.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OldJournalsReadTest {
    @AutoClose
    final JournalBytes journal = JournalBytes.start("old-journals");

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
        var read = journal.read(JournalBytes.cbor(Map.of("at", 1_700_000_000.0, "check", check)),
                DeploymentEvent.Checked.class);
        assertEquals(Trigger.CUSUM, read.check().trigger());

        assertEquals(read, journal.read(journal.write(read), DeploymentEvent.Checked.class));
        assertEquals("cusum", journal.tree(read).get("check").get("trigger").asText(), "written as the same word as before");
    }

    @Test
    void aJobSavedWithAWordStateReadsAsTheEnum() throws Exception {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", "job-4");
        job.put("state", "running");
        job.put("restarts", 1);
        var read = journal.read(JournalBytes.cbor(job), TrainingJob.class);
        assertEquals(TrainingJob.State.RUNNING, read.state());
        assertEquals("running", journal.tree(read).get("state").asText());
    }

    /** An array's registration as the single ArraySpec record wrote it: both kinds' fields, nulls included. */
    private static Map<String, Object> registeredBeforeTheSplit(String kind, Long seed, Integer die, String analyzer,
                                                                String matrix, String prober, String address) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("kind", kind);
        spec.put("preset", "ox-hfo2");
        spec.put("rows", 4);
        spec.put("cols", 6);
        spec.put("seed", seed);
        spec.put("address", address);
        spec.put("die", die);
        spec.put("analyzer", analyzer);
        spec.put("matrix", matrix);
        spec.put("board", null);
        spec.put("prober", prober);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "registered");
        event.put("at", "2026-12-01T00:00:00Z");
        event.put("spec", spec);
        event.put("levels", 10);
        event.put("temperatureKelvin", 300.0);
        return event;
    }

    @Test
    void arraysRegisteredBeforeTheSpecWasSplitReadAsTheirKind() throws Exception {
        var simulated = journal.read(JournalBytes.cbor(registeredBeforeTheSplit("simulated", 7L, null, null, null, null, null)),
                ArrayEvent.Registered.class);
        assertEquals(new ArraySpec.Simulated("ox-hfo2", 4, 6, 7), simulated.spec());
        assertEquals(10, simulated.levels());

        var physical = journal.read(JournalBytes.cbor(registeredBeforeTheSplit("physical", null, 2,
                "TCPIP0::10.0.0.5::5025::SOCKET", "TCPIP0::10.0.0.6::5025::SOCKET", "TCPIP0::10.0.0.7::1412::SOCKET", null)),
                ArrayEvent.Registered.class);
        assertEquals(new ArraySpec.Physical("ox-hfo2", 4, 6, 2, "TCPIP0::10.0.0.5::5025::SOCKET",
                "TCPIP0::10.0.0.6::5025::SOCKET", null, "TCPIP0::10.0.0.7::1412::SOCKET"), physical.spec());

        // the first physical arrays had one address for every instrument: they read, and say what is missing
        var oneAddress = journal.read(JournalBytes.cbor(registeredBeforeTheSplit("physical", null, 0, null, null, null,
                "127.0.0.1:5025")), ArrayEvent.Registered.class);
        assertTrue(oneAddress.spec() instanceof ArraySpec.Physical);
        assertTrue(oneAddress.spec().problem() != null, "its rebuild fails with the spec's problem, as before the split");
    }

    @Test
    void arraySpecsAreWrittenAsBeforeWithTheirKindAndOnlyTheirFields() throws Exception {
        var sim = new ArrayEvent.Registered(Instant.parse("2026-12-01T00:00:00Z"), ArraySpec.simulated("ox-hfo2", 4, 6, 7),
                10, 300.0);
        var tree = journal.tree(sim).get("spec");
        assertEquals("simulated", tree.get("kind").asText());
        assertEquals(List.of("kind", "preset", "rows", "cols", "seed"), fieldNames(tree));
        assertEquals(sim, journal.read(journal.write(sim), ArrayEvent.Registered.class));

        var phys = new ArrayEvent.Registered(Instant.parse("2026-12-01T00:00:00Z"), ArraySpec.physical(
                "TCPIP0::10.0.0.5::5025::SOCKET", "TCPIP0::10.0.0.6::5025::SOCKET", "TCPIP0::10.0.0.7::1412::SOCKET",
                1, 4, 6, null), 10, 300.0);
        var physTree = journal.tree(phys).get("spec");
        assertEquals("physical", physTree.get("kind").asText());
        assertEquals(List.of("kind", "preset", "rows", "cols", "die", "analyzer", "matrix", "board", "prober"),
                fieldNames(physTree));
        assertEquals(phys, journal.read(journal.write(phys), ArrayEvent.Registered.class));
    }

    private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aDeploymentSnapshotWithoutTheNodeHistoryReadsAsNoCrashes() throws Exception {
        DeploymentState state = DeploymentState.empty().journaled(new DeploymentEvent.HandedOff(Instant.EPOCH));
        var read = journal.without(state, "node");
        assertEquals(List.of(), read.nodeHistory().interruptions(), "older snapshots had no node history");
        assertFalse(read.nodeHistory().handedOff());
        assertEquals(List.of(), DeploymentStatus.of("old", read).nodeInterruptions());
    }

    @Test
    void journalsOlderThanRefreshReadWithoutWrites() throws Exception {
        DeploymentState state = DeploymentState.empty().journaled(new DeploymentEvent.HandedOff(Instant.EPOCH));
        var read = journal.without(state, "writes");
        assertEquals(Endurance.NONE, read.endurance(), "older snapshots wrote nothing");
        assertEquals(0, DeploymentStatus.of("old", read).refreshWrites());

        var decided = new DeploymentEvent.Decided(Instant.EPOCH, 3, org.rramlab.learning.drift.DriftAction.OSA_ROUND,
                "why", 0.5, 10, null);
        assertNull(journal.without(decided, "refresh").refresh(), "decisions older than refresh plan none");
        var programmed = new ArrayEvent.Programmed(Instant.EPOCH, "t", 1,
                new org.rramlab.device.Block(0, 0, 1, 2), new int[] {1, 2}, null, true, 4, 1e-6, 0, 0, null);
        var old = journal.without(programmed, "cells");
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
        var read = journal.read(journal.write(adapted), DeploymentEvent.Adapted.class);
        assertEquals(2, read.branch().offsets().size());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0.5f, -0.25f}, read.branch().offset(0));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {-3, 7}, read.branch().layers().get(0).codes());

        var tree = journal.tree(adapted);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("branch")).remove("offsets");
        var old = journal.read(tree, DeploymentEvent.Adapted.class);
        assertFalse(old.branch().hasOffsets(), "branches journaled before offsets had none");
        assertNull(old.branch().offset(0));
        assertEquals(2, old.branch().count());
    }

    @Test
    void startEventsWithoutProvenanceReadAsNull() throws Exception {
        var spec = new org.rramlab.campaign.CampaignSpec(List.of("a"), null, null, null, 1.0, 3, null, null, null, null);
        assertNull(journal.without(new org.rramlab.campaign.CampaignEvent.Started(Instant.EPOCH, "c", spec,
                org.rramlab.node.Provenance.of((org.rramlab.device.DevicePreset) null)), "provenance").provenance());
        assertNull(journal.without(new TrainerEvent.Started(Instant.EPOCH, "job-1", "none",
                org.rramlab.node.Provenance.of((org.rramlab.device.DevicePreset) null)), "provenance").provenance());
    }
}
