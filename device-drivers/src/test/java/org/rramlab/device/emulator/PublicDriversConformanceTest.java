package org.rramlab.device.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.sim.TestPresets;

/**
 * Conformance by drivers nobody here wrote: PyMeasure's {@code AgilentB1500} (Debian's
 * python3-pymeasure) drives the analyzer emulator; the command sequences of QCoDeS's
 * {@code KeysightB220X} (auto mode, card 0) and of the labs' Velox GPIB scripts are replayed over
 * pyvisa-py against the matrix and prober emulators, with the replies the manuals give. Without the
 * Debian packages the tests fail and say what to install (they never skip).
 */
@Timeout(180)
class PublicDriversConformanceTest {
    static String python(String modules, String packages) throws Exception {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import " + modules).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException notThere) {
                // try the next one
            }
        }
        fail("this conformance test needs the Python modules " + modules + ": install the Debian packages " + packages
                + " (apt-get install " + packages + "; deploy/run-tests.sh does it when root)");
        return null;
    }

    private static String run(Path dir, String python, String script, Object... args) throws Exception {
        Path file = dir.resolve(script);
        for (String name : List.of(script, "emulator_session.py")) {
            try (InputStream in = PublicDriversConformanceTest.class.getResourceAsStream("/" + name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        List<String> cmd = new ArrayList<>(List.of(python, file.toString()));
        for (Object a : args) cmd.add(String.valueOf(a));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean done = p.waitFor(150, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
            fail(script + " did not finish in 150 s:\n" + out);
        }
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("all checks passed"), out);
        return out;
    }

    @Test
    void pymeasureAgilentB1500DrivesTheAnalyzer(@TempDir Path dir) throws Exception {
        String python = python("pymeasure, pyvisa, pyvisa_py", "python3-pymeasure python3-pyvisa python3-pyvisa-py");
        StationEmulator.Config c = StationEmulator.Config.of(TestPresets.dac(), 4, 4, 1, 3, FaultSpec.NONE);
        c = new StationEmulator.Config(c.preset(), 4, 4, 1, 3, FaultSpec.NONE, c.bindAddress(), 0, 0, 0, -1, false, 0, 0, 2, false,
                4, 0, c.heaterKelvinPerSecond(), 0, null, null);
        try (StationEmulator e = new StationEmulator(c).start()) {
            String out = run(dir, python, "pymeasure_b1500.py", e.analyzerPort(), e.matrixPort(), e.proberPort());
            // what PyMeasure read is the cell the emulator holds: G = I / 0.2 V within the printed digits
            String g = out.lines().filter(l -> l.startsWith("conductance ")).findFirst().orElseThrow();
            double read = Double.parseDouble(g.substring("conductance ".length(), g.length() - 2));
            double truth = e.die(0).read(new org.rramlab.device.Block(0, 0, 1, 1)).conductances()[0];
            assertEquals(truth, read, truth * 0.05, out);
        }
    }

    @Test
    void qcodesKeysightB220xSequenceOnTheMatrix(@TempDir Path dir) throws Exception {
        String python = python("pyvisa, pyvisa_py", "python3-pyvisa python3-pyvisa-py");
        try (StationEmulator e = new StationEmulator(StationEmulator.Config.of(TestPresets.dac(), 4, 4, 1, 1, FaultSpec.NONE)).start()) {
            run(dir, python, "qcodes_b220x_replay.py", e.matrixPort());
        }
    }

    @Test
    void veloxGpibScriptSequenceOnTheProber(@TempDir Path dir) throws Exception {
        String python = python("pyvisa, pyvisa_py", "python3-pyvisa python3-pyvisa-py");
        try (StationEmulator e = new StationEmulator(StationEmulator.Config.of(TestPresets.dac(), 4, 4, 9, 1, FaultSpec.NONE)).start()) {
            run(dir, python, "velox_gpib_replay.py", e.proberPort(), 9);
        }
    }
}
