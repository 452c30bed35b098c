package org.rramlab.device.cli;

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
                "--seed", "1", "--driver", "sim", "--json", "--write-preset", fitted.toString());
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
    void badInputSaysWhatWasWrongAndWhatToDo() {
        Run preset = run(new DeviceCommand(), "characterize", "--preset", "nope", "--rows", "4", "--cols", "4");
        assertEquals(2, preset.code());
        assertTrue(preset.err().contains("unknown device preset 'nope'"), preset.err());
        Run driver = run(new DeviceCommand(), "characterize", "--driver", "usb", "--rows", "4", "--cols", "4");
        assertEquals(2, driver.code());
        assertTrue(driver.err().contains("give sim or scpi://HOST:PORT"), driver.err());
        Run shape = run(new DeviceCommand(), "characterize", "--rows", "0");
        assertEquals(2, shape.code());
        assertTrue(shape.err().contains("--rows and --cols must be positive"), shape.err());
        Run faults = run(new EmulatorCommand(), "--port", "0", "--faults", "drop-every=soon");
        assertEquals(2, faults.code());
        assertTrue(faults.err().contains("bad fault spec item 'drop-every=soon'"), faults.err());
        Run bench = run(new DeviceBenchCommand(), "--seconds", "0");
        assertEquals(2, bench.code());
        assertTrue(bench.err().contains("--seconds"), bench.err());
    }
}
