package org.rramlab.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.app.cli.device.DeviceWaferCommand;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.emulator.FaultSpec;
import org.rramlab.device.emulator.StationEmulator;
import picocli.CommandLine;

/**
 * A wafer run through the emulators (5 dies on a 3 x 3 map whose corners are off the wafer, a
 * drift law per die) written into the node's data dir is served by GET /api/wafers (JSON and CSV)
 * and drawn by the dashboard's wafer map in Debian's headless chromium: one square per die, the
 * four positions off the route in grey, the per-level table, the wafer's drift spread in the
 * caption. Saves the panel's screenshot to app/target/wafer-map.png.
 */
@Timeout(300)
class WaferMapBrowserTest extends BrowserFixture {
    @Test
    void aWaferRunIsServedAndDrawnAsAMap() throws Exception {
        Path chromium = chromium();
        Path out = dataDir.resolve("wafers").resolve("w7.jsonl");
        Files.createDirectories(out.getParent());
        DevicePreset p = DevicePreset.load(DevicePreset.DEFAULT);
        try (StationEmulator e = new StationEmulator(StationEmulator.Config.of(p, 4, 4, 5, 7, FaultSpec.NONE)).start()) {
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new DeviceWaferCommand());
            cli.setErr(new PrintWriter(err));
            cli.setOut(new PrintWriter(new StringWriter()));
            int code = cli.execute("--analyzer", e.analyzerAddress(), "--matrix", e.matrixAddress(), "--prober", e.proberAddress(),
                    "--rows", "4", "--cols", "4", "--settle-ms", "0", "--drift-reads", "0,0.2,0.4", "--out", out.toString());
            assertEquals(0, code, err.toString());
        }
        try (Session session = start(chromium, 1400, 1000)) {
            ApiNode api = session.api();
            Chromium browser = session.browser();
            var list = api.call("GET", "/api/wafers", ApiNode.VIEWER, null);
            assertEquals(200, list.statusCode(), list.body());
            assertEquals("w7", JSON.readTree(list.body()).path("wafers").path(0).path("name").asText(), list.body());
            assertEquals(401, api.call("GET", "/api/wafers/w7", null, null).statusCode());
            assertEquals(404, api.call("GET", "/api/wafers/nope", ApiNode.VIEWER, null).statusCode());
            int outside = api.call("GET", "/api/wafers/..%2Fsecrets", ApiNode.VIEWER, null).statusCode();
            assertTrue(outside == 400 || outside == 404, "a name that leaves the wafer folder is refused: " + outside);
            var one = api.call("GET", "/api/wafers/w7", ApiNode.VIEWER, null);
            assertEquals(200, one.statusCode(), one.body());
            JsonNode w = JSON.readTree(one.body());
            assertEquals(5, w.path("dies").size());
            assertEquals(3, w.path("grid").path("columns").asInt());
            assertEquals(4, w.path("not_on_route").size(), "the four corners of the 3 x 3 map");
            assertEquals(0, w.path("pending").size());
            assertEquals(5, w.path("wafer").path("drift").path("dies").asInt());
            assertTrue(w.path("dies").path(2).path("drift").path("nu_at_gmax").isNumber(), one.body());
            var csv = api.call("GET", "/api/wafers/w7/dies.csv", ApiNode.VIEWER, null);
            assertEquals(200, csv.statusCode(), csv.body());
            List<String> rows = csv.body().lines().toList();
            int levels = w.path("wafer").path("levels").size();
            assertEquals(1 + 5 * levels, rows.size(), "a header and a row per die and level");
            assertTrue(rows.get(0).startsWith("die,column,row,level,median_siemens,log_sigma,"), rows.get(0));
            assertTrue(rows.get(1).startsWith("0,1,0,0,"), rows.get(1));

            // the HDF5 export, read back with jhdf: a die per entry, dies x levels for the per-level statistics
            var h5 = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(api.base + "/api/wafers/w7/wafer.h5"))
                    .header("Authorization", "Bearer " + ApiNode.VIEWER).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, h5.statusCode());
            Path h5File = dataDir.resolve("w7.h5");
            Files.write(h5File, h5.body());
            try (io.jhdf.HdfFile f = new io.jhdf.HdfFile(h5File)) {
                assertEquals("rramlab-wafer-1", f.getAttribute("format").getData());
                int[] dies = (int[]) f.getDatasetByPath("dies/die").getData();
                assertEquals(5, dies.length);
                assertEquals(1, ((int[]) f.getDatasetByPath("dies/column").getData())[0]);
                double[][] sigma = (double[][]) f.getDatasetByPath("dies/log_sigma").getData();
                assertEquals(levels, sigma[0].length);
                double[] nu = (double[]) f.getDatasetByPath("dies/nu_at_gmax").getData();
                assertEquals(w.path("dies").path(4).path("drift").path("nu_at_gmax").asDouble(), nu[4], 1e-12);
                assertEquals(4, ((int[]) f.getDatasetByPath("not_on_route/column").getData()).length);
            }

            browser.navigate(api.base + "/");
            browser.waitFor("window.rramlab", WAIT, "the page loaded");
            browser.eval("window.rramlab.setToken('" + ApiNode.VIEWER + "')");
            browser.waitFor("window.rramlab.status().wafer.name === 'w7' && window.rramlab.status().wafer.drawn === 5", WAIT,
                    "the wafer map draws the five dies");
            assertEquals(5, browser.eval("document.querySelectorAll('#wafer-map .wafer-die').length").asInt());
            assertEquals(4, browser.eval("document.querySelectorAll('#wafer-map .wafer-off').length").asInt());
            assertEquals(levels, browser.eval("document.querySelectorAll('#wafer-table tbody tr').length").asInt());
            String caption = browser.eval("document.querySelector('#wafer-caption').textContent").asText();
            assertTrue(caption.startsWith("5 dies") && caption.contains("drift ν at Gmax"), caption);
            // another colour: the squares are redrawn from the drift law
            browser.eval("(() => { const s = document.querySelector('#wafer-metric'); s.value = 'nu';"
                    + " s.dispatchEvent(new Event('change')); })()");
            browser.waitFor("window.rramlab.status().wafer.metric === 'nu' && window.rramlab.status().wafer.drawn === 5", WAIT,
                    "the map is coloured by nu");
            String title = browser.eval("document.querySelector('#wafer-map .wafer-die title').textContent").asText();
            assertTrue(title.startsWith("die 0 at column 1, row 0") && title.contains("(Gmax)"), title);
            byte[] png = browser.screenshot("window.rramlab.status().wafer.drawn === 5", WAIT);
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "wafer-map.png"), png);
            assertEquals(List.of(), browser.pageErrors, "no script errors on the page");
        }
    }
}
