package org.rramlab.learning.drift;

import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rramlab.device.RramArray;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.learning.area.AreaModel;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.hil.MeasuredWeights;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MeasuredConductances;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.Torch;
import org.rramlab.learning.osa.Importance;
import org.rramlab.learning.osa.Offsets;
import org.rramlab.learning.osa.OsaConfig;
import org.rramlab.learning.osa.OsaResult;
import org.rramlab.learning.osa.OsaRound;
import org.rramlab.learning.osa.Placement;
import org.rramlab.learning.osa.SramBranch;

/**
 * One policy's deployment in the drift benchmark: its chips (the same seeds for every policy), its
 * SRAM, its gains and its counts; {@link #run()} programs it, checks it at every cadence of array
 * days and returns its part of the benchmark's JSON.
 */
final class DriftDeployment {
    private static final double DAY = 86_400;

    private final DriftBenchOptions o;
    private final PrintStream log;
    private final AreaModel area;
    private final DriftBench.Setup s;
    private final String policy;
    private final Map<String, RramArray> arrays = new LinkedHashMap<>();
    private final List<Map<String, Object>> timeline = new ArrayList<>();
    private final List<Double> roundSeconds = new ArrayList<>();
    private final List<Double> decisionSeconds = new ArrayList<>();
    /** Seconds of the slowest decision by part: evaluation, importance, refresh, round. */
    private final Map<String, Double> parts = new LinkedHashMap<>();
    private Map<String, Double> slowestParts = Map.of();
    private double slowest;
    /** Per layer, per weight: refreshed at least once (its drift runs on a younger clock). */
    private final List<boolean[]> refreshed = new ArrayList<>();
    /** Per layer, per weight: a refresh left it out of tolerance (stuck): not chosen again. */
    private final List<boolean[]> unverified = new ArrayList<>();
    /** Per layer, per weight, with partner writes: which device is stuck (1 G+, 2 G-, 3 both: not chosen again). */
    private final List<byte[]> stuck = new ArrayList<>();
    private final List<Double> deploymentSeconds = new ArrayList<>();
    private ProgrammingRepair.Outcome repair = ProgrammingRepair.Outcome.NONE;
    private int partnerWrites;
    private int chosenWrites;
    private int unverifiedCount;
    private int refreshes;
    private final Map<String, Integer> actions = new LinkedHashMap<>();
    private final int[][] writes;
    private final double sramFraction;
    private final DriftPolicy rules;
    private SramBranch branch;
    private ColumnGains gains;
    private double reference = Double.NaN;
    private double recovered = 0.5;
    private int recoveries;
    private long pulses;
    private long refreshWrites;
    private double clock;
    private final List<double[]> monthWrites = new ArrayList<>();

    DriftDeployment(DriftBenchOptions options, DriftBench.Setup s, String policy, AreaModel area, PrintStream log) {
        this.o = options;
        this.log = log;
        this.area = area;
        this.s = s;
        this.policy = policy;
        this.rules = o.rules();
        this.writes = new int[s.mapping().layers().size()][];
        for (int l = 0; l < writes.length; l++) {
            writes[l] = new int[2 * s.mapping().layers().get(l).weights()];
            refreshed.add(new boolean[s.mapping().layers().get(l).weights()]);
            unverified.add(new boolean[s.mapping().layers().get(l).weights()]);
            stuck.add(new byte[s.mapping().layers().get(l).weights()]);
        }
        gains = ColumnGains.identity(s.mapping(), perColumn(), o.gainBits(), o.gainFractionBits());
        double compensation = compensates() ? compensationCost() : 0;
        sramFraction = "none".equals(policy) ? 0 : area.fractionForMacroCost(s.mapping().weightCount(), o.areaBudget() - compensation);
    }

    /** Every policy but none and osa compensates: comp (gains only), replace (+ re-placement), full (+ refresh). */
    private boolean compensates() {
        return !"none".equals(policy) && !"osa".equals(policy);
    }

    private boolean perColumn() {
        return o.levers().columnGains() && !"full-layer".equals(policy);
    }

    private double compensationCost() {
        return area.compensationCost(s.mapping().weightCount(), gains.registers(), o.gainBits(),
                s.mapping().arrayIds().size());
    }

    Map<String, Object> run() {
        long seed = o.chipSeed() != 0 ? o.chipSeed() : o.seed() * 7919;
        int a = 0;
        for (String id : s.mapping().arrayIds()) {
            arrays.put(id, new SimulatedArray(id, s.preset(), s.mapping().config().arrayRows(),
                    s.mapping().config().arrayCols(), seed * 1000 + a++));
        }
        try {
            Mapper.program(s.mapping(), arrays).toCompletableFuture().join();
            if (compensates() && o.levers().deployRepair() > 0) {
                long t = System.nanoTime();
                repair = ProgrammingRepair.run(s.mapping(), arrays, s.net(), s.calibration(), o.levers().deployRepair());
                deploymentSeconds.add((System.nanoTime() - t) / 1e9);
                // its writes count in the first month's refresh budget, as in the supervisor
                monthWrites.add(new double[] {0, repair.weights() + repair.partners()});
                say("%-4s deployment: write-verify of %d weights and %d partner devices, %d pulses", policy,
                        repair.weights(), repair.partners(), repair.pulses());
            }
            for (double day = 0; day <= o.days() + 1e-9; day += o.cadenceDays()) {
                check(day);
            }
        } finally {
            arrays.values().forEach(RramArray::close);
        }
        return result();
    }

    private void check(double day) {
        advanceTo(day * DAY);
        MeasuredConductances read = read();
        List<float[]> measured = read.effectiveWeights(s.mapping());
        parts.clear();
        long t0 = System.nanoTime();
        List<float[]> effective = switch (policy) {
            case "none" -> measured;
            case "osa" -> osa(measured);
            default -> full(day, measured, read);
        };
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (timeline.isEmpty()) {
            // deployment (the first round) is not a check's decision: its time is reported apart
            deploymentSeconds.add(seconds);
        } else if (!"none".equals(policy)) {
            decisionSeconds.add(seconds);
            if (seconds > slowest) {
                slowest = seconds;
                slowestParts = new LinkedHashMap<>(parts);
                slowestParts.put("day", day);
            }
        }
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("day", day);
        point.put("validation_accuracy", accuracy(effective, s.validation()));
        point.put("accuracy", accuracy(effective, s.test()));
        point.put("raw_accuracy", rawAccuracy(measured, s.test()));
        timeline.add(point);
        say("%-4s day %5.1f: validation %.2f %%, test %.2f %% (raw %.2f %%)%s", policy, day,
                100 * (double) point.get("validation_accuracy"), 100 * (double) point.get("accuracy"),
                100 * (double) point.get("raw_accuracy"), "none".equals(policy) ? ""
                        : String.format(Locale.ROOT, ", %s %.2f s %s", timeline.size() == 1 ? "deployment" : "decision",
                        seconds, seconds(parts)));
    }

    private String seconds(Map<String, Double> parts) {
        StringBuilder b = new StringBuilder("(");
        parts.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k)
                .append(String.format(Locale.ROOT, " %.2f", v)));
        return b.append(")").toString();
    }

    private void lap(String part, long t0) {
        parts.merge(part, (System.nanoTime() - t0) / 1e9, Double::sum);
    }

    private ColumnGains estimate(List<float[]> measured) {
        return ColumnGains.estimate(s.mapping(), measured, perColumn(), o.gainBits(), o.gainFractionBits(),
                o.levers().gainsSkipRefreshed() ? refreshed : null);
    }

    private double validation(List<float[]> weights) {
        long t = System.nanoTime();
        double a = accuracy(weights, s.validation());
        lap("evaluate", t);
        return a;
    }

    /** Today's supervisor: a round at deployment, a refining round when accuracy fell past the threshold. */
    private List<float[]> osa(List<float[]> measured) {
        if (branch == null) {
            OsaResult r = round(measured, null, 1, null);
            branch = r.branch();
            reference = r.accuracy();
            return branch.addTo(measured);
        }
        double now = validation(branch.addTo(measured));
        if (100 * (reference - now) > o.osaThresholdPoints()) {
            OsaResult r = round(measured, branch, roundSeconds.size() + 1, null);
            if (r.accuracy() > now) {
                branch = r.branch();
            }
            reference = Math.max(r.accuracy(), now);
        }
        return branch.addTo(measured);
    }

    private List<float[]> full(double day, List<float[]> measured, MeasuredConductances read) {
        ColumnGains fresh = estimate(measured);
        List<float[]> compensated = fresh.apply(s.mapping(), measured);
        if (branch == null) {
            gains = fresh;
            OsaResult r = round(compensated, null, 1, null);
            branch = r.branch();
            reference = r.accuracy();
            decided(day, new DriftDecision(DriftAction.REPLACE, "deployed: gains from the first reads, SRAM placed"
                    + " by importance", 0, 0));
            return branch.addTo(compensated);
        }
        double recompensated = validation(branch.addTo(compensated));
        double gap = 100 * (reference - recompensated);
        // the old gains' accuracy matters only when nothing else is worth doing: measured then, not always
        double stale = gap <= rules.thresholdPoints() ? validation(branch.addTo(gains.apply(s.mapping(), measured)))
                : Double.NaN;
        double refreshShare = 0;
        double budgetShare = 0;
        double overlap = 1;
        List<SelectiveRefresh.Device> candidates = List.of();
        Importance importance = null;
        boolean mayReplace = !"comp".equals(policy);
        boolean mayRefresh = policy.startsWith("full");
        if (gap > rules.thresholdPoints() && (mayReplace || mayRefresh)) {
            // one importance for the refresh choice, the overlap and a re-placement round
            long t = System.nanoTime();
            importance = Importance.compute(s.net(), compensated, s.calibration(), 256);
            lap("importance", t);
            List<float[]> imp = importance.meanAbsGradient();
            if (mayRefresh) {
                int budget = refreshBudget(day);
                // the SRAM corrects its own positions, and a stuck device cannot be refreshed: the rest
                List<float[]> elsewhere = refreshable(imp);
                candidates = SelectiveRefresh.choose(s.mapping(), compensated, elsewhere, budget);
                refreshShare = share(candidates, compensated, elsewhere);
                budgetShare = budget == 0 ? 0 : (double) budget / monthlyBudget();
            }
            if (mayReplace) {
                overlap = overlap(compensated, imp);
            }
        }
        DriftDecision d = rules.decide(new DriftPolicy.Observation(reference, stale, recompensated,
                refreshShare, budgetShare, overlap, recovered));
        if (Double.isNaN(stale) && (d.action() == DriftAction.NOTHING || d.action() == DriftAction.RECOMPENSATE)) {
            stale = validation(branch.addTo(gains.apply(s.mapping(), measured)));
            d = rules.decide(new DriftPolicy.Observation(reference, stale, recompensated, refreshShare, budgetShare,
                    overlap, recovered));
        }
        decided(day, d);
        if (d.action() == DriftAction.NOTHING) {
            return branch.addTo(gains.apply(s.mapping(), measured));
        }
        gains = fresh;
        if (d.action() == DriftAction.RECOMPENSATE) {
            return branch.addTo(compensated);
        }
        double before = recompensated;
        // what the round trains on; the check reports what the arrays hold (compensated)
        List<float[]> trainOn = compensated;
        if (d.action() == DriftAction.REFRESH) {
            long t = System.nanoTime();
            RefreshForecast forecast = RefreshForecast.of(s.preset(), clock, o.cadenceDays() * DAY,
                    o.levers().horizonDays() * DAY);
            SelectiveRefresh.Result r = SelectiveRefresh.apply(s.mapping(), arrays, read, gains,
                    onWorkingSide(candidates), forecast).toCompletableFuture().join();
            refreshes++;
            chosenWrites += r.devices().size();
            count(day, r);
            MeasuredConductances after = read();
            if (o.levers().partnerWrites() && !r.unverified().isEmpty()) {
                List<SelectiveRefresh.Device> partners = partners(r.unverified(), after, day);
                if (!partners.isEmpty()) {
                    SelectiveRefresh.Result p = SelectiveRefresh.apply(s.mapping(), arrays, after, gains, partners,
                            forecast).toCompletableFuture().join();
                    count(day, p);
                    partnerWrites += partners.size();
                    after = read();
                }
            }
            measured = after.effectiveWeights(s.mapping());
            gains = estimate(measured);
            compensated = gains.apply(s.mapping(), measured);
            if (o.levers().horizonDays() > 0) {
                // programmed ahead of their drift, the refreshed devices read high now: the round after the
                // refresh trains on them as the forecast expects them at the coming checks, at their targets
                trainOn = expected(compensated, r);
            } else {
                trainOn = compensated;
            }
            lap("refresh", t);
            before = validation(branch.addTo(trainOn));
        }
        OsaResult r = round(trainOn, d.action() == DriftAction.REPLACE ? null : branch, roundSeconds.size() + 1,
                d.action() == DriftAction.REPLACE ? importance : null);
        if (r.accuracy() > before) {
            branch = r.branch();
        }
        double after = Math.max(r.accuracy(), before);
        if (gap > 0) {
            recovered = (recovered * (recoveries + 1) + Math.min(1, Math.max(0, 100 * (after - recompensated) / gap)))
                    / (recoveries + 2);
            recoveries++;
        }
        reference = Math.max(reference, after);
        return branch.addTo(compensated);
    }

    private List<float[]> expected(List<float[]> compensated, SelectiveRefresh.Result r) {
        List<float[]> out = new ArrayList<>();
        compensated.forEach(w -> out.add(w.clone()));
        List<float[]> targets = s.mapping().targetWeights();
        for (SelectiveRefresh.Device d : r.devices()) {
            if (!r.unverified().contains(d)) {
                out.get(d.layer())[d.weight()] = targets.get(d.layer())[d.weight()];
            }
        }
        return out;
    }

    /**
     * Importance where a refresh may act: zero at the SRAM positions and at devices that did not verify
     * (with partner writes: at weights whose two devices did not).
     */
    private List<float[]> refreshable(List<float[]> importance) {
        List<float[]> out = withoutSram(importance);
        if (o.levers().skipUnverified() || o.levers().partnerWrites()) {
            for (int l = 0; l < out.size(); l++) {
                float[] imp = out.get(l);
                for (int i = 0; i < imp.length; i++) {
                    if (o.levers().partnerWrites() ? stuck.get(l)[i] == 3 : unverified.get(l)[i]) {
                        imp[i] = 0;
                    }
                }
            }
        }
        return out;
    }

    /** The chosen devices, each moved to the other device of its pair where its own is known to be stuck. */
    private List<SelectiveRefresh.Device> onWorkingSide(List<SelectiveRefresh.Device> chosen) {
        if (!o.levers().partnerWrites()) {
            return chosen;
        }
        return chosen.stream().map(d -> (stuck.get(d.layer())[d.weight()] & side(d)) != 0
                ? new SelectiveRefresh.Device(d.layer(), d.weight(), !d.plus(), d.score()) : d).toList();
    }

    private static byte side(SelectiveRefresh.Device d) {
        return (byte) (d.plus() ? 1 : 2);
    }

    /**
     * The partners of devices a refresh left out of tolerance, for the weights still more than half a level
     * off (as {@link ProgrammingRepair} does after programming), within what the month's budget leaves.
     */
    private List<SelectiveRefresh.Device> partners(List<SelectiveRefresh.Device> unverifiedNow, MeasuredConductances after,
                                                   double day) {
        List<SelectiveRefresh.Device> pairsLeft = unverifiedNow.stream()
                .filter(d -> stuck.get(d.layer())[d.weight()] != 3).toList();
        return ProgrammingRepair.partnersStillOff(s.mapping(), gains.apply(s.mapping(), after.effectiveWeights(s.mapping())),
                pairsLeft, refreshBudget(day, false));
    }

    private List<float[]> withoutSram(List<float[]> importance) {
        return branch.zeroAtPositions(importance);
    }

    private void decided(double day, DriftDecision d) {
        actions.merge(d.action().id(), 1, Integer::sum);
        say("     day %5.1f: %s (%s)", day, d.action().id(), d.reason());
    }

    /** A round: new positions (previous null; with {@code importance} when known) or the previous ones refined. */
    private OsaResult round(List<float[]> measured, SramBranch previous, int number, Importance importance) {
        int epochs = branch == null && o.levers().deployEpochs() > 0 ? o.levers().deployEpochs() : o.osaEpochs();
        OsaConfig cfg = new OsaConfig(sramFraction, Placement.MEASURED, 8, epochs, 64,
                previous == null ? 1e-3 : 3e-4, o.seed() + number, 0.5, 2.0);
        long t0 = System.nanoTime();
        cfg = cfg.withOffsets(compensates() && o.levers().offsets());
        OsaResult r = previous == null
                ? OsaRound.run(s.net(), measured, s.calibration(), s.teacherLogits(), s.validation(), cfg, importance,
                        null, branch, e -> { })
                : OsaRound.refine(s.net(), measured, s.calibration(), s.teacherLogits(), s.validation(), cfg, previous,
                        e -> { });
        roundSeconds.add((System.nanoTime() - t0) / 1e9);
        lap("round", t0);
        return r;
    }

    /** Devices a refresh may write now: the month's budget less what the last 30 days wrote. */
    private int refreshBudget(double day) {
        return refreshBudget(day, true);
    }

    /**
     * As above; {@code perCheck}: no more than a check's share of it either, less the partner writes it is
     * expected to bring (as many per chosen device as so far), so that they fit in the share too.
     */
    private int refreshBudget(double day, boolean perCheck) {
        double used = monthWrites.stream().filter(w -> w[0] > day - 30).mapToDouble(w -> w[1]).sum();
        double partnersPerDevice = chosenWrites == 0 ? 0 : partnerWrites / (double) chosenWrites;
        double share = monthlyBudget() * Math.min(1, o.cadenceDays() / 30.0) * o.levers().refreshBurst()
                / (1 + partnersPerDevice);
        double left = Math.floor(monthlyBudget() - used);
        return (int) Math.max(0, perCheck ? Math.min(Math.ceil(share), left) : left);
    }

    private double monthlyBudget() {
        return o.refreshPerMonth() * s.mapping().deviceCount();
    }

    private void count(double day, SelectiveRefresh.Result r) {
        for (SelectiveRefresh.Device d : r.devices()) {
            writes[d.layer()][2 * d.weight() + (d.plus() ? 0 : 1)]++;
        }
        pulses += r.pulses();
        refreshWrites += r.devices().size();
        for (SelectiveRefresh.Device d : r.devices()) {
            refreshed.get(d.layer())[d.weight()] = true;
        }
        for (SelectiveRefresh.Device d : r.unverified()) {
            unverified.get(d.layer())[d.weight()] = true;
            stuck.get(d.layer())[d.weight()] |= side(d);
            unverifiedCount++;
        }
        monthWrites.add(new double[] {day, r.devices().size()});
    }

    private double share(List<SelectiveRefresh.Device> chosen, List<float[]> corrected, List<float[]> importance) {
        List<float[]> targets = s.mapping().targetWeights();
        double total = 0;
        for (int l = 0; l < targets.size(); l++) {
            for (int i = 0; i < targets.get(l).length; i++) {
                total += importance.get(l)[i] * Math.abs(corrected.get(l)[i] - targets.get(l)[i]);
            }
        }
        double picked = chosen.stream().mapToDouble(SelectiveRefresh.Device::score).sum();
        return total == 0 ? 0 : picked / total;
    }

    /**
     * Share of the costliest errors of the RRAM (compensated, without SRAM; as many positions as
     * the SRAM holds) that are SRAM positions already: low when the error map has moved.
     */
    private double overlap(List<float[]> corrected, List<float[]> importance) {
        List<float[]> intended = new ArrayList<>();
        for (int l = 0; l < corrected.size(); l++) {
            intended.add(s.net().weightValues(l));
        }
        int k = (int) branch.count();
        List<SelectiveRefresh.Device> costliest = new ArrayList<>();
        for (int l = 0; l < corrected.size(); l++) {
            for (int i = 0; i < corrected.get(l).length; i++) {
                costliest.add(new SelectiveRefresh.Device(l, i, true,
                        importance.get(l)[i] * Math.abs(corrected.get(l)[i] - intended.get(l)[i])));
            }
        }
        costliest.sort((x, y) -> Double.compare(y.score(), x.score()));
        int hits = 0;
        for (SelectiveRefresh.Device d : costliest.subList(0, Math.min(k, costliest.size()))) {
            SramBranch.Layer layer = branch.layer(d.layer());
            if (layer != null && Arrays.binarySearch(sorted(layer.positions()), d.weight()) >= 0) {
                hits++;
            }
        }
        return k == 0 ? 1 : (double) hits / k;
    }

    private final Map<int[], int[]> sortedCache = new java.util.IdentityHashMap<>();

    private int[] sorted(int[] positions) {
        return sortedCache.computeIfAbsent(positions, p -> {
            int[] c = p.clone();
            Arrays.sort(c);
            return c;
        });
    }

    private void advanceTo(double seconds) {
        double step = seconds - clock;
        if (step > 0) {
            arrays.values().forEach(a -> a.advanceClock(step).toCompletableFuture().join());
            clock = seconds;
        }
    }

    private MeasuredConductances read() {
        return Mapper.read(s.mapping(), arrays).toCompletableFuture().join();
    }

    /** Accuracy with {@code weights} and the current branch's digital offsets, if it has any. */
    private double accuracy(List<float[]> weights, Dataset data) {
        return accuracy(weights, data, true);
    }

    /** The RRAM alone: the weights as read, the software biases. */
    private double rawAccuracy(List<float[]> weights, Dataset data) {
        return accuracy(weights, data, false);
    }

    private double accuracy(List<float[]> weights, Dataset data, boolean offsets) {
        try (MeasuredWeights source = new MeasuredWeights(s.net(), weights)) {
            if (!offsets || branch == null || !branch.hasOffsets()) {
                return Evaluator.accuracy(s.net(), data, source);
            }
            try (NDManager manager = Torch.newManager()) {
                return Evaluator.accuracy(s.net(), data, source, null, Offsets.of(branch, manager));
            }
        }
    }

    private Map<String, Object> result() {
        Map<String, Object> r = new LinkedHashMap<>();
        double[] acc = timeline.stream().mapToDouble(p -> (double) p.get("accuracy")).toArray();
        r.put("policy", policy);
        r.put("timeline", timeline);
        r.put("final_accuracy", acc[acc.length - 1]);
        r.put("min_accuracy", Arrays.stream(acc).min().orElse(Double.NaN));
        r.put("max_gap_points", 100 * (s.software() - Arrays.stream(acc).min().orElse(Double.NaN)));
        double[] val = timeline.stream().mapToDouble(p -> (double) p.get("validation_accuracy")).toArray();
        r.put("final_validation_accuracy", val[val.length - 1]);
        r.put("max_gap_points_validation", 100 * (s.softwareValidation() - Arrays.stream(val).min().orElse(Double.NaN)));
        r.put("area_under_gap_point_days", gapArea(acc));
        double sramWeights = branch == null ? 0 : branch.count();
        double cost = area.report(s.mapping().weightCount(), (long) sramWeights).macroCost()
                + (compensates() ? compensationCost() : 0);
        r.put("area_cost", cost);
        double months = Math.max(o.days(), 1) / 30.0;
        r.put("refreshed_fraction", refreshWrites / (double) s.mapping().deviceCount() / months);
        r.put("max_month_write_share", maxMonthWrites() / s.mapping().deviceCount());
        r.put("pulses", pulses);
        r.put("rounds", roundSeconds.size());
        r.put("round_seconds_p50", median(roundSeconds));
        r.put("decision_seconds_p50", median(decisionSeconds));
        r.put("deployment_seconds", deploymentSeconds.stream().mapToDouble(Double::doubleValue).sum());
        r.put("deployment_repair", Map.of("weights", repair.weights(), "partner_devices", repair.partners(),
                "pulses", repair.pulses(), "device_share", (repair.weights() + repair.partners())
                        / (double) s.mapping().deviceCount()));
        r.put("partner_writes", partnerWrites);
        r.put("decision_seconds_max", decisionSeconds.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        r.put("slowest_decision", slowestParts);
        r.put("refreshes", refreshes);
        r.put("unverified_devices", unverifiedCount);
        r.put("actions", actions);
        say("%-4s: final %.2f %%, min %.2f %%, largest gap %.2f points, area %.2f %%, refreshed %.2f %%/month,"
                        + " %d pulses, %d rounds (median %.2f s), decisions: %s, slowest decision %.2f s %s", policy,
                100 * (double) r.get("final_accuracy"), 100 * (double) r.get("min_accuracy"),
                (double) r.get("max_gap_points"), 100 * cost, 100 * (double) r.get("refreshed_fraction"), pulses,
                roundSeconds.size(), median(roundSeconds), actions,
                decisionSeconds.stream().mapToDouble(Double::doubleValue).max().orElse(0), seconds(slowestParts));
        say("%-4s: validation final %.2f %%, largest gap %.2f points (software %.2f %%); decision p50 %.2f s",
                policy, 100 * (double) r.get("final_validation_accuracy"), (double) r.get("max_gap_points_validation"),
                100 * s.softwareValidation(), median(decisionSeconds));
        return r;
    }

    /** The most devices written (refreshes and the repair at deployment) in any 30 days up to a check. */
    private double maxMonthWrites() {
        double most = 0;
        for (Map<String, Object> point : timeline) {
            double day = (double) point.get("day");
            most = Math.max(most, monthWrites.stream().filter(w -> w[0] > day - 30 && w[0] <= day)
                    .mapToDouble(w -> w[1]).sum());
        }
        return most;
    }

    /** Point-days under software accuracy (test), by the trapezoid rule over the checks. */
    private double gapArea(double[] acc) {
        double area = 0;
        for (int i = 1; i < acc.length; i++) {
            double d0 = (double) timeline.get(i - 1).get("day");
            double d1 = (double) timeline.get(i).get("day");
            area += 0.5 * (d1 - d0) * 100 * ((s.software() - acc[i - 1]) + (s.software() - acc[i]));
        }
        return area;
    }

    private static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return 0;
        }
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }

    private void say(String format, Object... args) {
        log.printf(Locale.ROOT, format + "%n", args);
    }
}
