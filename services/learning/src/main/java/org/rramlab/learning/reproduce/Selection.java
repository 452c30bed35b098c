package org.rramlab.learning.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.data.Splits;
import org.rramlab.learning.hil.ColumnAdc;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.osa.Placement;

/**
 * Chooses every tuned setting by validation accuracy on the tuning chips (fresh reads), never on t10k or
 * the held-out chips, and records each candidate with its score. Ties keep the earlier candidate.
 */
final class Selection {
    interface Log {
        void say(String format, Object... args);
    }

    private final ReproduceOptions o;
    private final ChipBench bench;
    private final Dataset validation;
    private final Dataset adcImages;
    private final double budget;
    private final Log log;
    private final List<Map<String, Object>> quantileCandidates = new ArrayList<>();
    private final Map<String, List<Map<String, Object>>> osaCandidates = new LinkedHashMap<>();
    private final Map<String, Object> chosen = new LinkedHashMap<>();
    /** Each method's final grid {epochs, learning rates}, after growing. */
    private final Map<String, Grid> osaGrids = new LinkedHashMap<>();

    private record Grid(List<Double> epochs, List<Double> rates) { }

    Selection(ReproduceOptions o, ChipBench bench, Dataset validation, Dataset adcImages, double budget, Log log) {
        this.o = o;
        this.bench = bench;
        this.validation = validation;
        this.adcImages = adcImages;
        this.budget = budget;
        this.log = log;
    }

    /** The student quantile whose KD + OSA (rramlab's method, first OSA candidates) scores best. */
    double chooseQuantile(Map<Double, Network> students) {
        int epochs = o.osaEpochs().get(o.osaEpochs().size() - 1);
        double lr = o.osaLearningRates().get(0);
        double best = Double.NaN;
        double bestScore = -1;
        for (Map.Entry<Double, Network> e : students.entrySet()) {
            double q = e.getKey();
            ChipBench.Method m = new ChipBench.Method("rramlab", Placement.MEASURED, true, q, epochs, lr);
            double[] score = score(e.getValue(), m);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("w_max_quantile", q);
            c.put("osa_epochs", epochs);
            c.put("osa_learning_rate", lr);
            c.put("validation_kd_mapped", score[0]);
            c.put("validation_accuracy", score[1]);
            quantileCandidates.add(c);
            log.say("selection: w_max quantile %s: validation %.2f %% mapped, %.2f %% with SRAM", q, 100 * score[0],
                    100 * score[1]);
            if (score[1] > bestScore) {
                bestScore = score[1];
                best = q;
            }
        }
        chosen.put("w_max_quantile", best);
        return best;
    }

    /**
     * The OSA epochs and learning rate for one method, by its validation score at the headline budget. While the
     * best sits at an edge of its grid that can grow (epochs double above or halve below, down to 1; learning
     * rates step by the 1-3-10 ladder), the grid grows that way and the new candidates are scored against every
     * value of the other axis, up to {@link ReproduceOptions#gridRounds()} times; each method keeps its own grid.
     */
    ChipBench.Method chooseOsa(String name, Network net, double q, Placement placement, boolean fromError) {
        java.util.TreeSet<Integer> epochGrid = new java.util.TreeSet<>(o.osaEpochs());
        java.util.TreeSet<Double> rateGrid = new java.util.TreeSet<>(o.osaLearningRates());
        Map<String, Double> scored = new LinkedHashMap<>();
        List<Map<String, Object>> list = new ArrayList<>();
        ChipBench.Method best = null;
        double bestScore = -1;
        for (int round = 0; ; round++) {
            for (int epochs : epochGrid) {
                for (double lr : rateGrid) {
                    String key = epochs + "@" + lr;
                    if (scored.containsKey(key)) {
                        continue;
                    }
                    ChipBench.Method m = new ChipBench.Method(name, placement, fromError, q, epochs, lr);
                    double[] score = score(net, m);
                    scored.put(key, score[1]);
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("osa_epochs", epochs);
                    c.put("osa_learning_rate", lr);
                    c.put("validation_accuracy", score[1]);
                    c.put("grid_round", round);
                    list.add(c);
                    log.say("selection: %s OSA %d epochs, lr %s: validation %.2f %% (grid round %d)", name, epochs, lr,
                            100 * score[1], round);
                    // ties keep the candidate scored first
                    if (score[1] > bestScore) {
                        bestScore = score[1];
                        best = m;
                    }
                }
            }
            if (round >= o.gridRounds()) {
                break;
            }
            int e = best.epochs();
            double lr = best.learningRate();
            boolean grew = grow(epochGrid, rateGrid, e, lr);
            if (!grew) {
                break;
            }
            log.say("selection: %s's best (%d epochs, lr %s) is at an edge: the grid grows to epochs %s, rates %s",
                    name, e, lr, epochGrid, rateGrid);
        }
        osaCandidates.put(name, list);
        osaGrids.put(name, new Grid(epochGrid.stream().map(Integer::doubleValue).toList(), List.copyOf(rateGrid)));
        chosen.put(name + "_osa_epochs", best.epochs());
        chosen.put(name + "_osa_learning_rate", best.learningRate());
        return best;
    }

    /**
     * Grows the grids one step where the best candidate ({@code epochs}, {@code lr}) sits at an edge: epochs double
     * above the largest or halve below the smallest (not below 1), learning rates step along the 1-3-10 ladder. An
     * axis with one candidate was fixed by the caller and does not grow.
     *
     * @return whether any grid grew
     */
    static boolean grow(java.util.TreeSet<Integer> epochGrid, java.util.TreeSet<Double> rateGrid, int epochs,
                        double lr) {
        boolean grew = false;
        if (epochGrid.size() > 1 && epochs == epochGrid.last()) {
            grew |= epochGrid.add(epochs * 2);
        }
        if (epochGrid.size() > 1 && epochs == epochGrid.first() && epochs > 1) {
            grew |= epochGrid.add(epochs / 2);
        }
        if (rateGrid.size() > 1 && lr == rateGrid.last()) {
            grew |= rateGrid.add(ladder(lr, true));
        }
        if (rateGrid.size() > 1 && lr == rateGrid.first()) {
            grew |= rateGrid.add(ladder(lr, false));
        }
        return grew;
    }

    /** The next learning rate on the 1-3-10 ladder (0.001, 0.003, 0.01, 0.03, ...), up or down. */
    static double ladder(double lr, boolean up) {
        double decade = Math.pow(10, Math.floor(Math.log10(lr) + 1e-9));
        double mantissa = lr / decade;
        double next;
        if (up) {
            next = mantissa < 2 ? 3 * decade : 10 * decade;
        } else {
            next = mantissa > 2 ? decade : 0.3 * decade;
        }
        return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3g", next));
    }

    /** Mean over tuning chips of {validation accuracy mapped, with SRAM at the budget}. */
    private double[] score(Network net, ChipBench.Method m) {
        double mapped = 0;
        double osa = 0;
        try (ColumnAdc adc = bench.adc(net, m.quantile(), adcImages)) {
            for (long seed : o.tuningSeeds()) {
                try (ChipBench.Chip chip = bench.fabricate(net, seed)) {
                    List<Double> acc = chip.osa(net, m, List.of(budget), adc, validation);
                    mapped += acc.get(0);
                    osa += acc.get(1);
                }
            }
        }
        int n = o.tuningSeeds().size();
        return new double[] {mapped / n, osa / n};
    }

    /**
     * Where a chosen value sits in its grid: "interior" (a candidate on either side), "edge" (the smallest or
     * largest: the grid should grow that way), or "single" (one candidate, nothing was chosen).
     */
    static String interior(List<Double> grid, Double value) {
        if (grid.size() < 2 || value == null) {
            return "single";
        }
        double min = grid.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = grid.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return value > min && value < max ? "interior" : "edge";
    }

    Map<String, Object> json(Splits splits, double teacherValidation, Map<Double, Double> studentValidation,
                             double headline) {
        Map<String, Object> candidates = new LinkedHashMap<>();
        candidates.put("w_max_quantile", quantileCandidates);
        candidates.put("osa", osaCandidates);
        candidates.put("teacher_learning_rate", List.of(Map.of("value", o.teacherLr(),
                "validation_accuracy", teacherValidation)));
        List<Map<String, Object>> students = new ArrayList<>();
        studentValidation.forEach((q, acc) -> students.add(Map.of("value", o.studentLr(), "w_max_quantile", q,
                "validation_accuracy_software", acc)));
        candidates.put("student_learning_rate", students);
        candidates.put("budget", Map.of("rule", "the largest SRAM fraction whose macro area is within "
                + ReproduceOptions.PAPER_AREA_COST + " of the RRAM macro (area model); not chosen by accuracy",
                "value", headline));
        Map<String, Object> c = new LinkedHashMap<>(chosen);
        c.put("teacher_learning_rate", o.teacherLr());
        c.put("student_learning_rate", o.studentLr());
        c.put("budget", headline);
        Map<String, Object> interior = new LinkedHashMap<>();
        Map<String, Object> grids = new LinkedHashMap<>();
        interior.put("w_max_quantile", interior(o.quantiles(), (Double) chosen.get("w_max_quantile")));
        for (String m : osaCandidates.keySet()) {
            int epochs = (Integer) chosen.get(m + "_osa_epochs");
            String ei = interior(osaGrids.get(m).epochs(), (double) epochs);
            // 1 epoch is the floor: an "edge" there cannot grow, and says so
            interior.put(m + "_osa_epochs", ei.equals("edge") && epochs == 1
                    && epochs == osaGrids.get(m).epochs().get(0) ? "edge (1 epoch, the floor)" : ei);
            interior.put(m + "_osa_learning_rate", interior(osaGrids.get(m).rates(),
                    (Double) chosen.get(m + "_osa_learning_rate")));
            Map<String, Object> grid = new LinkedHashMap<>();
            grid.put("osa_epochs", osaGrids.get(m).epochs());
            grid.put("osa_learning_rate", osaGrids.get(m).rates());
            grids.put(m, grid);
        }
        c.put("interior", interior);
        c.put("grids", grids);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("split", "validation = " + splits.validationRange() + " (the training file's tail, Splits);"
                + " calibration drawn from the fitting images; test = t10k, used only for reported figures");
        out.put("validation_images", validation.count());
        out.put("tuning_seeds", o.tuningSeeds());
        out.put("candidates", candidates);
        out.put("chosen", c);
        return out;
    }
}
