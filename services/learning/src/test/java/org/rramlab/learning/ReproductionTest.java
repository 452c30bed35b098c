package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.rramlab.learning.reproduce.RunSettings;

/** A whole reproduction on a small generated dataset: the JSON carries every field the results are compared by. */
class ReproductionTest {
    /** Ten classes: guessing scores 0.1. */
    private static final double CHANCE = 0.1;
    /** Bars 30 grey levels above noise of 0..119: learnable, with a margin small enough for device errors to show. */
    private static final int BAR = 30;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 1200, unit = TimeUnit.SECONDS)
    @SuppressWarnings("unchecked")
    void jsonHasEveryFieldAndTheChipsAndSplitsAreApart() throws Exception {
        TestData.writeMnistLike(dir, 600, false, 11, BAR);
        ReproduceOptions o = ReproduceOptions.of(DatasetKind.MNIST, true, 1, 5, dir, 3, false, 6)
                .withQuantiles(List.of(0.98)).small(400, 100, List.of(0.01)).withTeachers(2)
                .withEpochs(25, 8); // 4 steps an epoch on 400 images: enough steps to learn the bars

        Map<String, Object> out = new Reproduction(o, new RunSettings("abc123", "rramlab reproduce --test", true, 0, 0, null),
                System.out).run();

        Map<String, Object> provenance = (Map<String, Object>) out.get("provenance");
        assertEquals("abc123", provenance.get("commit"));
        assertEquals("rramlab reproduce --test", provenance.get("command"));
        Map<String, String> sums = (Map<String, String>) provenance.get("dataset_sha256");
        assertEquals(4, sums.size(), sums.toString());
        sums.values().forEach(h -> assertTrue(h.matches("[0-9a-f]{64}"), h));

        List<Map<String, Object>> teachers = (List<Map<String, Object>>) out.get("teachers");
        assertEquals(List.of(3L, 4L), teachers.stream().map(t -> (Long) t.get("seed")).toList());
        for (Map<String, Object> t : teachers) {
            assertTrue((double) t.get("accuracy") > CHANCE + 0.4, "each teacher learns the bars: " + t);
        }
        List<Map<String, Object>> variants = (List<Map<String, Object>>) out.get("mapping_variants");
        assertEquals(org.rramlab.learning.mapping.MappingVariant.presets().size(),
                variants.stream().map(v -> v.get("name")).distinct().count());
        assertTrue(variants.stream().anyMatch(v -> Boolean.TRUE.equals(v.get("spread_per_read"))), "a per-read reading");
        assertEquals(1, variants.stream().filter(v -> Boolean.TRUE.equals(v.get("default"))).count());
        for (Map<String, Object> v : variants) {
            double a = (double) v.get("accuracy");
            assertTrue(a >= 0 && a <= 1 && (double) v.get("spread") >= 0, v.toString());
        }

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
        assertEquals(List.of(5L), evaluation);
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
        assertEquals(3 * 3 + 2, osa.size(), "paper, rramlab and rramlab with repair, at 0, 1 % and the budget within"
                + " 7.86 %, and write-verify-all for the teacher and the student");
        for (Map<String, Object> r : osa) {
            for (String f : List.of("method", "placement", "sram_fraction", "area_cost", "area_cost_cell", "accuracy",
                    "accuracy_std", "accuracy_ci95")) {
                assertTrue(r.containsKey(f), "osa row lacks " + f);
            }
            List<Double> ci = (List<Double>) r.get("accuracy_ci95");
            double mean = (double) r.get("accuracy");
            assertTrue(ci.get(0) <= mean && mean <= ci.get(1), ci + " around " + mean);
            assertEquals(2, ((List<Double>) r.get("per_chip")).size(), "2 teachers x 1 chip");
        }
        assertEquals(List.of("paper", "rramlab", "write-verify-all"),
                osa.stream().map(r -> (String) r.get("method")).distinct().toList());
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
        assertEquals("measured", osa.get(8).get("placement"));
        assertTrue(((String) osa.get(0).get("sram_scale")).contains("max|w|"), "the paper's SRAM scale needs no measurement");

        // the science: both OSA rows at the budget beat the teacher mapped without help, and all sit above chance
        double mapped = (double) out.get("mapped_accuracy");
        for (String method : List.of("paper", "rramlab")) {
            Map<String, Object> r = osa.stream().filter(x -> method.equals(x.get("method"))
                    && Boolean.TRUE.equals(x.get("headline")) && "one-shot".equals(((Map<String, Object>) x.get("programming"))
                    .get("kind"))).findFirst().orElseThrow();
            double a = (double) r.get("accuracy");
            assertTrue(a > mapped, method + " OSA at the budget " + a + " vs the teacher mapped " + mapped);
            assertTrue(a > CHANCE, method + " above chance: " + a);
        }

        List<Map<String, Object>> sensitivity = (List<Map<String, Object>>) area.get("sensitivity");
        assertTrue(sensitivity.stream().anyMatch(r -> "sram-cell-f2".equals(r.get("parameter"))), sensitivity.toString());
        assertTrue(sensitivity.stream().filter(r -> "mac-unit-ge".equals(r.get("parameter"))).count() == 2,
                "an estimate is halved and doubled");
        Map<String, Object> energy = (Map<String, Object>) out.get("energy_model");
        Map<String, Object> rram = (Map<String, Object>) energy.get("rram");
        Map<String, Object> both = (Map<String, Object>) energy.get("rram_sram");
        assertTrue((double) rram.get("pj_per_inference") > 0 && (double) rram.get("ns_per_inference") > 0, rram.toString());
        assertTrue((double) both.get("pj_per_inference") > (double) rram.get("pj_per_inference"),
                "corrections cost energy: " + energy);
        assertTrue((double) both.get("ns_per_inference") >= (double) rram.get("ns_per_inference"));
        assertFalse(osa.stream().anyMatch(r -> (double) r.get("area_cost") > 0.0786 && Boolean.TRUE.equals(r.get("headline"))),
                "the headline budget stays within the paper's area");
    }
}
