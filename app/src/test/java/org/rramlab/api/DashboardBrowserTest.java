package org.rramlab.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import javax.imageio.ImageIO;

/**
 * The dashboard in Debian's headless chromium against a real node with simulated arrays in a
 * drift campaign: it loads, the histograms and the drift curves get data, a change without a
 * token or with a viewer token is refused on the page, an operator pauses and resumes a campaign,
 * and the drift-benchmark panel draws the policies of the latest {@code bench drift} results in the
 * data dir (read through GET /api/benchmarks/drift). Imported measured reads are listed as arrays.
 * Saves a screenshot to actors/target/dashboard.png, and to docs/dashboard.png when
 * RRAMLAB_UPDATE_SCREENSHOT=1.
 */
class DashboardBrowserTest extends BrowserFixture {
    @Test
    void theDashboardShowsLiveDataRefusesChangesWithoutATokenAndLetsAnOperatorPauseAndResume() throws Exception {
        Path chromium = chromium();
        try (Session session = start(chromium, 1600, 1300)) {
            ApiNode api = session.api();
            Chromium browser = session.browser();
            // three simulated arrays: two in a fast accelerated drift campaign, one in a slow one to pause
            for (String id : List.of("sim-a", "sim-b", "sim-c")) {
                var r = api.call("POST", "/api/arrays", ApiNode.OPERATOR, "{\"id\":\"" + id
                        + "\",\"kind\":\"simulated\",\"rows\":32,\"cols\":32,\"seed\":" + (int) id.charAt(4) + "}");
                assertEquals(201, r.statusCode(), r.body());
            }
            var fast = api.call("POST", "/api/campaigns", ApiNode.OPERATOR, "{\"id\":\"drift-fast\",\"arrays\":[\"sim-a\","
                    + "\"sim-b\"],\"program\":{\"pattern\":\"every-level\"},\"interval_seconds\":300,\"reads\":40,"
                    + "\"acceleration\":3000}");
            assertEquals(201, fast.statusCode(), fast.body());
            var slow = api.call("POST", "/api/campaigns", ApiNode.OPERATOR, "{\"id\":\"drift-slow\",\"arrays\":[\"sim-c\"],"
                    + "\"program\":{\"pattern\":\"every-level\"},\"interval_seconds\":3600,\"reads\":100}");
            assertEquals(201, slow.statusCode(), slow.body());

            browser.navigate(api.base + "/");
            browser.waitFor("typeof uPlot === 'function' && window.rramlab", WAIT, "the page and its chart library loaded");
            browser.waitFor("window.rramlab.status().notice.includes('needs a token')", WAIT,
                    "without a token the page says it needs one");

            browser.eval("window.rramlab.setToken('" + ApiNode.VIEWER + "')");
            browser.waitFor("window.rramlab.status().role === 'viewer' && window.rramlab.status().connected", WAIT,
                    "the viewer token is accepted and the stream is live");
            browser.waitFor("window.rramlab.status().histogramLevels >= 10", WAIT, "every level's histogram has data");
            browser.waitFor("window.rramlab.status().driftPoints >= 30 && window.rramlab.status().driftFitted >= 5", WAIT,
                    "the drift curves have measured points and fitted laws");
            browser.waitFor("window.rramlab.status().campaigns.some(c => c.id === 'drift-slow' && c.state === 'running')"
                    + " && window.rramlab.status().arrays.length === 3", WAIT, "the campaigns and arrays are listed");
            browser.waitFor("document.querySelector('#accuracy-empty').hidden === false"
                    + " && document.querySelector('#accuracy-empty').textContent === 'no deployment yet'", WAIT,
                    "the accuracy panel says there is no deployment yet");

            // measured reads imported under an id of their own: listed beside the registered arrays
            var imported = api.call("POST", "/api/arrays/chip-imp/import?format=csv", ApiNode.OPERATOR,
                    HardeningTest.reads("chip-imp", 1, 3, 1.0), "text/csv");
            assertEquals(201, imported.statusCode(), imported.body());
            browser.waitFor("window.rramlab.status().importedArrays.includes('chip-imp')"
                    + " && Array.from(document.querySelectorAll('#arrays-table tbody tr')).some(tr =>"
                    + " tr.dataset.kind === 'imported' && tr.textContent.startsWith('chip-imp') && tr.textContent.includes('imported'))"
                    + " && document.querySelector('#arrays-caption').textContent === '3 registered, 1 imported'", WAIT,
                    "the imported array is listed with the registered ones");

            String pause = "document.querySelector(\"button[data-action=pause][data-campaign='drift-slow']\").click()";
            String resume = "document.querySelector(\"button[data-action=resume][data-campaign='drift-slow']\").click()";
            String pauseButton = "document.querySelector(\"button[data-action=pause][data-campaign='drift-slow']\")";
            // a viewer sees the operator's buttons but cannot press them
            browser.waitFor(pauseButton + " !== null && " + pauseButton + ".disabled === true", WAIT,
                    "a viewer sees the pause button, disabled");
            browser.eval(pause);
            // no token at all: still there, still disabled
            browser.eval("window.rramlab.setToken('')");
            browser.waitFor("window.rramlab.status().role === null && " + pauseButton + ".disabled === true", WAIT,
                    "without a token the button stays disabled");
            browser.eval(pause);
            assertEquals("running", campaignState(api, "drift-slow"), "the refused pauses changed nothing");

            browser.eval("window.rramlab.setToken('" + ApiNode.OPERATOR + "')");
            browser.waitFor("window.rramlab.status().role === 'operator' && " + pauseButton + ".disabled === false", WAIT,
                    "the operator token is accepted and the buttons can be pressed");
            browser.eval(pause);
            browser.waitFor("window.rramlab.status().lastAction === 'drift-slow is paused'", WAIT, "the operator paused");
            assertEquals("paused", campaignState(api, "drift-slow"));
            browser.eval(resume);
            browser.waitFor("window.rramlab.status().lastAction === 'drift-slow is running'", WAIT, "the operator resumed");
            assertEquals("running", campaignState(api, "drift-slow"));

            // no benchmark in the data dir: the route says so and the panel too
            assertEquals(404, api.call("GET", "/api/benchmarks/drift", ApiNode.VIEWER, null).statusCode());
            assertEquals(401, api.call("GET", "/api/benchmarks/drift", null, null).statusCode());
            browser.waitFor("document.querySelector('#bench-empty').hidden === false", WAIT,
                    "the benchmark panel says there is none yet");
            Path bench = dataDir.resolve("benchmarks").resolve("drift.json");
            Files.createDirectories(bench.getParent());
            Files.writeString(bench, driftBenchmark());
            var served = api.call("GET", "/api/benchmarks/drift", ApiNode.VIEWER, null);
            assertEquals(200, served.statusCode(), served.body());
            assertEquals(3, JSON.readTree(served.body()).path("policies").size());
            browser.eval("window.rramlab.pollBench()");
            browser.waitFor("window.rramlab.status().benchPolicies.join(',') === 'none,osa,full'"
                    + " && window.rramlab.status().benchPoints === 3 * 31 && document.querySelector('#bench-empty').hidden"
                    + " && document.querySelectorAll('#bench-table tbody tr').length === 3", WAIT,
                    "the benchmark panel draws three policies of 31 checks and lists them");

            // the fast campaign has finished its reads: the picture shows a whole drift curve
            browser.waitFor("window.rramlab.status().campaigns.some(c => c.id === 'drift-fast' && c.state === 'completed')",
                    WAIT, "the fast campaign completed");
            // the charts redraw on a timer: wait until each has drawn its curves (measured on its canvas, in the
            // page), not a fixed time. A curve that spans a chart's x range leaves a coloured pixel in at least 6 of
            // every 10 columns of the plot area (the sparsest stroke here is the fit's dash [6, 4]; solid lines fill
            // every column): half the plot's columns is the bar. Axes, grid and text are grey.
            String drawn = String.join(" && ", List.of("histograms", "drift", "bench").stream()
                    .map(chart -> COLOURED_COLUMNS + "('" + chart + "') >= " + DRAWN).toList());
            browser.waitFor(drawn, WAIT, "every chart with data has drawn its curves across its plot");
            byte[] png = browser.screenshot(drawn, WAIT);
            Path shot = Path.of("target", "dashboard.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, png);
            if ("1".equals(System.getenv("RRAMLAB_UPDATE_SCREENSHOT"))) {
                Path docs = Path.of("..", "docs");
                if (Files.isDirectory(docs)) {
                    Files.write(docs.resolve("dashboard.png"), png);
                }
            }
            // the picture of the whole page shows the same: the same measure on the screenshot's pixels
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            JsonNode page = browser.eval("({w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight})");
            assertEquals(page.path("w").asInt(), image.getWidth(), "the screenshot is as wide as the page");
            assertEquals(page.path("h").asInt(), image.getHeight(), "the screenshot is as tall as the page");
            for (String chart : List.of("histograms", "drift", "bench")) {
                JsonNode box = plotBox(browser, chart);
                double columns = colouredColumns(image, box);
                System.out.printf("dashboard screenshot: %s has coloured pixels in %.3f of its plot's columns (%s)%n",
                        chart, columns, box);
                assertTrue(columns >= DRAWN, chart + " has drawn curves: " + columns + " of its plot's columns coloured");
            }
            // the measure tells an empty chart: the accuracy chart has no deployment to show yet, nothing coloured
            JsonNode empty = plotBox(browser, "accuracy");
            double blank = colouredColumns(image, empty);
            System.out.printf("dashboard screenshot: empty accuracy chart, %.3f of its plot's columns coloured%n", blank);
            assertTrue(blank < 0.05, "the accuracy chart is empty before a deployment: " + blank);

            // accuracy and OSA rounds, as the OSA supervisor reports them
            api.api.events().append(LabEvents.ACCURACY, new LabEvents.AccuracyCheck("lenet-1", 0.962, 0.981, 600));
            api.api.events().append(LabEvents.OSA_ROUND, new LabEvents.OsaRound("lenet-1", 1, "accuracy", 1200,
                    0.0195, 0.031, 0.0786, 0.912, 0.978, 1800));
            browser.waitFor("window.rramlab.status().accuracyPoints >= 2 && document.querySelector('#accuracy-empty').hidden"
                    + " && document.querySelector('#o-macro').textContent === '7.86 %'", WAIT,
                    "the accuracy chart and the SRAM and area tiles show the OSA round");
            // the y range fits the data (91.2-98.1 %), not 0-100 %; decisions are marked
            api.api.events().append(LabEvents.DRIFT_DECISION, new LabEvents.DriftDecision("lenet-1", 3, "recompensate",
                    "new gains win 0.4 points", 2400));
            browser.waitFor("window.rramlab.status().decisions === 1", WAIT, "the decision is marked on the chart");
            browser.waitFor("window.rramlab.status().accuracyRange[0] >= 90 && window.rramlab.status().accuracyRange[1] <= 100"
                    + " && window.rramlab.status().accuracyRange[0] > 0", WAIT, "the accuracy axis fits the data");
            assertEquals(List.of(), browser.pageErrors, "no script errors on the page");
        }
    }

    /** Results as `bench drift` writes them: three policies, a check every 3 array days for 90 days. */
    static String driftBenchmark() throws Exception {
        var root = JSON.createObjectNode();
        root.put("software_accuracy", 0.9188);
        root.put("date", "2026-12-02T06:00:00Z");
        root.put("quick", true);
        root.put("architecture", "mlp");
        var policies = root.putArray("policies");
        String[] names = {"none", "osa", "full"};
        for (int p = 0; p < names.length; p++) {
            var policy = policies.addObject();
            policy.put("policy", names[p]);
            var timeline = policy.putArray("timeline");
            double low = 1;
            for (int c = 0; c <= 30; c++) {
                double accuracy = 0.91 - (0.2 - 0.09 * p) * Math.log1p(c) / Math.log1p(30);
                low = Math.min(low, accuracy);
                timeline.addObject().put("day", 3.0 * c).put("accuracy", accuracy).put("raw_accuracy", accuracy - 0.01);
            }
            policy.put("min_accuracy", low).put("max_gap_points", 100 * (0.9188 - low)).put("area_cost", p == 0 ? 0 : 0.0785)
                    .put("refreshed_fraction", p == 2 ? 0.05 : 0).put("decision_seconds_p50", p == 0 ? 0 : 1.5);
        }
        return JSON.writeValueAsString(root);
    }

    /** The share of a chart's plot columns that hold a coloured pixel: a drawn curve spans its x range. */
    static final double DRAWN = 0.5;

    /** Page-side: the share of the plot area's columns of chart k whose canvas holds a clearly coloured pixel. */
    static final String COLOURED_COLUMNS = "((k) => { const b = window.rramlab.status().plots[k];"
            + " const c = document.querySelector('#chart-' + k + ' canvas'); if (!b || !c || b.width < 1) return 0;"
            + " const d = c.getContext('2d').getImageData(b.left, b.top, b.width, b.height).data; let n = 0;"
            + " for (let x = 0; x < b.width; x++) { for (let y = 0; y < b.height; y++) { const i = 4 * (y * b.width + x);"
            + " if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 80) { n++; break; } } }"
            + " return n / b.width; })";

    /** A chart's plot area on the page, in CSS pixels of the whole page (the scale factor is 1). */
    static JsonNode plotBox(Chromium browser, String chart) throws Exception {
        return browser.eval("(() => { const r = document.querySelector('#chart-" + chart + " canvas')"
                + ".getBoundingClientRect(); const b = window.rramlab.status().plots['" + chart + "'];"
                + " return {x: r.x + scrollX + b.left / devicePixelRatio, y: r.y + scrollY + b.top / devicePixelRatio,"
                + " w: b.width / devicePixelRatio, h: b.height / devicePixelRatio}; })()");
    }

    /** The share of a box's columns (CSS pixels, scale 1) holding a clearly coloured pixel, not grey. */
    static double colouredColumns(BufferedImage image, JsonNode box) {
        int x0 = Math.max(0, box.path("x").asInt()), y0 = Math.max(0, box.path("y").asInt());
        int x1 = Math.min(image.getWidth(), x0 + box.path("w").asInt());
        int y1 = Math.min(image.getHeight(), y0 + box.path("h").asInt());
        long coloured = 0;
        for (int x = x0; x < x1; x++) {
            for (int y = y0; y < y1; y++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
                    coloured++;
                    break;
                }
            }
        }
        return (double) coloured / Math.max(1, x1 - x0);
    }

    static String campaignState(ApiNode api, String id) throws Exception {
        JsonNode status = JSON.readTree(api.call("GET", "/api/campaigns/" + id, ApiNode.VIEWER, null).body());
        return status.path("state").asText();
    }
}
