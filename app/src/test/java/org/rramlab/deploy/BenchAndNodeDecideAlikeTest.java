package org.rramlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rramlab.deploy.OsaSupervisorTest.ask;
import static org.rramlab.deploy.OsaSupervisorTest.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySpec;
import org.rramlab.array.ArraySummary;
import org.rramlab.array.LabFixture;
import org.rramlab.device.DevicePreset;
import org.rramlab.learning.drift.DriftAction;
import org.rramlab.learning.drift.DriftBenchOptions;
import org.rramlab.learning.drift.DriftDecision;
import org.rramlab.learning.drift.FullPolicy;
import org.rramlab.learning.drift.Supervision;

/**
 * The live supervisor on a node and {@code bench drift}'s {@code full} policy take the same decisions. A small
 * network is deployed on a node with its default settings (simulated arrays of the power-law preset, chips
 * from seed 11), the arrays' clocks are moved to array days 1 ... 3,000 and a check is asked at each. The node's
 * journaled checks are then replayed through the bench's policy ({@link FullPolicy}, with the bench's default
 * rules and budgets): fed what each check measured (accuracy with the gains in place and with fresh gains, the
 * round's result), the bench must choose the same action at every check, on the same array day, and a refresh of
 * as many devices.
 *
 * <p>Why a replay and not a second run: what a check measures cannot be the same in both. Each read of a
 * simulated device draws its noise from the device's read count, and the bench reads the arrays for its
 * timeline (a fresh read every day and before and after each check) where the node reads once per check; the node
 * reads its arrays through their actors while it runs. What must be equal, and is asserted, is everything the two
 * decide by: the rules, thresholds and costs, the state the decisions leave (reference, rounds, pending work), the
 * repair after programming, the month's write budget, steady batches and read-back checks.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class BenchAndNodeDecideAlikeTest {
    /** Array days of the checks: the first days (fastest drift), then months, then years. */
    static final double[] DAYS = {1, 3, 6, 9, 12, 15, 30, 45, 60, 90, 180, 365, 730, 1500, 3000};
    static final String POWER_LAW = "dac2020-65nm";
    private static final Pattern OVERLAP = Pattern.compile("only (\\d+) % of the costliest positions");

    @TempDir
    Path dataDir;

    /** One decision: its action, the array day of its check and the devices a refresh writes (0: none). */
    record Step(String action, double day, int devices) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s@%.2f%s", action, day, devices > 0 ? "x" + devices : "");
        }
    }

    @Test
    void theBenchsFullPolicyDecidesAsTheLiveSupervisorDid() throws Exception {
        // bars 30 grey levels above the noise: a margin small enough for drift to cost validation images
        OsaSupervisorTest.saveTiny(dataDir, 30);
        // the node's defaults but the preset: the power law drifts this small network enough to call for rounds and
        // refreshes (the filamentary law, the node's default, costs it no validation image in a year); checks only
        // when asked (an hour of wall time between periodic ones)
        DeploymentSpec spec = new DeploymentSpec("tiny", null, null, null, POWER_LAW, 11L, 0.02, null, null, 3600.0, 600,
                400, 2, null);
        OsaSupervisor.History history;
        long weights;
        try (LabFixture lab = LabFixture.start(dataDir, null, Map.of(), Duration.ofSeconds(30))) {
            OsaSupervisor.Deployments deployments = lab.node.pipeline().join().deployments();
            DeploymentStatus created = ask(lab, deployments, "b", r -> new OsaSupervisor.Start(spec, r));
            weights = created.weights();
            await(lab, deployments, "b", "the repair and the first round", s -> s.rounds() >= 1 && idle(lab, deployments));
            // the node's default preset: a deployment's arrays take the node's preset, an array registered without one too
            assertEquals(DevicePreset.NODE_DEFAULT, lab.node.system().settings().config().getString("rramlab.statistics.preset"));
            assertEquals(DevicePreset.NODE_DEFAULT, lab.<ArraySummary>ask("plain",
                    r -> new ArrayActor.Register(ArraySpec.simulated(null, 4, 4, 1), r)).preset());
            for (String array : created.arrays()) {
                assertEquals(POWER_LAW, lab.<ArraySummary>ask(array, ArrayActor.GetState::new).preset());
            }
            for (double day : DAYS) {
                for (String array : created.arrays()) {
                    lab.<ArraySummary>ask(array, r -> new ArrayActor.AdvanceClockTo(day * 86_400, r));
                }
                int before = ask(lab, deployments, "b", OsaSupervisor.GetHistory::new).decisions().size();
                OsaSupervisorTest.<DeploymentStatus>ask(lab, deployments, "b", r -> new OsaSupervisor.CheckNow(false, r));
                await(lab, deployments, "b", "the check of day " + day + " decided and carried out",
                        s -> ask(lab, deployments, "b", OsaSupervisor.GetHistory::new).decisions().size() > before
                                && idle(lab, deployments));
            }
            history = ask(lab, deployments, "b", OsaSupervisor.GetHistory::new);
            OsaSupervisorTest.<DeploymentStatus>ask(lab, deployments, "b", r -> new OsaSupervisor.Stop("test over", r));
        }

        List<Step> node = nodeSteps(history);
        List<Step> bench = replay(history, FullPolicy.rules(DriftBenchOptions.of(dataDir, 365, true, null)), weights,
                2 * weights, DevicePreset.load(POWER_LAW).writeVerify().maxPulses());
        System.out.println("node:  " + node);
        System.out.println("bench: " + bench);
        assertEquals(node, bench, "the bench's full policy, fed what the node's checks measured, decides as the node did");
        // not vacuous: the repair (a refresh of the budget's size), the placement, a round after it, new gains and
        // checks that did nothing (a refresh after deployment is not called for here: the re-placement promised more)
        assertTrue(node.get(0).action().equals("refresh") && node.get(0).devices() > 0, "the repair first: " + node);
        assertTrue(node.stream().filter(s -> s.action().equals("osa-round") || s.action().equals("replace")).count() >= 2,
                "a round after the first placement: " + node);
        assertTrue(node.stream().anyMatch(s -> s.action().equals("recompensate")), "new gains: " + node);
        assertTrue(node.stream().anyMatch(s -> s.action().equals("nothing")), "checks that did nothing: " + node);
    }

    /** No decision waits to be carried out: every refresh decided ran and was read back, every round decided ran. */
    private static boolean idle(LabFixture lab, OsaSupervisor.Deployments deployments) {
        OsaSupervisor.History h = ask(lab, deployments, "b", OsaSupervisor.GetHistory::new);
        if (h.decisions().isEmpty()) {
            return false;
        }
        long rounds = h.decisions().stream().filter(d -> d.action() == DriftAction.OSA_ROUND
                || d.action() == DriftAction.REPLACE).count();
        long refreshes = h.decisions().stream().filter(d -> d.action() == DriftAction.REFRESH).count();
        DeploymentEvent.Decided last = h.decisions().get(h.decisions().size() - 1);
        return h.rounds().size() == rounds && h.refreshes().size() == refreshes && last.action() != DriftAction.REFRESH
                && h.checks().size() == h.decisions().size();
    }

    static List<Step> nodeSteps(OsaSupervisor.History h) {
        List<Step> steps = new ArrayList<>();
        for (DeploymentEvent.Decided d : h.decisions()) {
            steps.add(new Step(d.action().id(), d.arrayTimeSeconds() / 86_400, d.refresh() == null ? 0 : d.refresh().devices()));
        }
        return steps;
    }

    /**
     * The node's checks through the bench's full policy. A check's observation is what the node measured; the
     * refresh the bench plans has the devices its own budget allows (the share of the weighted error is the
     * node's, measured on its arrays); a round keeps what the node's round reached, kept or not by the bench's
     * rule. The node journals a refresh plan only when it chose the refresh: a plan not chosen cannot change the
     * choice, so none is given then; the overlap is journaled in the reason of a re-placement only.
     */
    static List<Step> replay(OsaSupervisor.History h, Supervision.Rules rules, long weights, long devices,
                             int pulsesPerDevice) {
        FullPolicy bench = new FullPolicy(rules);
        List<Step> steps = new ArrayList<>();
        int round = 0;
        int refresh = 0;
        for (DeploymentEvent.Check c : h.checks()) {
            DeploymentEvent.Decided nodes = h.decisions().stream().filter(d -> d.check() == c.number()).findFirst()
                    .orElseThrow(() -> new AssertionError("check " + c.number() + " has no decision"));
            double clock = c.arrayTimeSeconds();
            double stale = c.accuracy();
            double recompensated = c.compensatedAccuracy() == null ? stale : c.compensatedAccuracy();
            boolean readBack = c.trigger() == Trigger.REFRESH;
            Supervision.PlannedRefresh plan = null;
            int planned = 0;
            if (bench.repairDue()) {
                planned = bench.repairDevices(weights, devices, pulsesPerDevice);
                plan = planned > 0 ? new Supervision.PlannedRefresh(planned, 1, 0) : null;
            } else if (bench.pastThreshold(stale, recompensated) && bench.state().rounds() > 0) {
                planned = bench.refreshDevices(clock, readBack, devices, pulsesPerDevice);
                if (planned > 0 && nodes.refresh() != null) {
                    plan = new Supervision.PlannedRefresh(planned, nodes.refresh().share(), bench.budgetShare(planned, devices));
                }
            }
            double overlap = 1;
            Matcher m = OVERLAP.matcher(nodes.reason());
            if (nodes.action() == DriftAction.REPLACE && m.find()) {
                overlap = Integer.parseInt(m.group(1)) / 100.0;
            }
            DriftDecision d = bench.decide(clock, stale, recompensated, plan, overlap, readBack);
            steps.add(new Step(d.action().id(), clock / 86_400, d.action() == DriftAction.REFRESH ? planned : 0));
            switch (d.action()) {
                case REFRESH -> {
                    if (refresh < h.refreshes().size()) {
                        DeploymentEvent.Refresh done = h.refreshes().get(refresh++);
                        bench.refreshed(clock, done.devices(), done.pulses());
                    }
                }
                case OSA_ROUND, REPLACE -> {
                    if (round < h.rounds().size()) {
                        bench.adapted(recompensated, h.rounds().get(round++).accuracyAfter(), clock);
                    }
                }
                default -> { }
            }
        }
        return steps;
    }
}
