package org.rramlab.learning.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.learning.TestData;
import org.rramlab.app.cli.learning.DriftBenchCommand;
import picocli.CommandLine;

/**
 * `bench drift` on a small generated dataset: decisions on the Splits validation images (the last
 * sixth of the training file), every field of the JSON, the chart, and the latest results in the data dir.
 */
class DriftBenchTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void twoPoliciesOnTheSplitsValidationImagesWriteTheirResultsAndTheChart() throws Exception {
        TestData.writeMnistLike(dir, 600, false, 11, 10);
        Path json = dir.resolve("drift.json");
        Path png = dir.resolve("drift.png");
        PrintStream out = System.out;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setOut(new PrintStream(said, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new DriftBenchCommand()).execute("--data-dir", dir.toString(), "--days", "6", "--quick",
                    "--policies", "none,full", "--calibration-images", "200", "--osa-epochs", "1", "--json",
                    json.toString(), "--png", png.toString());
        } finally {
            System.setOut(out);
        }
        assertEquals(0, code, said.toString(StandardCharsets.UTF_8));
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertEquals("training images 500-599", r.path("validation").asText(), "Splits: the last 600 / 6 images");
        assertEquals(100, r.path("validation_images").asInt());
        assertEquals(200, r.path("calibration_images").asInt());
        assertEquals(2, r.path("policies").size());
        for (String f : new String[] {"software_accuracy", "software_validation_accuracy", "levers", "model"}) {
            assertTrue(r.has(f), "missing " + f);
        }
        JsonNode full = r.path("policies").get(1);
        assertEquals("full", full.path("policy").asText());
        for (String f : new String[] {"timeline", "final_accuracy", "min_accuracy", "max_gap_points",
                "max_gap_points_validation", "area_cost", "refreshed_fraction", "pulses", "rounds", "round_seconds_p50",
                "decision_seconds_p50", "decision_seconds_max", "actions"}) {
            assertTrue(full.has(f), "full lacks " + f);
        }
        assertEquals(3, full.path("timeline").size(), "checks at days 0, 3 and 6");
        for (JsonNode p : full.path("timeline")) {
            assertTrue(p.has("validation_accuracy") && p.has("accuracy") && p.has("raw_accuracy"), p.toString());
        }
        assertTrue(full.path("rounds").asInt() >= 1, "a round at deployment at least");
        assertTrue(full.path("area_cost").asDouble() <= 0.0786 + 1e-9, "within the area budget: " + full.path("area_cost"));
        // the repair after programming: 2 % of the weights written again, counted in the month's budget
        JsonNode repair = full.path("deployment_repair");
        assertTrue(repair.path("weights").asInt() > 0 && repair.path("pulses").asLong() > 0, repair.toString());
        assertTrue(full.path("max_month_write_share").asDouble() >= repair.path("device_share").asDouble() - 1e-12
                && full.path("max_month_write_share").asDouble() <= 0.05 + 1e-9,
                "the repair counts in the month's writes, all of which stay within 5 %: " + full);
        assertTrue(full.path("deployment_seconds").asDouble() > 0, "deployment is timed apart from the decisions");
        assertEquals(0, r.path("policies").get(0).path("deployment_repair").path("weights").asInt(),
                "none is programmed once and left as it is");
        assertTrue(Files.size(png) > 1000, "the chart was written");
        Path latest = DriftBench.latestResults(dir);
        assertEquals(r, new ObjectMapper().readTree(latest.toFile()), "the data dir keeps the same results for the node");
    }
}
