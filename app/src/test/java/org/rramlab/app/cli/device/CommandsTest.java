package org.rramlab.app.cli.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.DevicePreset;
import picocli.CommandLine;

/** The commands as a person runs them: output shape, exit codes, and errors that say what to do. */
class CommandsTest {
    record Run(int code, String out, String err) {}

    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void characterizePrintsJsonInTheAgreedShape(@TempDir Path dir) throws Exception {
        Path fitted = dir.resolve("fitted.conf");
        Run r = run(new DeviceCommand(), "characterize", "--preset", "dac2020-65nm", "--rows", "64", "--cols", "80",
                "--seed", "1", "--json", "--write-preset", fitted.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(List.of("preset", "rows", "cols", "levels", "stuck_high_fraction", "stuck_low_fraction", "pulses", "seconds"),
                names(json));
        assertEquals("dac2020-65nm", json.get("preset").asText());
        assertEquals(64, json.get("rows").asInt());
        assertEquals(80, json.get("cols").asInt());
        assertEquals(10, json.get("levels").size());
        for (JsonNode level : json.get("levels")) {
            assertEquals(List.of("level", "target_siemens", "mean_siemens", "median_siemens", "log_sigma"), names(level));
            assertEquals(0.5, level.get("log_sigma").asDouble(), 0.08);
        }
        assertEquals(64 * 80, json.get("pulses").asLong());
        DevicePreset written = DevicePreset.load(fitted.toString());
        assertEquals("fitted", written.name());
        assertEquals(json.get("stuck_low_fraction").asDouble(), written.stuckAtLowFraction(), 1e-12);
    }

    @Test
    void characterizeTableIsReadable() {
        Run r = run(new DeviceCommand(), "characterize", "--rows", "20", "--cols", "20", "--write-verify");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("log sigma") && r.out().contains("stuck at Gmin"), r.out());
    }

    @Test
    void characterizeThroughTheThreeEmulatorsMatchesTheSimulatedArray() throws Exception {
        DevicePreset p = DevicePreset.load(DevicePreset.DEFAULT);
        try (org.rramlab.device.emulator.StationEmulator e = new org.rramlab.device.emulator.StationEmulator(
                org.rramlab.device.emulator.StationEmulator.Config.of(p, 8, 12, 1, 3,
                        org.rramlab.device.emulator.FaultSpec.NONE)).start()) {
            Run wire = run(new DeviceCommand(), "characterize", "--analyzer", e.analyzerAddress(), "--matrix", e.matrixAddress(),
                    "--prober", e.proberAddress(), "--rows", "8", "--cols", "12", "--seed", "3", "--settle-ms", "0", "--json");
            assertEquals(0, wire.code(), wire.err());
            Run sim = run(new DeviceCommand(), "characterize", "--rows", "8", "--cols", "12", "--seed", "3", "--json");
            JsonNode a = new ObjectMapper().readTree(wire.out()).get("levels");
            JsonNode b = new ObjectMapper().readTree(sim.out()).get("levels");
            for (int k = 0; k < a.size(); k++) {
                assertEquals(b.get(k).get("median_siemens").asDouble(), a.get(k).get("median_siemens").asDouble(),
                        b.get(k).get("median_siemens").asDouble() * 1e-3, "level " + k);
            }
        }
    }

    @Test
    void planPrintsTheExactCommandsAndTouchesNothing() {
        Run plan = run(new DevicePlanCommand(), "--analyzer", "TCPIP0::192.0.2.1::5025::SOCKET", "--matrix",
                "TCPIP0::192.0.2.2::gpib0,22::INSTR", "--prober", "TCPIP0::192.0.2.3::1412::SOCKET", "--rows", "8", "--cols", "8",
                "--row", "2", "--col", "4");
        assertEquals(0, plan.code(), plan.err());
        String out = plan.out();
        for (String expected : new String[] {"analyzer > FMT 11,0;AIT 0,2,1;AAD 1,0;AAD 2,0;AAD 3,0;AAD 4,0;AAD 5,0;PAD 1;CN 1,2,3,4,5",
                "DV 5,0,0.2,0.001;MM 1,2,3,4,5",
                "analyzer > *IDN?", "analyzer > UNT?", "matrix   > *CLS;:ROUT:FUNC ACON;:ROUT:CONN:RULE 0,FREE;:ROUT:CONN:SEQ 0,BBM",
                "matrix   > :ROUT:OPEN:CARD ALL;:ROUT:CLOS (@00103,01219,00213,00314,00415,00516)", "matrix   > *OPC?",
                "matrix   > :SYST:ERR?", "analyzer > XE", "prober   > Cmd=", ":StepToDie:0", ":MoveChuckContact:",
                "MM 3,2", "PV 2,0,0,1.5,0.001", "# estimate: a 8x8 read"}) {
            assertTrue(out.contains(expected), "plan lacks '" + expected + "':\n" + out);
        }
        Run big = run(new DevicePlanCommand(), "--analyzer", "GPIB0::17::INSTR", "--board", "TCPIP0::board::5025::SOCKET",
                "--prober", "TCPIP0::p::1412::SOCKET", "--rows", "256", "--cols", "256");
        assertEquals(0, big.code(), big.err());
        assertTrue(big.out().contains("a 256x256 read in PARALLEL mode with 4 bit SMU(s) = 16384 routings"), big.out());
        Run tooBig = run(new DevicePlanCommand(), "--matrix", "TCPIP0::m::5025::SOCKET", "--rows", "32", "--cols", "32");
        assertEquals(2, tooBig.code(), tooBig.out());
        assertTrue(tooBig.err().contains("4 card(s) of 12 outputs have 48") && tooBig.err().contains("array board"), tooBig.err());
        // the declared station: E5250A, two cards in normal mode, GNDU on input 10
        Run e5250a = run(new DevicePlanCommand(), "--station", "../config/stations/e5250a-2cards.conf", "--rows", "8", "--cols", "8",
                "--row", "1", "--col", "2");
        assertEquals(0, e5250a.code(), e5250a.err());
        assertTrue(e5250a.out().contains("matrix   > *CLS;:ROUT:FUNC NCON;:ROUT:CONN:RULE 1,FREE"), e5250a.out());
        // WL1 = output 2 (card 1, 02), SL1 = 18 (card 2, 06) from input 10, BL2..3 = 11, 12 (card 1) from inputs 2, 3
        assertTrue(e5250a.out().contains(":ROUT:CLOS (@10102,21006,10211,10312)"), e5250a.out());
        Run wide = run(new DevicePlanCommand(), "--station", "../config/stations/e5250a-2cards.conf", "--rows", "8", "--cols", "9");
        assertEquals(2, wide.code());
        assertTrue(wide.err().contains("reaches arrays up to 8x8"), wide.err());
    }

    @Test
    void bakeConvertsRetentionByArrhenius() {
        Run bake = run(new DeviceCommand(), "bake", "--ea", "1.1", "--use-c", "85", "--bake-c", "150", "--retention-hours", "238.62");
        assertEquals(0, bake.code(), bake.err());
        assertTrue(bake.out().startsWith("bake 1.00 h at 150.0 C for 239 h at 85.0 C (Ea 1.100 eV"), bake.out());
        Run bad = run(new DeviceCommand(), "bake", "--ea", "-1");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("activation energy must be in 0..10 eV"), bad.err());
    }

    @Test
    void badInputSaysWhatWasWrongAndWhatToDo() {
        Run preset = run(new DeviceCommand(), "characterize", "--preset", "nope", "--rows", "4", "--cols", "4");
        assertEquals(2, preset.code());
        assertTrue(preset.err().contains("unknown device preset 'nope'"), preset.err());
        Run address = run(new DeviceCommand(), "characterize", "--analyzer", "usb", "--matrix", "TCPIP0::m::5025::SOCKET",
                "--prober", "TCPIP0::p::1412::SOCKET", "--rows", "4", "--cols", "4");
        assertEquals(2, address.code());
        assertTrue(address.err().contains("analyzer: instrument address 'usb'") && address.err().contains("GPIB0::17::INSTR"),
                address.err());
        Run missing = run(new DeviceCommand(), "characterize", "--analyzer", "TCPIP0::a::5025::SOCKET", "--rows", "4", "--cols", "4");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("either a switch matrix or an array board"), missing.err());
        Run shape = run(new DeviceCommand(), "characterize", "--rows", "0");
        assertEquals(2, shape.code());
        assertTrue(shape.err().contains("--rows and --cols must be positive"), shape.err());
        Run faults = run(new EmulatorCommand(), "--analyzer-port", "0", "--matrix-port", "0", "--prober-port", "0",
                "--faults", "drop-every=soon");
        assertEquals(2, faults.code());
        assertTrue(faults.err().contains("bad fault spec item 'drop-every=soon'"), faults.err());
        Run bench = run(new DeviceBenchCommand(), "--seconds", "0");
        assertEquals(2, bench.code());
        assertTrue(bench.err().contains("--seconds"), bench.err());
    }
}
