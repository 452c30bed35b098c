package org.rramlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rramlab.deploy.OsaSupervisorTest.ask;
import static org.rramlab.deploy.OsaSupervisorTest.await;
import static org.rramlab.deploy.OsaSupervisorTest.programmings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySummary;
import org.rramlab.array.LabFixture;
import org.rramlab.device.Block;
import org.rramlab.device.Frame;
import org.rramlab.learning.drift.DriftAction;

/**
 * Selective refresh carried out by the supervisor on simulated arrays behind their actors: after
 * years of drift the policy chooses to refresh, only the chosen cells are written (once each), the
 * budgets of devices and pulses hold, and the counts survive a node restart.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class SupervisorRefreshTest {
    static final Block ARRAY = new Block(0, 0, 256, 256);
    static final long DEVICES = 2 * 25_408;
    static final long PULSES_PER_MONTH = 3_000;
    /** 1 % of the devices a month (508), half of it at once, 3,000 pulses (at most 150 devices of 20 pulses each). */
    static final Map<String, String> BUDGETS = Map.of(
            "rramlab.deployments.drift.refresh.writes-per-month", "0.01",
            "rramlab.deployments.drift.refresh.share-per-refresh", "0.5",
            "rramlab.deployments.drift.refresh.pulses-per-month", Long.toString(PULSES_PER_MONTH),
            "rramlab.deployments.drift.refresh.cost", "0",
            "rramlab.deployments.drift.refresh.at-deployment", "0");

    @TempDir
    Path dataDir;

    /** No SRAM (so no round competes), checks only when asked, a threshold a single image crosses. */
    static DeploymentSpec spec() {
        // the power law drifts far enough in years for refresh to be chosen (the node's default drifts less)
        return new DeploymentSpec("tiny", null, null, null, "dac2020-65nm", 11L, 0.0, null, 0.01, 3600.0, 600, 400, 1, null);
    }

    @Test
    void theFirstCheckWritesTheCostliestDevicesAgainBeforeTheSramIsPlaced() throws Exception {
        OsaSupervisorTest.saveTiny(dataDir);
        // the default budgets: 2 % of the weights at deployment, 5 % of the devices a month
        DeploymentSpec withSram = new DeploymentSpec("tiny", null, null, null, null, 11L, 0.005, null, 1.0, 3600.0, 600,
                400, 1, null);
        try (LabFixture lab = LabFixture.start(dataDir, null, Map.of(), Duration.ofSeconds(30))) {
            OsaSupervisor.Deployments deployments = lab.node.pipeline().join().deployments();
            OsaSupervisorTest.<DeploymentStatus>ask(lab, deployments, "q", reply -> new OsaSupervisor.Start(withSram, reply));
            await(lab, deployments, "q", "the repair, its read-back and the first round", s -> s.rounds() >= 1);
            OsaSupervisor.History h = ask(lab, deployments, "q", OsaSupervisor.GetHistory::new);
            DeploymentEvent.Decided first = h.decisions().get(0);
            assertEquals(DriftAction.REFRESH, first.action(), "the first check repairs: " + h.decisions());
            assertTrue(first.reason().startsWith("deployed: write-verify of the 508 costliest devices"), first.reason());
            assertEquals(1, h.refreshes().size(), "one repair: " + h.refreshes());
            assertEquals(Math.round(0.02 * 25_408), h.refreshes().get(0).devices(), "2 % of the weights, one device each");
            assertEquals(Trigger.REFRESH, h.checks().get(1).trigger(), "read back right after: " + h.checks());
            assertEquals(DriftAction.REPLACE, h.decisions().get(1).action(), "then the SRAM is placed: " + h.decisions());
            assertTrue(h.checks().get(1).rawAccuracy() >= h.checks().get(0).rawAccuracy() - 0.005,
                    "the repair does not make the arrays worse: " + h.checks());
            assertTrue(programmings(lab, "q-0") >= 2, "programmed, then the repair wrote the array again");
        }
    }

    @Test
    void aRefreshWritesOnlyTheChosenCellsWithinTheBudgetsAndItsCountsSurviveARestart() throws Exception {
        OsaSupervisorTest.saveTiny(dataDir);
        DeploymentStatus refreshed;
        try (LabFixture lab = LabFixture.start(dataDir, null, BUDGETS, Duration.ofSeconds(30))) {
            OsaSupervisor.Deployments deployments = lab.node.pipeline().join().deployments();
            OsaSupervisorTest.<DeploymentStatus>ask(lab, deployments, "r", reply -> new OsaSupervisor.Start(spec(), reply));
            await(lab, deployments, "r", "the first check", s -> s.checks() >= 1);
            for (String array : List.of("r-0", "r-1")) {
                lab.<ArraySummary>ask(array, reply -> new ArrayActor.AdvanceClockTo(3e8, reply));
            }
            Map<String, Frame> before = frames(lab);
            Map<String, Long> programmed = Map.of("r-0", programmings(lab, "r-0"), "r-1", programmings(lab, "r-1"));
            OsaSupervisorTest.<DeploymentStatus>ask(lab, deployments, "r", reply -> new OsaSupervisor.CheckNow(false, reply));
            // refreshes go on while they promise more than they cost and the budgets allow; then another choice
            await(lab, deployments, "r", "refreshes until the budgets are spent", s -> {
                OsaSupervisor.History h = ask(lab, deployments, "r", OsaSupervisor.GetHistory::new);
                return !h.refreshes().isEmpty() && !h.decisions().isEmpty()
                        && h.decisions().get(h.decisions().size() - 1).action() != DriftAction.REFRESH;
            });
            refreshed = ask(lab, deployments, "r", OsaSupervisor.GetStatus::new);
            OsaSupervisor.History history = ask(lab, deployments, "r", OsaSupervisor.GetHistory::new);

            List<DeploymentEvent.Decided> decisions = history.decisions().stream()
                    .filter(d -> d.action() == DriftAction.REFRESH).toList();
            assertEquals(decisions.size(), history.refreshes().size(), "every refresh decided was carried out");
            for (int n = 0; n < decisions.size(); n++) {
                DeploymentEvent.Decided decision = decisions.get(n);
                DeploymentEvent.Refresh done = history.refreshes().get(n);
                assertFalse(decision.reason().isBlank(), decision.toString());
                assertEquals(decision.check(), done.check(), "a refresh carries out the decision of its check");
                assertEquals(decision.refresh().devices(), done.devices());
                assertTrue(done.devices() > 0 && done.devices() <= Math.ceil(0.005 * DEVICES),
                        "at most a refresh's share of the month's devices: " + done);
            }
            assertTrue(history.refreshes().stream().mapToLong(DeploymentEvent.Refresh::devices).sum() <= 0.01 * DEVICES,
                    "within the month's device budget: " + history.refreshes());
            assertTrue(refreshed.refreshPulses() <= PULSES_PER_MONTH, "within the month's pulses: " + refreshed);
            assertEquals(history.refreshes().stream().mapToLong(DeploymentEvent.Refresh::pulses).sum(),
                    refreshed.refreshPulses());
            // 1,200 training images keep their last 200 for validation; the test file has 600, as many as asked for
            int validation = org.rramlab.learning.data.Splits.validationSize(1200);
            assertTrue(history.checks().stream().allMatch(c -> c.images() == validation),
                    "every check classified the validation images, never the test images: " + history.checks());
            assertTrue(history.checks().stream().anyMatch(c -> c.trigger() == Trigger.REFRESH),
                    "the devices are read back right after: " + history.checks());

            // only the chosen cells were written: one programming per array and refresh, one sequence per cell
            Map<String, Map<Integer, Integer>> writes = new HashMap<>();
            Map<String, Map<Integer, Float>> targets = new HashMap<>();
            for (DeploymentEvent.Decided decision : decisions) {
                for (RefreshPlan.Cells cells : decision.refresh().arrays()) {
                    for (int k = 0; k < cells.cells().length; k++) {
                        writes.computeIfAbsent(cells.arrayId(), a -> new HashMap<>()).merge(cells.cells()[k], 1, Integer::sum);
                        targets.computeIfAbsent(cells.arrayId(), a -> new HashMap<>()).put(cells.cells()[k], cells.targets()[k]);
                    }
                }
            }
            Map<String, Frame> after = frames(lab);
            long reached = 0;
            long outOfTolerance = history.refreshes().stream().mapToLong(DeploymentEvent.Refresh::outOfTolerance).sum();
            for (String array : List.of("r-0", "r-1")) {
                Map<Integer, Integer> chosen = writes.getOrDefault(array, Map.of());
                assertEquals(programmed.get(array) + chosen.values().stream().mapToLong(Integer::longValue).sum(),
                        programmings(lab, array), "array " + array + " was written at its chosen cells only");
                float[] b = before.get(array).conductances();
                float[] a = after.get(array).conductances();
                for (int i = 0; i < a.length; i++) {
                    Float target = targets.getOrDefault(array, Map.of()).get(i);
                    if (target == null) {
                        assertTrue(Math.abs(a[i] - b[i]) <= 0.1 * b[i], "cell " + i + " of " + array
                                + " was not chosen and must not change: " + b[i] + " -> " + a[i]);
                    } else if (Math.abs(a[i] - target) <= 0.15 * target) {
                        // write-verify's tolerance is 10 %, read noise 1 %; a stuck device does not move
                        reached++;
                    }
                }
            }
            long devices = writes.values().stream().mapToLong(Map::size).sum();
            assertTrue(devices > 0, "some devices were written");
            assertTrue(reached >= devices - outOfTolerance - 1, "the cells write-verify brought within tolerance read"
                    + " at their targets: " + reached + " of " + devices + ", " + outOfTolerance + " out of tolerance");
            assertEquals(devices, refreshed.refreshedDevices(), "each device counted once however often written");
            assertEquals(writes.values().stream().flatMap(c -> c.values().stream()).mapToLong(Integer::longValue).sum(),
                    refreshed.refreshWrites());
            assertEquals(writes.values().stream().flatMap(c -> c.values().stream()).mapToInt(Integer::intValue).max()
                    .orElse(0), refreshed.maxRefreshWrites());
            System.out.printf("refresh: %d refreshes, %d devices (%d reached their targets, %d out of tolerance), %d pulses%n",
                    refreshed.refreshes(), devices, reached, outOfTolerance, refreshed.refreshPulses());
        }

        try (LabFixture lab = LabFixture.start(dataDir, null, BUDGETS, Duration.ofSeconds(30))) {
            OsaSupervisor.Deployments deployments = lab.node.pipeline().join().deployments();
            DeploymentStatus resumed = await(lab, deployments, "r", "recovered", s -> true);
            assertEquals(refreshed.refreshes(), resumed.refreshes(), "the refreshes survive a restart");
            assertEquals(refreshed.refreshedDevices(), resumed.refreshedDevices());
            assertEquals(refreshed.refreshWrites(), resumed.refreshWrites());
            assertEquals(refreshed.refreshPulses(), resumed.refreshPulses());
            assertEquals(refreshed.refreshWriteHistogram(), resumed.refreshWriteHistogram());
            OsaSupervisorTest.<DeploymentStatus>ask(lab, deployments, "r", reply -> new OsaSupervisor.Stop("test over", reply));
        }
    }

    /**
     * The node stops without a clean stop as soon as a refresh is decided (most often while its
     * devices are written): after the restart the refresh is carried out, and no device is written twice.
     */
    @Test
    void aRefreshCutShortByANodeStopIsCarriedOutOnceAfterTheRestart() throws Exception {
        OsaSupervisorTest.saveTiny(dataDir);
        Map<String, Long> programmed;
        boolean cutShort;
        try (LabFixture lab = LabFixture.start(dataDir, null, OsaSupervisorTest.with(OsaSupervisorTest.SKIP_HAND_OFF,
                BUDGETS), Duration.ofSeconds(30))) {
            OsaSupervisor.Deployments deployments = lab.node.pipeline().join().deployments();
            OsaSupervisorTest.<DeploymentStatus>ask(lab, deployments, "r", reply -> new OsaSupervisor.Start(spec(), reply));
            await(lab, deployments, "r", "the first check", s -> s.checks() >= 1);
            for (String array : List.of("r-0", "r-1")) {
                lab.<ArraySummary>ask(array, reply -> new ArrayActor.AdvanceClockTo(3e8, reply));
            }
            programmed = Map.of("r-0", programmings(lab, "r-0"), "r-1", programmings(lab, "r-1"));
            OsaSupervisorTest.<DeploymentStatus>ask(lab, deployments, "r", reply -> new OsaSupervisor.CheckNow(false, reply));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            OsaSupervisor.History h;
            do {
                h = ask(lab, deployments, "r", OsaSupervisor.GetHistory::new);
            } while (h.decisions().stream().noneMatch(d -> d.action() == DriftAction.REFRESH) && System.nanoTime() < deadline);
            assertTrue(h.decisions().stream().anyMatch(d -> d.action() == DriftAction.REFRESH), "a refresh was decided");
            cutShort = h.refreshes().isEmpty();
        }
        try (LabFixture lab = LabFixture.start(dataDir, null, BUDGETS, Duration.ofSeconds(30))) {
            OsaSupervisor.Deployments deployments = lab.node.pipeline().join().deployments();
            await(lab, deployments, "r", "the refreshes carried out after the restart", s -> {
                OsaSupervisor.History h = ask(lab, deployments, "r", OsaSupervisor.GetHistory::new);
                return !h.refreshes().isEmpty() && h.decisions().get(h.decisions().size() - 1).action() != DriftAction.REFRESH;
            });
            OsaSupervisor.History history = ask(lab, deployments, "r", OsaSupervisor.GetHistory::new);
            List<DeploymentEvent.Decided> decided = history.decisions().stream()
                    .filter(d -> d.action() == DriftAction.REFRESH).toList();
            assertEquals(decided.size(), history.refreshes().size(), "each refresh decided was carried out once");
            for (String array : List.of("r-0", "r-1")) {
                long cells = decided.stream().flatMap(d -> d.refresh().arrays().stream())
                        .filter(c -> c.arrayId().equals(array)).mapToLong(c -> c.cells().length).sum();
                assertEquals(programmed.get(array) + cells, programmings(lab, array),
                        "array " + array + ": each chosen cell written once, none twice across the restart");
            }
            DeploymentStatus status = ask(lab, deployments, "r", OsaSupervisor.GetStatus::new);
            assertEquals(decided.stream().mapToLong(d -> d.refresh().devices()).sum(), status.refreshWrites());
            System.out.printf("refresh across a restart: %s, %d refreshes, %d writes%n",
                    cutShort ? "the node stopped before the refresh was recorded" : "the refresh was recorded first",
                    status.refreshes(), status.refreshWrites());
        }
    }

    static Map<String, Frame> frames(LabFixture lab) {
        Map<String, Frame> out = new HashMap<>();
        for (String array : List.of("r-0", "r-1")) {
            out.put(array, lab.<ArrayActor.ReadDone>ask(array, reply -> new ArrayActor.Read(ARRAY, null, reply)).frame());
        }
        return out;
    }
}
