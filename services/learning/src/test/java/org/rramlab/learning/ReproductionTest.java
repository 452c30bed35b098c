package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.learning.area.AreaParameters;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.reproduce.ReproduceOptions;
import org.rramlab.learning.reproduce.Reproduction;

/** A whole reproduction on a small generated dataset: the JSON carries every field the results are compared by. */
class ReproductionTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 420, unit = TimeUnit.SECONDS)
    @SuppressWarnings("unchecked")
    void jsonHasEveryFieldAndTheChipsAndSplitsAreApart() throws Exception {
        TestData.writeMnistLike(dir, 600, false, 11);
        ReproduceOptions o = ReproduceOptions.of(DatasetKind.MNIST, true, 2, 5, dir, 3, false, 6)
                .withQuantiles(List.of(0.98)).small(400, 100, List.of(0.01));
        Map<String, Object> out = new Reproduction(o, new PrintStream(new ByteArrayOutputStream())).run();

        for (String f : List.of("teacher_accuracy", "mapped_accuracy", "kd_mapped_accuracy", "selection", "chips",
                "fresh_read", "adc_bits", "area_model", "osa")) {
            assertTrue(out.containsKey(f), "missing " + f);
        }
        assertEquals(true, out.get("fresh_read"));
        assertEquals(6, out.get("adc_bits"));
        Map<String, Object> sel = (Map<String, Object>) out.get("selection");
        for (String f : List.of("split", "validation_images", "candidates", "chosen")) {
            assertTrue(sel.containsKey(f), "selection lacks " + f);
        }
        assertEquals(100, sel.get("validation_images"), "600 / 6 training images kept for validation");
        Map<String, Object> candidates = (Map<String, Object>) sel.get("candidates");
        List<Map<String, Object>> quantiles = (List<Map<String, Object>>) candidates.get("w_max_quantile");
        assertEquals(2, quantiles.size(), "the paper's max|w| is always a candidate beside 0.98");
        Map<String, Object> chosen = (Map<String, Object>) sel.get("chosen");
        double q = (double) chosen.get("w_max_quantile");
        double best = quantiles.stream().mapToDouble(c -> (double) c.get("validation_accuracy")).max().orElseThrow();
        assertEquals(best, quantiles.stream().filter(c -> (double) c.get("w_max_quantile") == q).findFirst()
                .orElseThrow().get("validation_accuracy"), "the chosen quantile is the best on validation");

        Map<String, Object> chips = (Map<String, Object>) out.get("chips");
        List<Long> tuning = (List<Long>) chips.get("tuning_seeds");
        List<Long> evaluation = (List<Long>) chips.get("evaluation_seeds");
        assertEquals(List.of(5L, 6L), evaluation);
        assertTrue(Collections.disjoint(tuning, evaluation), tuning + " vs " + evaluation);

        Map<String, Object> area = (Map<String, Object>) out.get("area_model");
        Map<String, Object> params = (Map<String, Object>) area.get("parameters");
        assertEquals(AreaParameters.NAMES.size(), params.size());
        params.forEach((k, v) -> {
            Map<String, Object> p = (Map<String, Object>) v;
            assertTrue(p.containsKey("value") && !((String) p.get("source")).isBlank(), k);
        });
        assertEquals(13, area.get("sram_index_bits"));

        List<Map<String, Object>> osa = (List<Map<String, Object>>) out.get("osa");
        assertEquals(3 * 3, osa.size(), "paper, rramlab and rramlab with repair, at 0, 1 % and the budget within 7.86 %");
        for (Map<String, Object> r : osa) {
            for (String f : List.of("method", "placement", "sram_fraction", "area_cost", "area_cost_cell", "accuracy",
                    "accuracy_std", "accuracy_ci95")) {
                assertTrue(r.containsKey(f), "osa row lacks " + f);
            }
            List<Double> ci = (List<Double>) r.get("accuracy_ci95");
            double mean = (double) r.get("accuracy");
            assertTrue(ci.get(0) <= mean && mean <= ci.get(1), ci + " around " + mean);
            assertEquals(2, ((List<Double>) r.get("per_chip")).size());
        }
        assertEquals(List.of("paper", "rramlab"), osa.stream().map(r -> (String) r.get("method")).distinct().toList());
        Map<String, Object> oneShot = (Map<String, Object>) osa.get(3).get("programming");
        Map<String, Object> repaired = (Map<String, Object>) osa.get(6).get("programming");
        assertEquals("one-shot", oneShot.get("kind"));
        assertEquals(ReproduceOptions.DEFAULT_REPAIR, repaired.get("weight_share"));
        assertTrue(((List<Long>) repaired.get("pulses_per_chip")).stream().allMatch(p -> p > 0), repaired.toString());
        Map<String, Object> exact = (Map<String, Object>) out.get("exact_device_accuracy");
        for (String k : List.of("teacher", "rramlab_student", "paper_student")) {
            double a = (double) exact.get(k);
            assertTrue(a > 0.1 && a <= 1, "exact-device accuracy above chance (10 classes): " + exact);
        }
        assertEquals("importance", osa.get(0).get("placement"));
        assertEquals("measured", osa.get(osa.size() - 1).get("placement"));
        assertFalse(osa.stream().anyMatch(r -> (double) r.get("area_cost") > 0.0786 && Boolean.TRUE.equals(r.get("headline"))),
                "the headline budget stays within the paper's area");
    }
}
