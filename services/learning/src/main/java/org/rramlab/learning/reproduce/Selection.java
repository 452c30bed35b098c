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

    /** The OSA epochs and learning rate for one method, by its validation score at the headline budget. */
    ChipBench.Method chooseOsa(String name, Network net, double q, Placement placement, boolean fromError) {
        ChipBench.Method best = null;
        double bestScore = -1;
        List<Map<String, Object>> list = new ArrayList<>();
        for (int epochs : o.osaEpochs()) {
            for (double lr : o.osaLearningRates()) {
                ChipBench.Method m = new ChipBench.Method(name, placement, fromError, q, epochs, lr);
                double[] score = score(net, m);
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("osa_epochs", epochs);
                c.put("osa_learning_rate", lr);
                c.put("validation_accuracy", score[1]);
                list.add(c);
                log.say("selection: %s OSA %d epochs, lr %s: validation %.2f %%", name, epochs, lr, 100 * score[1]);
                if (score[1] > bestScore) {
                    bestScore = score[1];
                    best = m;
                }
            }
        }
        osaCandidates.put(name, list);
        chosen.put(name + "_osa_epochs", best.epochs());
        chosen.put(name + "_osa_learning_rate", best.learningRate());
        return best;
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
        interior.put("w_max_quantile", interior(o.quantiles(), (Double) chosen.get("w_max_quantile")));
        for (String m : osaCandidates.keySet()) {
            interior.put(m + "_osa_epochs", interior(o.osaEpochs().stream().map(Integer::doubleValue).toList(),
                    ((Integer) chosen.get(m + "_osa_epochs")).doubleValue()));
            interior.put(m + "_osa_learning_rate", interior(o.osaLearningRates(),
                    (Double) chosen.get(m + "_osa_learning_rate")));
        }
        c.put("interior", interior);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("split", "validation = " + splits.validationRange() + " (the training file's tail, Splits);"
                + " calibration drawn from the fitting images; test = t10k, used only for reported figures");
        out.put("validation_images", splits.validation().count());
        out.put("tuning_seeds", o.tuningSeeds());
        out.put("candidates", candidates);
        out.put("chosen", c);
        return out;
    }
}
