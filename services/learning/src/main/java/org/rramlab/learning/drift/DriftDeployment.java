package org.rramlab.learning.drift;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.RramArray;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.learning.area.AreaModel;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.osa.Hardware;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MeasuredConductances;
import org.rramlab.learning.osa.Importance;
import org.rramlab.learning.osa.OsaConfig;
import org.rramlab.learning.osa.OsaResult;
import org.rramlab.learning.osa.OsaRound;
import org.rramlab.learning.osa.Placement;
import org.rramlab.learning.osa.SramBranch;

/**
 * One policy's deployment in the drift benchmark: its chips (the same seeds for every policy), its SRAM,
 * gains and counts. {@link #run()} programs it and walks its arrays' clock day by day; on a check day it
 * scores the network just before the check's action ({@code "before"}), lets the policy act on a read of its
 * own, and scores again just after ({@code "after"}); on the other days it scores once ({@code "drift"}).
 * Every score is taken on a fresh read of the arrays that nothing was decided or trained on, through the
 * column ADCs of {@code reproduce}.
 *
 * <p>Policies: {@code none} (programmed once), {@code global-comp} (one gain per layer at each check, as
 * aihwkit's global drift compensation keeps one per analog tile), {@code column-comp} (a gain per output
 * column), {@code refresh-all} (every device written again with write-verify at each check, no SRAM),
 * {@code osa} (the paper's rule: a round at deployment, a refining round when validation accuracy fell past
 * the threshold) and {@code full}, the live supervisor's rules ({@link Supervision}): gains, rounds,
 * re-placement and selective refresh within the same write budgets.
 */
final class DriftDeployment {
    private static final double DAY = 86_400;
    private static final int IMPORTANCE_BATCH = 256;

    private final DriftBenchOptions o;
    private final PrintStream log;
    private final AreaModel area;
    private final DriftBench.Setup s;
    private final String policy;
    private final Map<String, RramArray> arrays = new LinkedHashMap<>();
    private final List<Map<String, Object>> timeline = new ArrayList<>();
    private final List<Double> roundSeconds = new ArrayList<>();
    private final List<Double> decisionSeconds = new ArrayList<>();
    private final List<Double> deploymentSeconds = new ArrayList<>();
    private final Map<String, Integer> actions = new LinkedHashMap<>();
    private final List<Map<String, Object>> decisions = new ArrayList<>();
    /** Per layer, per device (2 per weight, G+ first): refresh writes, and known stuck (write-verify failed). */
    private final int[][] writes;
    private final boolean[][] stuck;
    /** (array seconds, devices, pulses) of every refresh, the repair included: the month's budget counts them. */
    private final List<double[]> refreshLog = new ArrayList<>();
    private final double sramFraction;
    /** The full policy's decisions and what it keeps between checks (the other policies only record rounds in it). */
    private final FullPolicy core;
    private SramBranch branch;
    private ColumnGains gains;
    private double osaReference = Double.NaN;
    private long pulses;
    private long deviceWrites;
    private int refreshes;
    private double clock;

    DriftDeployment(DriftBenchOptions options, DriftBench.Setup s, String policy, AreaModel area, PrintStream log) {
        this.o = options;
        this.log = log;
        this.area = area;
        this.s = s;
        this.policy = policy;
        this.writes = new int[s.mapping().layers().size()][];
        this.stuck = new boolean[writes.length][];
        for (int l = 0; l < writes.length; l++) {
            writes[l] = new int[2 * s.mapping().layers().get(l).weights()];
            stuck[l] = new boolean[writes[l].length];
        }
        this.core = new FullPolicy(FullPolicy.rules(o));
        if (compensates()) {
            gains = ColumnGains.identity(s.mapping(), perColumn(), o.gainBits(), o.gainFractionBits());
        }
        double compensation = compensates() ? compensationCost() : 0;
        sramFraction = hasSram() ? area.fractionForMacroCost(s.mapping().weightCount(), o.areaBudget() - compensation) : 0;
    }

    private boolean hasSram() {
        return policy.equals("osa") || policy.equals("full");
    }

    private boolean compensates() {
        return policy.equals("global-comp") || policy.equals("column-comp") || policy.equals("full");
    }

    /** column-comp: a gain per column; full and global-comp: one per layer (the supervisor's default). */
    private boolean perColumn() {
        return policy.equals("column-comp");
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
            if (o.temperatureKelvin() > 0) {
                arrays.values().forEach(x -> x.setTemperature(o.temperatureKelvin()).toCompletableFuture().join());
            }
            int lastDay = (int) Math.floor(o.days() + 1e-9);
            double nextCheck = 0;
            for (int day = 0; day <= lastDay; day++) {
                advanceTo(day * DAY);
                if (day + 1e-9 >= nextCheck) {
                    // before the deployment's own action the network is not deployed yet: kept, but not a drift point
                    point(day, day == 0 ? "programmed" : "before");
                    check(day);
                    point(day, "after");
                    nextCheck += o.cadenceDays();
                } else {
                    point(day, "drift");
                }
            }
        } finally {
            arrays.values().forEach(RramArray::close);
        }
        return result();
    }

    // ---- measurement: a fresh read, never decided or trained on ----

    private void point(double day, String phase) {
        MeasuredConductances read = read();
        List<float[]> measured = read.effectiveWeights(s.mapping());
        List<float[]> corrected = gains == null ? measured : gains.apply(s.mapping(), measured);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("day", day);
        p.put("phase", phase);
        p.put("accuracy", score(corrected, branch, s.test()));
        p.put("validation_accuracy", score(corrected, branch, s.validation()));
        p.put("raw_accuracy", score(measured, null, s.test()));
        timeline.add(p);
        if (!phase.equals("drift") || day % 10 == 0) {
            say("%-11s day %5.1f %-6s: test %.2f %%, validation %.2f %% (raw %.2f %%)", policy, day, phase,
                    100 * (double) p.get("accuracy"), 100 * (double) p.get("validation_accuracy"),
                    100 * (double) p.get("raw_accuracy"));
        }
    }

    /** The hardware's accuracy: RRAM weights through the column ADCs, the SRAM and offsets added behind them. */
    private double score(List<float[]> rram, SramBranch b, Dataset data) {
        return Hardware.accuracy(s.net(), data, rram, b, s.adc());
    }

    // ---- a check: the policy acts on its own read ----

    private void check(double day) {
        long t0 = System.nanoTime();
        boolean deployment = day == 0;
        switch (policy) {
            case "none" -> { }
            case "global-comp", "column-comp" -> recompensate(day);
            case "refresh-all" -> refreshAll(day);
            case "osa" -> osa(day);
            case "full" -> supervise(day, false);
            default -> throw new IllegalArgumentException("unknown policy " + policy);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (deployment) {
            deploymentSeconds.add(seconds); // programming's repair and first round: timed apart
        } else if (!policy.equals("none")) {
            decisionSeconds.add(seconds);
        }
    }

    private void recompensate(double day) {
        gains = ColumnGains.estimate(s.mapping(), read().effectiveWeights(s.mapping()), perColumn(), o.gainBits(),
                o.gainFractionBits());
        decided(day, new DriftDecision(DriftAction.RECOMPENSATE, "gains from this check's read", 0, 0));
    }

    /** Every device written again to its level with write-verify (a stuck one stays where it is). */
    private void refreshAll(double day) {
        List<ProgramResult> done = Mapper.program(s.mapping(), arrays, true).toCompletableFuture().join();
        long p = done.stream().mapToLong(ProgramResult::pulses).sum();
        pulses += p;
        deviceWrites += s.mapping().deviceCount();
        refreshes++;
        refreshLog.add(new double[] {clock, s.mapping().deviceCount(), p});
        decided(day, new DriftDecision(DriftAction.REFRESH, "every device written again with write-verify", 0, 0));
    }

    /** The paper's rule: a round at deployment, then a refining round when validation fell past the threshold. */
    private void osa(double day) {
        List<float[]> measured = read().effectiveWeights(s.mapping());
        if (branch == null) {
            round(day, measured, null, Double.NaN);
            return;
        }
        double now = score(measured, branch, s.validation());
        if (100 * (osaReference - now) > o.osaThresholdPoints()) {
            round(day, measured, branch, now);
        }
    }

    /**
     * The live supervisor's check ({@link Supervision#decide}): read, estimate gains, plan a refresh within the
     * budget when accuracy fell past the threshold, decide, act. A refresh is read back by a check of its own
     * ({@code readBack}), which plans none, as the supervisor's refresh trigger does.
     */
    private void supervise(double day, boolean readBack) {
        MeasuredConductances read = read();
        List<float[]> measured = read.effectiveWeights(s.mapping());
        ColumnGains fresh = ColumnGains.estimate(s.mapping(), measured, perColumn(), o.gainBits(), o.gainFractionBits());
        List<float[]> compensated = fresh.apply(s.mapping(), measured);
        Supervision.PlannedRefresh refresh = null;
        List<SelectiveRefresh.Device> chosen = List.of();
        double stale;
        double recompensated;
        double overlap = 1;
        Importance importance = null;
        if (core.repairDue()) {
            stale = recompensated = score(compensated, branch, s.validation());
            int devices = core.repairDevices(s.mapping().weightCount(), s.mapping().deviceCount(), pulsesPerDevice());
            List<float[]> imp = Importance.compute(s.net(), measured, s.calibration(), IMPORTANCE_BATCH).meanAbsGradient();
            chosen = choose(measured, imp, devices);
            refresh = chosen.isEmpty() ? null : new Supervision.PlannedRefresh(chosen.size(), 1, 0);
            // the repair writes raw conductances (no gains yet)
            fresh = ColumnGains.identity(s.mapping(), perColumn(), o.gainBits(), o.gainFractionBits());
        } else {
            stale = score(gains.apply(s.mapping(), measured), branch, s.validation());
            recompensated = score(compensated, branch, s.validation());
            if (core.pastThreshold(stale, recompensated) && branch != null) {
                importance = Importance.compute(s.net(), branch.addTo(compensated), s.calibration(), IMPORTANCE_BATCH);
                List<float[]> imp = importance.meanAbsGradient();
                overlap = overlap(compensated, imp);
                int budget = core.refreshDevices(clock, readBack, s.mapping().deviceCount(), pulsesPerDevice());
                if (budget > 0) {
                    List<float[]> elsewhere = branch.zeroAtPositions(imp);
                    chosen = choose(compensated, elsewhere, budget);
                    if (!chosen.isEmpty()) {
                        refresh = new Supervision.PlannedRefresh(chosen.size(), share(chosen, compensated, elsewhere),
                                core.budgetShare(chosen.size(), s.mapping().deviceCount()));
                    }
                }
            }
        }
        DriftDecision d = core.decide(clock, stale, recompensated, refresh, overlap, readBack);
        decided(day, d);
        switch (d.action()) {
            case NOTHING -> { }
            case RECOMPENSATE -> gains = fresh;
            case OSA_ROUND, REPLACE -> {
                gains = fresh;
                round(day, compensated, d.action() == DriftAction.REPLACE ? null : branch, recompensated);
            }
            case REFRESH -> {
                gains = fresh;
                refresh(read, chosen);
                supervise(day, true);
            }
        }
    }

    /** The devices of largest importance x error that the budget and endurance still allow, on the working side. */
    private List<SelectiveRefresh.Device> choose(List<float[]> compensated, List<float[]> importance, int budget) {
        if (budget <= 0) {
            return List.of();
        }
        // as many more candidates as devices that may no longer be written
        int retired = 0;
        for (int l = 0; l < writes.length; l++) {
            for (int i = 0; i < writes[l].length; i++) {
                retired += core.rules().budget().mayWrite(writes[l][i], stuck[l][i]) ? 0 : 1;
            }
        }
        return SelectiveRefresh.choose(s.mapping(), compensated, importance, budget + retired).stream()
                .filter(x -> core.rules().budget().mayWrite(writes[x.layer()][device(x)], stuck[x.layer()][device(x)]))
                .limit(budget).toList();
    }

    private static int device(SelectiveRefresh.Device d) {
        return 2 * d.weight() + (d.plus() ? 0 : 1);
    }

    private void refresh(MeasuredConductances read, List<SelectiveRefresh.Device> chosen) {
        SelectiveRefresh.Result r = SelectiveRefresh.apply(s.mapping(), arrays, read, gains, chosen)
                .toCompletableFuture().join();
        for (SelectiveRefresh.Device d : r.devices()) {
            writes[d.layer()][device(d)]++;
        }
        for (SelectiveRefresh.Device d : r.unverified()) {
            stuck[d.layer()][device(d)] = true;
        }
        pulses += r.pulses();
        deviceWrites += r.devices().size();
        refreshes++;
        refreshLog.add(new double[] {clock, r.devices().size(), r.pulses()});
        core.refreshed(clock, r.devices().size(), r.pulses());
    }

    private int pulsesPerDevice() {
        return s.preset().writeVerify().maxPulses();
    }

    /**
     * A round on the weights of a check's read: positions anew ({@code previous} null) or refined. Its new
     * SRAM is kept when it does better on validation images than {@code before} (NaN: at deployment, always).
     */
    private void round(double day, List<float[]> trainOn, SramBranch previous, double before) {
        boolean first = branch == null;
        int epochs = first && o.levers().deployEpochs() > 0 ? o.levers().deployEpochs() : o.osaEpochs();
        int number = roundSeconds.size() + 1;
        OsaConfig cfg = new OsaConfig(sramFraction, Placement.MEASURED, 8, epochs, 64,
                previous == null ? 1e-3 : 3e-4, o.seed() + number, 0.5, 2.0)
                .withOffsets(policy.equals("full") && o.levers().offsets());
        long t0 = System.nanoTime();
        OsaResult r = previous == null
                ? OsaRound.run(s.net(), trainOn, s.calibration(), s.teacherLogits(), s.validation(), cfg, null, null,
                        branch, e -> { })
                : OsaRound.refine(s.net(), trainOn, s.calibration(), s.teacherLogits(), s.validation(), cfg, previous,
                        e -> { });
        double after = score(trainOn, r.branch(), s.validation());
        boolean applied = core.adapted(before, after, clock);
        if (applied) {
            branch = r.branch();
        }
        roundSeconds.add((System.nanoTime() - t0) / 1e9);
        double kept = applied ? after : before;
        osaReference = kept;
        if (policy.equals("osa")) {
            decided(day, new DriftDecision(first ? DriftAction.REPLACE : DriftAction.OSA_ROUND,
                    first ? "deployed: SRAM placed by importance" : "validation fell past the threshold", 0, 0));
        }
    }

    // ---- bookkeeping ----

    private void decided(double day, DriftDecision d) {
        actions.merge(d.action().id(), 1, Integer::sum);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("day", day);
        e.put("action", d.action().id());
        e.put("reason", d.reason());
        decisions.add(e);
        if (!policy.equals("global-comp") && !policy.equals("column-comp")) {
            say("%-11s day %5.1f: %s (%s)", policy, day, d.action().id(), d.reason());
        }
    }

    /** Share of the importance-weighted error the chosen devices carry. */
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
     * Share of the costliest errors of the RRAM (compensated, without SRAM; as many positions as the SRAM
     * holds) that are SRAM positions already: low when the error map has moved.
     */
    private double overlap(List<float[]> corrected, List<float[]> importance) {
        int k = (int) branch.count();
        List<double[]> costliest = new ArrayList<>();
        for (int l = 0; l < corrected.size(); l++) {
            float[] intended = s.net().weightValues(l);
            for (int i = 0; i < corrected.get(l).length; i++) {
                costliest.add(new double[] {l, i, importance.get(l)[i] * Math.abs(corrected.get(l)[i] - intended[i])});
            }
        }
        costliest.sort((x, y) -> Double.compare(y[2], x[2]));
        Map<Integer, int[]> positions = new TreeMap<>();
        for (SramBranch.Layer layer : branch.layers()) {
            int[] p = layer.positions().clone();
            Arrays.sort(p);
            positions.put(layer.layer(), p);
        }
        int hits = 0;
        for (double[] c : costliest.subList(0, Math.min(k, costliest.size()))) {
            int[] p = positions.get((int) c[0]);
            if (p != null && Arrays.binarySearch(p, (int) c[1]) >= 0) {
                hits++;
            }
        }
        return k == 0 ? 1 : (double) hits / k;
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

    private Map<String, Object> result() {
        Map<String, Object> r = new LinkedHashMap<>();
        // every point from the deployment on (the point before the deployment's action is the one-shot programming)
        List<Map<String, Object>> deployed = timeline.stream().filter(p -> !"programmed".equals(p.get("phase"))).toList();
        double[] acc = deployed.stream().mapToDouble(p -> (double) p.get("accuracy")).toArray();
        double[] val = deployed.stream().mapToDouble(p -> (double) p.get("validation_accuracy")).toArray();
        double min = Arrays.stream(acc).min().orElse(Double.NaN);
        r.put("policy", policy);
        r.put("final_accuracy", acc[acc.length - 1]);
        r.put("min_accuracy", min);
        r.put("max_gap_points", 100 * (s.teacher() - min));
        r.put("max_gap_points_student", 100 * (s.software() - min));
        r.put("final_validation_accuracy", val[val.length - 1]);
        r.put("max_gap_points_validation", 100 * (s.teacherValidation() - Arrays.stream(val).min().orElse(Double.NaN)));
        r.put("mean_gap_points", 100 * (s.teacher() - Arrays.stream(acc).average().orElse(Double.NaN)));
        Map<String, Object> worst = deployed.stream().min((x, y) -> Double.compare((double) x.get("accuracy"),
                (double) y.get("accuracy"))).orElse(Map.of());
        r.put("worst_point", worst);
        double sramWeights = branch == null ? 0 : branch.count();
        double cost = area.report(s.mapping().weightCount(), (long) sramWeights).macroCost()
                + (compensates() ? compensationCost() : 0);
        r.put("area_cost", cost);
        double months = Math.max(o.days(), 1) / 30.0;
        r.put("device_writes", deviceWrites);
        r.put("refreshed_fraction", deviceWrites / (double) s.mapping().deviceCount() / months);
        r.put("max_month_write_share", maxMonthWrites() / s.mapping().deviceCount());
        r.put("pulses", pulses);
        r.put("refreshes", refreshes);
        r.put("rounds", roundSeconds.size());
        r.put("round_seconds_p50", median(roundSeconds));
        r.put("decision_seconds_p50", median(decisionSeconds));
        r.put("decision_seconds_max", decisionSeconds.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        r.put("deployment_seconds", deploymentSeconds.stream().mapToDouble(Double::doubleValue).sum());
        r.put("actions", actions);
        r.put("decisions", decisions);
        r.put("timeline", timeline);
        say("%-11s: worst gap to the teacher %.2f points (test, over %d points), final %.2f %%, area %.2f %%,"
                        + " %d device writes (%.2f %%/month), %d rounds, decisions %s, p50 %.2f s, max %.2f s", policy,
                (double) r.get("max_gap_points"), deployed.size(), 100 * acc[acc.length - 1], 100 * cost, deviceWrites,
                100 * (double) r.get("refreshed_fraction"), roundSeconds.size(), actions, median(decisionSeconds),
                (double) r.get("decision_seconds_max"));
        return r;
    }

    /** The most devices written (refreshes and the repair at deployment) in any 30 array days. */
    private double maxMonthWrites() {
        double most = 0;
        for (double[] w : refreshLog) {
            double end = w[0];
            most = Math.max(most, refreshLog.stream().filter(x -> x[0] > end - Supervision.Budget.MONTH_SECONDS
                    && x[0] <= end).mapToDouble(x -> x[1]).sum());
        }
        return most;
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
